// What the tests of the native `ae` program share: running it (no shell involved: argv arrays)
// and tiny synthetic datasets. Uses build/native/engine/ae (built by `npm run setup`); AE_BIN
// overrides it.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = new URL('../..', import.meta.url).pathname;
export const AE = process.env.AE_BIN ?? join(ROOT, 'build/native/engine/ae');

export function requireAe() {
  if (!existsSync(AE)) throw new Error(`${AE} is missing: run npm run setup (or set AE_BIN)`);
}

/** Runs `ae ...args` in `cwd`: { code, out, err, lines } (lines: stdout's, trimmed). */
export function runAe(cwd, args) {
  const r = spawnSync(AE, args, { cwd, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr, lines: r.stdout.trim().split('\n') };
}

/** "key=value key=value" → { key: value } */
export const fields = (line) => Object.fromEntries(line.split(' ').filter((t) => t.includes('=')).map((t) => t.split('=')));

/**
 * An uncompressed AEDS file (datasets/README.md) of n 28×28 "digits": a bar whose row and
 * thickness depend on the label.
 */
export function dataset(n, name) {
  const b = Buffer.alloc(48 + n + n * 784);
  b.write('AEDS', 0, 'latin1');
  [1, n, 28, 28, 10].forEach((v, i) => b.writeUInt32LE(v, 4 + 4 * i));
  b.write(name, 24, 'latin1');
  for (let i = 0; i < n; i++) {
    const label = i % 10;
    b[48 + i] = label;
    const top = 4 + 2 * label;
    for (let y = top; y < top + 1 + (i % 3); y++)
      for (let x = 6; x < 22; x++) b[48 + n + i * 784 + y * 28 + x] = 180 + ((i * 13 + x) % 76);
  }
  return b;
}
