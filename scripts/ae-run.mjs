// Running the native `ae` program from the scripts (quality.mjs, applications.mjs, pretrain.mjs)
// and reading its `key=value` output lines.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Runs `bin args…` in the repository root; resolves to its stdout lines, calling onLine(line)
 * for each as it arrives. Rejects with the command and its stderr when it fails.
 */
export function runAe(bin, args, onLine = () => {}) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(bin, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const lines = [];
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d) => {
      out += d;
      let nl;
      while ((nl = out.indexOf('\n')) >= 0) {
        const line = out.slice(0, nl);
        out = out.slice(nl + 1);
        lines.push(line);
        onLine(line);
      }
    });
    child.stderr.setEncoding('utf8').on('data', (d) => (err += d));
    child.on('error', (e) => reject(new Error(`cannot run ${bin}: ${e.message}`)));
    child.on('close', (code) => {
      if (code === 0) resolvePromise(lines);
      else reject(new Error(`ae ${args.join(' ')} failed (exit ${code}):\n${err.trim() || '(no message)'}`));
    });
  });
}

/** key=value fields of an `ae` output line; numbers come back as numbers. */
export function fields(line) {
  const out = {};
  for (const m of line.matchAll(/(\w+)=(\S+)/g)) out[m[1]] = Number.isNaN(Number(m[2])) ? m[2] : Number(m[2]);
  return out;
}

/**
 * Where a script's runs keep their model files: `saveDir` (kept), else a temporary folder removed
 * when the process exits. Ends the process with a message naming `script` if `ae` is missing.
 */
export function runsDir(script, ae, saveDir) {
  if (!existsSync(ae)) {
    console.error(`${script}: ${ae} not found: run \`npm run setup\` first (it builds the native \`ae\`), or pass --ae PATH`);
    process.exit(1);
  }
  const dir = saveDir ?? mkdtempSync(join(tmpdir(), `ae-${script}-`));
  mkdirSync(dir, { recursive: true });
  if (!saveDir) process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
