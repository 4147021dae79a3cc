#!/usr/bin/env node
// Fuzzes the model-file loader (engine/fuzz/fuzz_model_file.cpp) with libFuzzer for a bounded
// time: builds it with Debian's clang (address + undefined-behaviour sanitizers) if needed,
// replays tests/fuzz/regressions/, then mutates the seeds in tests/fuzz/corpus/. Prints
// libFuzzer's summary; exits non-zero on a crash, a sanitizer report, a timeout or an OOM,
// naming the input that caused it (copy it into tests/fuzz/regressions/ once fixed).
//
//   node scripts/fuzz.mjs [--seconds=30] [--build-dir=build/fuzz]
//   (FUZZ_SECONDS and FUZZ_BUILD_DIR work too)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const seconds = Number(arg('seconds') ?? process.env.FUZZ_SECONDS ?? 30);
const buildDir = join(ROOT, arg('build-dir') ?? process.env.FUZZ_BUILD_DIR ?? 'build/fuzz');
const FUZZER = join(buildDir, 'engine/fuzz_model_file');
const SEEDS = join(ROOT, 'tests/fuzz/corpus');
const REGRESSIONS = join(ROOT, 'tests/fuzz/regressions');
const log = (msg) => console.log(`[fuzz] ${msg}`);

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit', ...opts });
  if (r.error) throw new Error(`${cmd}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status})`);
}

function build() {
  if (spawnSync('clang++', ['--version']).status !== 0)
    throw new Error('clang++ not found: install clang and libclang-rt-14-dev (npm run setup does)');
  if (!existsSync(join(buildDir, 'build.ninja'))) {
    run('cmake', [
      '-S', '.', '-B', buildDir, '-G', 'Ninja',
      '-DCMAKE_BUILD_TYPE=RelWithDebInfo',
      '-DCMAKE_CXX_COMPILER=clang++',
      '-DAE_FUZZ=ON',
      '-DAE_BUILD_TESTS=OFF',
      '-DAE_NATIVE_ARCH=OFF',
      '-DCMAKE_CXX_FLAGS=-fsanitize=address,undefined -fsanitize=fuzzer-no-link -fno-sanitize-recover=undefined -fno-omit-frame-pointer',
    ]);
  }
  run('cmake', ['--build', buildDir, '--parallel', '2', '--target', 'fuzz_model_file']);
}

// Runs the fuzzer; its chatter goes to a log file and only the interesting part is printed.
function fuzz(args, logName) {
  const logFile = join(buildDir, logName);
  const r = spawnSync(FUZZER, args, {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 256 << 20,
    env: {
      ...process.env,
      ASAN_OPTIONS: 'detect_leaks=1:abort_on_error=0',
      UBSAN_OPTIONS: 'print_stacktrace=1:halt_on_error=1',
    },
  });
  const output = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  writeFileSync(logFile, output);
  return { status: r.status ?? r.signal, output, logFile };
}

function failed(res, what) {
  const lines = res.output.trimEnd().split('\n');
  const start = lines.findIndex((l) => /ERROR: (AddressSanitizer|libFuzzer|LeakSanitizer)|runtime error:|==ERROR|deadly signal|Test unit written/.test(l));
  console.error(lines.slice(start >= 0 ? Math.max(0, start - 2) : -60).slice(0, 120).join('\n'));
  console.error(`\n[fuzz] FAILED: ${what} (full log: ${res.logFile})`);
  console.error('[fuzz] reproduce: ' + `${FUZZER} <input>` + '; once fixed, copy the input into tests/fuzz/regressions/');
  process.exit(1);
}

const t0 = Date.now();
try {
  build();
} catch (e) {
  console.error(`[fuzz] build failed: ${e.message}`);
  process.exit(1);
}

const regressions = existsSync(REGRESSIONS)
  ? readdirSync(REGRESSIONS).filter((f) => !f.endsWith('.md')).map((f) => join(REGRESSIONS, f))
  : [];
if (regressions.length) {
  const res = fuzz(['-runs=1', ...regressions], 'regressions.log');
  if (res.status !== 0) failed(res, 'a regression input crashes the loader again');
  log(`replayed ${regressions.length} regression input(s): no crash`);
}

const work = join(buildDir, 'corpus');
const artifacts = join(buildDir, 'artifacts');
mkdirSync(work, { recursive: true });
rmSync(artifacts, { recursive: true, force: true });
mkdirSync(artifacts, { recursive: true });
const res = fuzz(
  [
    `-max_total_time=${seconds}`,
    '-timeout=5',
    '-rss_limit_mb=2048',
    '-malloc_limit_mb=2048',
    `-dict=${join(ROOT, 'tests/fuzz/aemf.dict')}`,
    `-artifact_prefix=${artifacts}/`,
    '-print_final_stats=1',
    work,
    SEEDS,
  ],
  'fuzz.log',
);
if (res.status !== 0) {
  const found = readdirSync(artifacts).map((f) => join(artifacts, f));
  failed(res, `libFuzzer stopped (exit ${res.status})${found.length ? `; input: ${found.join(', ')}` : ''}`);
}
const done = res.output.match(/Done (\d+) runs in (\d+) second/);
const stat = (name) => res.output.match(new RegExp(`stat::${name}:\\s+(\\d+)`))?.[1];
const corpus = readdirSync(work).length;
log(`libFuzzer: ${done ? `${done[1]} runs in ${done[2]} s` : 'finished'}, ` +
  `${stat('new_units_added') ?? '?'} new inputs, corpus ${corpus} + ${readdirSync(SEEDS).length} seeds, ` +
  `peak RSS ${stat('peak_rss_mb') ?? '?'} MB; no crash, leak, timeout or sanitizer report`);
log(`done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
