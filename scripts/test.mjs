#!/usr/bin/env node
// `npm test`: sets everything up (scripts/setup.mjs), then runs every suite and prints each
// runner's own summary, then a table. Exits non-zero when any suite fails.
//
//   node scripts/test.mjs [--only=engine-native,engine-wasm,js-unit,e2e,fuzz]
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7).split(',');
const VITEST = join(ROOT, 'node_modules/vitest/vitest.mjs');

const suites = [
  {
    name: 'engine-native',
    what: 'doctest, g++ build',
    commands: [['build/native/tests/engine/ae_tests'], ['build/native/tests/engine/ae_tests_f64']],
  },
  {
    name: 'engine-wasm',
    what: 'same doctest suite as WASM under node',
    commands: [
      ['node', 'build/wasm/tests/engine/ae_tests.cjs'],
      ['node', 'build/wasm/tests/engine/ae_tests_f64.cjs'],
      // The kernels and the thread team on the threaded build (pthreads, three pool workers).
      ['node', '--no-experimental-fetch', 'build/wasm/tests/engine/ae_tests_mt.cjs'],
      // The whole float suite on the relaxed-SIMD build (the GEMM's fused multiply-add).
      ['node', '--experimental-wasm-relaxed-simd', 'build/wasm/tests/engine/ae_tests_rx.cjs'],
    ],
  },
  {
    name: 'js-unit',
    what: 'vitest: page modules and worker handlers on the real WASM',
    commands: [['node', VITEST, 'run', '--config', 'tests/web/vitest.config.js']],
  },
  {
    name: 'e2e',
    what: 'vitest + playwright-core in headless Chromium',
    commands: [['node', VITEST, 'run', '--config', 'tests/e2e/vitest.config.js']],
  },
  {
    name: 'fuzz',
    what: 'libFuzzer on the model-file loader, bounded time',
    commands: [['node', 'scripts/fuzz.mjs']],
    optional: () => existsSync(join(ROOT, 'scripts/fuzz.mjs')),
  },
];

const t0 = Date.now();
const setup = spawnSync(process.execPath, [join(ROOT, 'scripts/setup.mjs'), '--for=test'], { cwd: ROOT, stdio: 'inherit' });
if (setup.status !== 0) {
  console.error('\n[test] setup failed; no tests were run.');
  process.exit(1);
}

const results = [];
for (const suite of suites) {
  if (only && !only.includes(suite.name)) continue;
  if (suite.optional && !suite.optional()) continue;
  console.log(`\n━━━ ${suite.name} (${suite.what}) ━━━`);
  const start = Date.now();
  let ok = true;
  for (const [cmd, ...args] of suite.commands) {
    const r = spawnSync(cmd.startsWith('build/') ? join(ROOT, cmd) : cmd, args, {
      cwd: ROOT,
      stdio: 'inherit',
      env: process.env.CI ? { ...process.env, NO_COLOR: '1' } : process.env, // plain logs in CI
    });
    if (r.status !== 0) {
      ok = false;
      console.error(`[test] ${[cmd, ...args].join(' ')} exited with ${r.status ?? r.signal}`);
    }
  }
  results.push({ name: suite.name, ok, seconds: (Date.now() - start) / 1000 });
}

console.log('\n━━━ summary ━━━');
for (const r of results) console.log(`${r.ok ? 'PASS' : 'FAIL'}  ${r.name.padEnd(14)} ${r.seconds.toFixed(1).padStart(6)} s`);
const failed = results.filter((r) => !r.ok);
console.log(`${failed.length ? 'FAILED' : 'ALL PASSED'} in ${((Date.now() - t0) / 1000).toFixed(1)} s (setup included)`);
process.exit(failed.length ? 1 : 0);
