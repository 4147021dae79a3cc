#!/usr/bin/env node
// `npm run bench`: how fast the engine trains, against TensorFlow.js measured in the same run
// (issues 6 and 15). For each of K rounds (default 5, --quick 2) it runs, one after another:
//   node     a fresh Node process (scripts/bench/node-process.mjs): the engine's WASM GEMM peak,
//            then the seed model on our engine (the page's Embind module) and on TF.js's WASM
//            backend (the tuned hand-written loop, and the stock autodiff one for reference),
//            alternating repeats, then the conv, sequence (GRU) and adversarial AEs on our engine;
//   native   build/native/engine/train_bench (every model) and gemm_bench;
//   chromium a fresh context of headless Chromium (scripts/bench/chromium.mjs), one module Web
//            Worker per build: the single-threaded engine (wasm_chromium), the threaded one
//            (Emscripten pthreads, the page cross-origin isolated) on T threads (default: one
//            per core, at most MAX_THREADS = 8; wasm_chromium_threads), and both with relaxed
//            SIMD (what the page runs in Chromium; the GEMM's multiply-add fused:
//            wasm_chromium_rx, wasm_chromium_threads_rx). Model by model, the builds take
//            turns repeat by repeat, so the ratios between them are taken over the same moments
//            of a shared machine;
//   gemm_rx  the relaxed-SIMD GEMM peak (gemm_bench_rx in Node with --experimental-wasm-relaxed-simd).
// After the rounds, the threaded engine without a browser: build/wasm/engine/mt/train_bench_mt
// (pthreads on Node's worker threads), the seed model on 1 and T threads in alternating pairs
// (wasm_node_threads_speedup; no target: the target is the Chromium worker's).
// Each measurement: W warm-up batches, then R repeats of B batches of 128.
// Then a table (samples/s median, min, max over every repeat of every round; GFLOP/s; % of the
// GEMM peak; ratio to TF.js), the threaded and single-threaded figures side by side with the
// 4-thread scaling they imply, the targets, and one machine-readable line:
//   bench wasm_node=… wasm_chromium=… native=… tfjs_wasm=… gemm_peak_gflops=… …
//         wasm_chromium_threads=… threads=… conv_peak_pct=…
//         wasm_chromium_rx=… wasm_chromium_threads_rx=… gemm_peak_rx_gflops=…
// Then the applications lab's heavy steps on the same WASM module (scripts/bench/labs.mjs: scoring
// the 10,000 test images, PCA on the 60,000 training images, a probe fit; target < 2 s each; and
// one point of the latent-size sweep, a training job timed without a target), and, with Chromium, the five labs computing in the built page (scripts/bench/labs-page.mjs: the most
// CPU one main-thread task used while each computed; target < 50 ms).
// --quality-time also trains the built page (dist/) until its test BCE reaches 68.45 and
// reports the training time that took (scripts/bench/quality.mjs), and the page's speed in its
// training chunks against the same build's Chromium bench worker of this run.
//
//   npm run bench -- [--quick] [--processes K] [--warmup W] [--repeats R] [--batches B]
//                    [--threads T] [--no-threads] [--no-chromium] [--no-native] [--no-stock]
//                    [--no-conv] [--no-labs] [--no-relaxed] [--models LIST] [--quality-time]
//                    [--native-build DIR] [--wasm-build DIR] [--json FILE]
//   --models LIST   the models measured besides the seed model (default conv,sequence,aae;
//                   --no-conv leaves out conv)
//   --threads T     the threaded engine's thread count in Chromium (default: one per core, 2–8);
//                   --no-threads measures the single-threaded engine only
//   --no-relaxed    leaves out the relaxed-SIMD builds
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, relative, resolve } from 'node:path';

import { MAX_THREADS } from '../web/src/worker/load-engine.js';
import { EXTRA_MODELS, MODELS, ROOT, TRAIN_SET, flopsPerSample, fmt, gemmPeak, parseGemmLine, summary, trainConfig } from './bench/common.mjs';

// ---- options ------------------------------------------------------------------------------
const USAGE = `usage: npm run bench -- [--quick] [--processes K] [--warmup W] [--repeats R] [--batches B]
                        [--threads T] [--no-threads] [--no-chromium] [--no-native] [--no-stock]
                        [--no-conv] [--no-labs] [--no-relaxed] [--models LIST] [--quality-time]
                        [--native-build DIR] [--wasm-build DIR] [--json FILE]`;

function parseOptions(argv) {
  const o = {
    processes: 5,
    warmup: 10,
    repeats: 3,
    batches: 100,
    // Warm-up and timed batches per repeat of each model besides the seed: about as many
    // samples as the seed model's repeats take seconds.
    extraBatches: { conv: [3, 20], sequence: [2, 10], aae: [5, 50] },
    extra: EXTRA_MODELS,
    stockWarmup: 2,
    stockBatches: 20,
    chromium: true,
    relaxed: true,
    threads: Math.max(2, Math.min(MAX_THREADS, cpus().length)), // as many as the page would use
    native: true,
    stock: true,
    labs: true,
    quality: false,
    nativeBuild: 'build/native',
    wasmBuild: 'build/wasm',
    json: null,
  };
  const ints = {
    '--processes': ['processes', 1, 50],
    '--warmup': ['warmup', 0, 1000],
    '--repeats': ['repeats', 1, 50],
    '--batches': ['batches', 1, 10000],
    '--threads': ['threads', 2, MAX_THREADS],
  };
  for (let i = 0; i < argv.length; i++) {
    let [flag, value] = argv[i].split(/=(.*)/s, 2);
    const takes = flag in ints || ['--native-build', '--wasm-build', '--json', '--models'].includes(flag);
    if (takes && value === undefined) {
      if (i + 1 >= argv.length) fail(`${flag} needs a value\n${USAGE}`);
      value = argv[++i];
    }
    if (flag in ints) {
      const [key, lo, hi] = ints[flag];
      const n = Number(value);
      if (!Number.isInteger(n) || n < lo || n > hi) fail(`${flag} expects an integer in [${lo}, ${hi}], got '${value}'`);
      o[key] = n;
    } else if (flag === '--quick') o.processes = 2;
    else if (flag === '--no-threads') o.threads = 0;
    else if (flag === '--no-chromium') o.chromium = false;
    else if (flag === '--no-native') o.native = false;
    else if (flag === '--no-stock') o.stock = false;
    else if (flag === '--no-labs') o.labs = false;
    else if (flag === '--no-relaxed') o.relaxed = false;
    else if (flag === '--no-conv') o.extra = o.extra.filter((m) => m !== 'conv');
    else if (flag === '--models') {
      o.extra = value.split(',').filter(Boolean);
      const bad = o.extra.find((m) => !EXTRA_MODELS.includes(m));
      if (bad) fail(`--models: unknown model '${bad}' (expected some of ${EXTRA_MODELS.join(', ')})`);
    }
    else if (flag === '--quality-time') o.quality = true;
    else if (flag === '--native-build') o.nativeBuild = value;
    else if (flag === '--wasm-build') o.wasmBuild = value;
    else if (flag === '--json') o.json = value;
    else if (flag === '--help' || flag === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else fail(`unknown option '${flag}'\n${USAGE}`);
  }
  return o;
}

function fail(msg) {
  console.error(`bench: ${msg}`);
  process.exit(2);
}

const opts = parseOptions(process.argv.slice(2));
const path = (p) => join(ROOT, p);
const BIN = {
  trainBench: path(`${opts.nativeBuild}/engine/train_bench`),
  gemmNative: path(`${opts.nativeBuild}/engine/gemm_bench`),
  gemmWasm: path(`${opts.wasmBuild}/engine/gemm_bench.cjs`),
  gemmWasmRx: path(`${opts.wasmBuild}/engine/gemm_bench_rx.cjs`),
  trainBenchMt: path(`${opts.wasmBuild}/engine/mt/train_bench_mt.cjs`),
  glue: path('web/src/wasm/ae.mjs'),
  wasm: path('web/src/wasm/ae.wasm'),
};

// ---- prerequisites ---------------------------------------------------------------------------
// With the default build folders, the bench sets itself up (scripts/setup.mjs --for=bench builds
// the benchmark programs and anything stale, and prepares the datasets), so it works after a
// plain `npm start`; other folders are the caller's own builds and are only checked.
function setUp() {
  if (opts.nativeBuild !== 'build/native' || opts.wasmBuild !== 'build/wasm') return;
  const r = spawnSync(process.execPath, [path('scripts/setup.mjs'), '--for=bench'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`bench: setting up failed (scripts/setup.mjs --for=bench exited with ${r.status ?? r.signal}); see above`);
    process.exit(1);
  }
}

function checkPrerequisites() {
  const need = [
    [BIN.glue, 'the page engine web/src/wasm/ae.mjs'],
    [BIN.wasm, 'the page engine web/src/wasm/ae.wasm'],
    [BIN.gemmWasm, `the WASM GEMM bench ${relative(ROOT, BIN.gemmWasm)}`],
    ...(opts.relaxed ? [[BIN.gemmWasmRx, `the relaxed-SIMD GEMM bench ${relative(ROOT, BIN.gemmWasmRx)}`]] : []),
    [TRAIN_SET, 'the MNIST training set web/public/data/mnist-train.aeds.gz'],
    [path('node_modules/@tensorflow/tfjs-backend-wasm'), 'the npm package @tensorflow/tfjs-backend-wasm'],
    [path('node_modules/playwright-core'), 'the npm package playwright-core'],
  ];
  if (opts.native) need.push([BIN.trainBench, `the native train bench ${relative(ROOT, BIN.trainBench)}`], [BIN.gemmNative, `the native GEMM bench ${relative(ROOT, BIN.gemmNative)}`]);
  if (opts.chromium || opts.quality) need.push(['/usr/bin/chromium', 'Chromium (/usr/bin/chromium)']);
  if (opts.quality || (opts.labs && opts.chromium)) need.push([path('dist/index.html'), 'the built page dist/']);
  const missing = need.filter(([p]) => !existsSync(p)).map(([, what]) => what);
  if (missing.length) {
    console.error(`bench: missing ${missing.join('; ')}.\nRun \`npm run setup\` first (it builds build/native, build/wasm, web/src/wasm and the datasets).`);
    process.exit(1);
  }
  // Builds older than the engine's sources measure old code: say so (the numbers still print).
  // The WASM module is judged by the build's own output: setup copies it into web/src/wasm only
  // when its bytes change, and a source change can leave them as they were (one that only the
  // relaxed-SIMD build sees, say).
  const newest = newestMtime([path('engine/src'), path('engine/bindings')]);
  const builtWasm = path(`${opts.wasmBuild}/engine/ae.wasm`);
  const stale = [existsSync(builtWasm) ? builtWasm : BIN.wasm, ...(opts.native ? [BIN.trainBench] : [])].filter((f) => statSync(f).mtimeMs < newest.mtime);
  if (stale.length)
    console.log(`bench: warning: ${stale.map((f) => relative(ROOT, f)).join(' and ')} ${stale.length === 1 ? 'is' : 'are'} older than ${relative(ROOT, newest.file)}: run \`npm run setup\` to measure the current sources`);
}

function newestMtime(dirs) {
  let best = { mtime: 0, file: '' };
  for (const d of dirs) {
    if (!existsSync(d)) continue;
    for (const e of readdirSync(d, { withFileTypes: true, recursive: true })) {
      if (!e.isFile() || !/\.(cpp|hpp)$/.test(e.name)) continue;
      const f = join(e.parentPath ?? e.path, e.name);
      const m = statSync(f).mtimeMs;
      if (m > best.mtime) best = { mtime: m, file: f };
    }
  }
  return best;
}

// ---- running the parts -----------------------------------------------------------------------
/** Runs a program; resolves with its stdout lines; rejects with its stderr on failure. */
function runLines(cmd, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(out.split('\n').filter(Boolean)) : reject(new Error(`${relative(ROOT, cmd) || cmd} ${args.join(' ')} exited with ${code}:\n${err.trim()}`)),
    );
  });
}

const records = []; // every repeat: { engine, model, process, samples_per_s, cpu_seconds, other_cores, … }
const gemm = []; // { engine: 'wasm' | 'native', process, peak_gflops, … }

async function nodeRound(k) {
  const options = {
    process: k,
    warmup: opts.warmup,
    repeats: opts.repeats,
    batches: opts.batches,
    stock: opts.stock,
    stockWarmup: opts.stockWarmup,
    stockBatches: opts.stockBatches,
    extra: extraJobs(),
    gemm: BIN.gemmWasm,
  };
  const lines = await runLines(process.execPath, [path('scripts/bench/node-process.mjs'), JSON.stringify(options)]);
  for (const line of lines) {
    const o = JSON.parse(line);
    if (o.kind === 'gemm') gemm.push(o);
    if (o.kind === 'repeat') records.push(o);
    if (o.kind === 'info' && k === 1)
      console.log(`bench: our engine ${o.backend}; TF.js ${o.tfjs.version} WASM backend, SIMD ${o.tfjs.simd ? 'on' : 'off'}, ${o.tfjs.threads} thread(s)`);
  }
}

/** [label, warm-up batches, batches per repeat] of each model measured besides the seed. */
const extraJobs = () => opts.extra.map((m) => [m, ...opts.extraBatches[m]]);

async function nativeRound(k) {
  const jobs = [['seed', opts.warmup, opts.batches], ...extraJobs()];
  for (const [model, warmup, batches] of jobs) {
    const args = ['--model', model, '--data', TRAIN_SET, '--warmup', String(warmup), '--repeats', String(opts.repeats), '--batches', String(batches)];
    for (const line of await runLines(BIN.trainBench, args)) {
      const o = JSON.parse(line);
      if (o.bench === 'train') records.push({ ...o, kind: 'repeat', process: k });
    }
  }
  gemm.push({ engine: 'native', process: k, ...parseGemmLine((await runLines(BIN.gemmNative, [])).join('\n')) });
}

/**
 * The threaded WASM engine without a browser: train_bench_mt (engine/CMakeLists.txt) runs its
 * pthreads on Node's worker threads. Pairs of runs, one thread then n, on the seed model; each
 * pair's ratio is taken over the same minute of the shared machine.
 * → { threads, ratios, speedup (their median), one, many }.
 */
async function nodeThreads(n, pairs = 3) {
  const run = async (t) => {
    const args = ['--no-experimental-fetch', BIN.trainBenchMt, '--model', 'seed', '--data', TRAIN_SET, '--threads', String(t), '--warmup', String(opts.warmup), '--repeats', String(opts.repeats), '--batches', String(opts.batches)];
    const last = (await runLines(process.execPath, args)).map((l) => JSON.parse(l)).find((o) => o.bench === 'train_summary');
    if (!last || last.threads !== t) throw new Error(`train_bench_mt ran on ${last?.threads} threads, not ${t}`);
    return last.median;
  };
  const one = [];
  const many = [];
  for (let i = 0; i < pairs; i++) {
    one.push(await run(1));
    many.push(await run(n));
  }
  const ratios = many.map((m, i) => m / one[i]);
  return { threads: n, ratios, speedup: summary(ratios).median, one: summary(one).median, many: summary(many).median };
}

/** The relaxed-SIMD GEMM peak (Node 20 validates relaxed SIMD only behind a flag). */
async function relaxedGemmRound(k) {
  const lines = await runLines(process.execPath, ['--experimental-wasm-relaxed-simd', BIN.gemmWasmRx]);
  gemm.push({ engine: 'wasm_rx', process: k, ...parseGemmLine(lines.join('\n')) });
}

let chromiumThreads = null; // { build, threads } the threaded engine reported

/** The Chromium engine name of a build: wasm_chromium[_threads][_rx]. */
const chromiumEngine = (threads, relaxed) => `wasm_chromium${threads > 1 ? '_threads' : ''}${relaxed ? '_rx' : ''}`;

/**
 * Every build (single-threaded and threaded; plain and relaxed SIMD) in one fresh context, model
 * by model, the builds taking turns repeat by repeat (scripts/bench/chromium.mjs), so that the
 * threaded/single and relaxed/plain ratios are taken over the same moments of the shared machine.
 */
async function chromiumRound(chrome, k) {
  const builds = [];
  for (const relaxed of opts.relaxed ? [false, true] : [false]) for (const threads of opts.threads ? [1, opts.threads] : [1]) builds.push({ threads, relaxed });
  const jobs = [];
  const models = [['seed', opts.warmup, opts.batches], ...extraJobs()];
  for (const [label, warmup, batches] of models)
    for (const { threads, relaxed } of builds) jobs.push({ label, model: MODELS[label], train: trainConfig(), warmup, repeats: opts.repeats, batches, threads, relaxed });
  const got = await chrome.run(jobs, (m) => {
    const { threads, relaxed } = jobs[m.job];
    records.push({ kind: 'repeat', engine: chromiumEngine(threads, relaxed), model: m.label, process: k, threads, ...m, samples_per_s: m.samples / m.seconds });
  });
  got.jobs.forEach((info, i) => {
    const { threads, relaxed } = jobs[i];
    if (threads > 1 && !relaxed) chromiumThreads = { ...info, crossOriginIsolated: got.crossOriginIsolated };
    if (relaxed && !String(info.backend).includes('relaxed')) throw new Error(`the relaxed-SIMD build reported backend ${info.backend}`);
  });
}

// ---- summaries ------------------------------------------------------------------------------
const FLOPS = Object.fromEntries(['seed', ...EXTRA_MODELS].map((m) => [m, flopsPerSample(MODELS[m])]));
const rows = (engine, model) => records.filter((r) => r.engine === engine && r.model === model);
const rates = (engine, model) => rows(engine, model).map((r) => r.samples_per_s);
const perCpu = (engine, model) => rows(engine, model).filter((r) => r.cpu_seconds > 0).map((r) => r.samples / r.cpu_seconds);
const processMedian = (engine, model, k) => summary(rows(engine, model).filter((r) => r.process === k).map((r) => r.samples_per_s)).median;
/** The WASM peak divided by the CPU share gemm_bench had (a busy machine's lower share undone). */
const perCpuPeak = (g) => (g.cpu_share > 0 ? g.peak_gflops / Math.min(1, g.cpu_share) : NaN);

/** Median over rounds of (engine / TF.js tuned), each ratio taken inside one Node process. */
function sameProcessRatio(engine, model) {
  const ks = [...new Set(rows(engine, model).map((r) => r.process))];
  return summary(ks.map((k) => processMedian(engine, model, k) / processMedian('tfjs_wasm', 'seed', k)).filter(Number.isFinite)).median;
}

function table(lines) {
  const widths = lines[0].map((_, c) => Math.max(...lines.map((l) => String(l[c]).length)));
  return lines.map((l) => l.map((cell, c) => (c < 2 ? String(cell).padEnd(widths[c]) : String(cell).padStart(widths[c]))).join('  ')).join('\n');
}

function report(elapsedS, quality, labs, inNode) {
  const wasmPeak = gemmPeak(gemm, 'wasm');
  const rxPeak = gemmPeak(gemm, 'wasm_rx');
  const nativePeak = gemmPeak(gemm, 'native');
  const tfjs = summary(rates('tfjs_wasm', 'seed')).median;
  const lines = [['engine', 'model', 'samples/s med', 'min', 'max', 'per CPU-s', 'GFLOP/s', '% GEMM peak', '× TF.js', 'other cores']];
  const ENGINES = [
    ['wasm_node', 'seed', 'wasm'],
    ['wasm_chromium', 'seed', 'wasm'],
    ['wasm_chromium_threads', 'seed', 'wasm'],
    ['wasm_chromium_rx', 'seed', 'wasm_rx'],
    ['wasm_chromium_threads_rx', 'seed', 'wasm_rx'],
    ['native', 'seed', 'native'],
    ['tfjs_wasm', 'seed', 'wasm'],
    ['tfjs_wasm_stock', 'seed', 'wasm'],
    ...EXTRA_MODELS.flatMap((m) => [
      ['wasm_node', m, 'wasm'],
      ['wasm_chromium', m, 'wasm'],
      ['wasm_chromium_threads', m, 'wasm'],
      ['wasm_chromium_rx', m, 'wasm_rx'],
      ['wasm_chromium_threads_rx', m, 'wasm_rx'],
      ['native', m, 'native'],
    ]),
  ];
  const medians = {};
  for (const [engine, model, peakOf] of ENGINES) {
    const s = summary(rates(engine, model));
    if (!s.n) continue;
    medians[`${model}:${engine}`] = s.median;
    const gflops = (s.median * FLOPS[model]) / 1e9;
    const peak = peakOf === 'wasm' ? wasmPeak.peak : peakOf === 'wasm_rx' ? rxPeak.peak : nativePeak.peak;
    const ratio = model !== 'seed' || engine.startsWith('tfjs') ? NaN : engine === 'wasm_node' ? sameProcessRatio(engine, model) : s.median / tfjs;
    const label = engine === 'tfjs_wasm' ? 'tfjs_wasm (tuned)' : engine.startsWith('wasm_chromium_threads') ? `${engine} (${opts.threads})` : engine;
    lines.push([
      label,
      model,
      fmt(s.median),
      fmt(s.min),
      fmt(s.max),
      fmt(summary(perCpu(engine, model)).median),
      fmt(gflops, 1),
      Number.isFinite(peak) ? `${fmt((100 * gflops) / peak)} %` : 'n/a',
      Number.isFinite(ratio) ? `${fmt(ratio, 2)}×` : '',
      fmt(summary(rows(engine, model).map((r) => r.other_cores).filter(Number.isFinite)).median, 2),
    ]);
  }
  console.log(`\n━━━ results: ${opts.processes} round(s) × ${opts.repeats} repeats, batch 128, one thread unless named ━━━`);
  console.log(table(lines));
  console.log(
    `\nGEMM peak (the engine's micro-kernel alone, gemm_bench): wasm ${fmt(wasmPeak.peak, 1)} GFLOP/s (the most any round measured: ` +
      `contention only ever lowers it; per round the larger of two runs inside that round's Node process: ${wasmPeak.rounds.map((p) => fmt(p, 1)).join(' / ')}), ` +
      `native ${fmt(nativePeak.peak, 1)} GFLOP/s (${gemm.find((g) => g.engine === 'native')?.backend ?? 'n/a'})` +
      (rxPeak.rounds.length ? `; relaxed SIMD (wasm_rx, the *_rx rows' peak) ${fmt(rxPeak.peak, 1)} GFLOP/s, ${fmt(rxPeak.peak / wasmPeak.peak, 2)}× the plain one.` : '.'),
  );
  console.log(`FLOP per sample (2·MACs of forward, weight-gradient and input-gradient GEMMs, no input gradient for layer 1): ${Object.entries(FLOPS).map(([m, f]) => `${m} ${fmt(f)}`).join(', ')}.`);
  console.log(
    'samples/s: median, min and max over every timed repeat of every round. per CPU-s: samples per CPU second of the measuring process ' +
      '(Chromium: the whole browser), the speed with a core to itself. × TF.js: wasm_node against TF.js in the same Node process (median of the ' +
      'rounds), the others against the run\'s TF.js median. other cores: what other processes kept busy meanwhile (2 cores here).',
  );
  const proc = (engine) =>
    [...new Set(rows(engine, 'seed').map((r) => r.process))].map((k) => fmt(processMedian(engine, 'seed', k))).join(' / ');
  console.log(`per round (seed): wasm_node ${proc('wasm_node')}; tfjs_wasm ${proc('tfjs_wasm')}; wasm_chromium ${proc('wasm_chromium')}; native ${proc('native')}`);

  // Threaded against single-threaded, side by side (Chromium worker, same run), and what the
  // measured speed-up implies for 4 threads (Amdahl: the parallel fraction p solved from the
  // 2-thread speed-up; sync costs and memory bandwidth not modelled, so an upper estimate).
  const speedup = { plain: {}, relaxed: {} }; // [kind][model]: threaded / single-threaded
  if (opts.threads && opts.chromium) {
    const n = chromiumThreads?.threads ?? opts.threads;
    for (const relaxed of opts.relaxed ? [false, true] : [false]) {
      const into = speedup[relaxed ? 'relaxed' : 'plain'];
      console.log(
        `\nthreads (${chromiumThreads?.build ?? 'threads'} build${relaxed ? ' with relaxed SIMD' : ''}, ${n} threads, on ${cpus().length} cores; Chromium worker, same run):`,
      );
      for (const model of ['seed', ...opts.extra]) {
        const one = medians[`${model}:${chromiumEngine(1, relaxed)}`];
        const many = medians[`${model}:${chromiumEngine(n, relaxed)}`];
        into[model] = many / one;
        const p = n > 1 ? Math.min(1, Math.max(0, (1 - 1 / into[model]) / (1 - 1 / n))) : NaN;
        const at4 = 1 / (1 - p + p / 4);
        console.log(
          `  ${model.padEnd(8)}  1 thread ${fmt(one).padStart(7)} samples/s   ${n} threads ${fmt(many).padStart(7)} samples/s   ${fmt(into[model], 2)}×` +
            `   (parallel fraction ${fmt(100 * p)} % → 4 threads ≈ ${fmt(at4, 2)}×)`,
        );
      }
    }
    if (opts.relaxed) {
      console.log('\nrelaxed SIMD against plain SIMD (Chromium worker, same run):');
      for (const model of ['seed', ...opts.extra]) {
        const x = (threads) => medians[`${model}:${chromiumEngine(threads, true)}`] / medians[`${model}:${chromiumEngine(threads, false)}`];
        console.log(`  ${model.padEnd(8)}  1 thread ${fmt(x(1), 2)}×   ${n} threads ${fmt(x(n), 2)}×`);
      }
    }
  }

  const busy = summary(records.map((r) => r.other_cores).filter(Number.isFinite)).median;
  const convPct = (100 * (medians['conv:wasm_node'] ?? NaN) * FLOPS.conv) / 1e9 / wasmPeak.peak;
  console.log('\ntargets (batch 128; ratios from this run):');
  const check = (ok, text) => console.log(`  ${ok === null ? '–   ' : ok ? 'met ' : 'MISS'} ${text}`);
  for (const e of ['wasm_chromium', 'wasm_node']) {
    const m = medians[`seed:${e}`];
    if (m === undefined) continue;
    const ratio = e === 'wasm_node' ? sameProcessRatio(e, 'seed') : m / tfjs;
    const pct = (100 * m * FLOPS.seed) / 1e9 / wasmPeak.peak;
    // The same ratio from CPU time (training samples per CPU second against the peak divided by
    // the CPU share gemm_bench had), less sensitive to a busy machine.
    const pctCpu = (100 * summary(perCpu(e, 'seed')).median * FLOPS.seed) / 1e9 / gemmPeak(gemm, 'wasm', perCpuPeak).peak;
    check(ratio >= 2.5, `${e}: ${fmt(ratio, 2)}× TF.js WASM, one thread (target ≥ 2.5×)`);
    check(pct > 75, `${e}: ${fmt(pct)} % of the WASM GEMM peak (target > 75 %; from CPU time: ${fmt(pctCpu)} %)`);
  }
  for (const relaxed of [false, true]) {
    const x = speedup[relaxed ? 'relaxed' : 'plain'].seed;
    if (Number.isFinite(x))
      check(
        x >= 1.7,
        `${chromiumEngine(2, relaxed)}: seed ${fmt(x, 2)}× the single-threaded ${relaxed ? 'relaxed-SIMD ' : ''}build on ${chromiumThreads?.threads ?? opts.threads} threads (target ≥ 1.7× on 2 cores)`,
      );
  }
  if (inNode) {
    check(
      null,
      `wasm_node_threads: seed ${fmt(inNode.speedup, 2)}× on ${inNode.threads} threads in Node (train_bench_mt, the threaded engine with no browser on the cores; ` +
        `${fmt(inNode.one)} → ${fmt(inNode.many)} samples/s; pairs ${inNode.ratios.map((x) => `${fmt(x, 2)}×`).join(', ')})`,
    );
  }
  const rxSeed = medians['seed:wasm_chromium_rx'];
  if (rxSeed !== undefined) {
    check(rxSeed / tfjs >= 2.5, `wasm_chromium_rx: ${fmt(rxSeed / tfjs, 2)}× TF.js WASM, one thread, relaxed SIMD (${fmt(rxSeed / medians['seed:wasm_chromium'], 2)}× the plain build; target ≥ 2.5×)`);
    check(null, `wasm_chromium_rx: ${fmt((100 * rxSeed * FLOPS.seed) / 1e9 / rxPeak.peak)} % of the relaxed-SIMD GEMM peak (${fmt(rxPeak.peak, 1)} GFLOP/s)`);
  }
  if (Number.isFinite(convPct)) check(convPct >= 75, `wasm_node: conv AE at ${fmt(convPct)} % of the WASM GEMM peak, one thread (target ≥ 75 %)`);
  if (medians['seed:native'] !== undefined) check(medians['seed:native'] >= 19900, `native: ${fmt(medians['seed:native'])} samples/s (target ≥ 19,900, PyTorch 1 thread on this machine per the anchors)`);
  if (quality) {
    const q = quality.first;
    const limit = quality.threads > 1 ? 30 : 60;
    check(
      q ? q.trainingS < limit : false,
      q
        ? `page: test BCE ${q.testLoss.toFixed(2)} ≤ ${quality.target} after epoch ${q.epoch}, ${q.trainingS.toFixed(1)} s of training ` +
            `(${q.wallS.toFixed(1)} s wall, browser CPU ${fmt(q.cpuS, 1)} s; ${quality.build ?? '?'} build, ${quality.backend ?? '?'}, ${quality.threads || '?'} thread(s)) (target < ${limit} s)`
        : `page: test BCE ≤ ${quality.target} not reached in ${quality.epochs.length} epochs`,
    );
    // The page's speed in its training chunks against the same build's bench worker in this run:
    // what the page's own drawing and work cost, apart from the host's speed of the moment.
    const build = `seed:wasm_chromium${quality.threads > 1 ? '_threads' : ''}${quality.backend === 'wasm-relaxed-simd' ? '_rx' : ''}`;
    if (q && medians[build] !== undefined && quality.trainImages) {
      const speed = (q.epoch * quality.trainImages) / q.trainingS;
      check(null, `page: trained at ${fmt(speed)} samples/s in its chunks (${q.epoch} epochs of ${fmt(quality.trainImages)} images), ${fmt((100 * speed) / medians[build])} % of the same build's bench worker in this run (${build.slice(5)} ${fmt(medians[build])})`);
    }
    check(quality.longTasks.count === 0, `page: ${quality.longTasks.count} main-thread task(s) over 50 ms of wall time while training (longest ${fmt(quality.longTasks.maxMs)} ms; target none)`);
    if (Number.isFinite(quality.longTasks.maxCpuMs))
      check(quality.longTasks.maxCpuMs < 50, `page: the most CPU a main-thread task used in 20 s of training (traced after the target) was ${fmt(quality.longTasks.maxCpuMs, 1)} ms (target < 50 ms)`);
    else check(false, 'page: the main thread was not traced (training had stopped before the target)');
  }
  if (labs) {
    const lab = (key, what) => {
      const t = labs[key];
      check(t.median < 2, `labs (WASM): ${what} in ${fmt(t.median, 2)} s (median of ${t.n}; min ${fmt(t.min, 2)}, max ${fmt(t.max, 2)}; CPU ${fmt(t.cpu, 2)} s) (target < 2 s)`);
    };
    lab('score', 'scoring the 10,000 test images');
    lab('pca', 'PCA k = 20 fitted on the 60,000 training images');
    lab('probe', `a softmax probe on 1,000 labelled codes, fitted and tested (accuracy ${fmt(100 * labs.accuracy, 1)} %)`);
    {
      const t = labs.sweep;
      const { k, epochs, trainImages, testImages } = labs.sweepPoint;
      check(
        null,
        `labs (WASM): one latent-size sweep point, k = ${k} (${epochs} epochs on ${fmt(trainImages)} images from scratch, tested on ${fmt(testImages)}, with PCA's curve): ` +
          `${fmt(t.median, 1)} s (median of ${t.n}; min ${fmt(t.min, 1)}, max ${fmt(t.max, 1)}; CPU ${fmt(t.cpu, 1)} s); test MSE ${labs.sweepMse.toFixed(4)}, PCA's ${labs.sweepPcaMse.toFixed(4)} (a training job: no target)`,
      );
    }
    for (const r of labs.page ?? [])
      check(
        r.maxTaskCpuMs < 50,
        `labs (page): the ${r.lab} lab computed in ${fmt(r.wallS, 1)} s; the most CPU a main-thread task used meanwhile ${fmt(r.maxTaskCpuMs, 1)} ms (target < 50 ms); ${r.longTasks.count} task(s) over 50 ms of wall time (longest ${fmt(r.longTasks.maxMs)} ms)`,
      );
  }
  if (busy > 0.1) console.log(`  note: other processes kept ${fmt(busy, 2)} cores busy (median) during the timed repeats; samples/s are lower than on an idle machine, per CPU-s less so.`);
  console.log(`\nbench took ${fmt(elapsedS)} s`);

  const kv = {
    wasm_node: medians['seed:wasm_node'],
    wasm_chromium: medians['seed:wasm_chromium'],
    native: medians['seed:native'],
    tfjs_wasm: medians['seed:tfjs_wasm'],
    gemm_peak_gflops: wasmPeak.peak,
    tfjs_wasm_stock: medians['seed:tfjs_wasm_stock'],
    ...Object.fromEntries(
      EXTRA_MODELS.flatMap((m) => ['wasm_node', 'wasm_chromium', 'native'].map((e) => [`${m}_${e}`, medians[`${m}:${e}`]])),
    ),
    native_gemm_peak_gflops: nativePeak.peak,
    other_cores: busy,
    quality_training_s: quality?.first?.trainingS,
    wasm_chromium_threads: medians['seed:wasm_chromium_threads'],
    wasm_node_threads_speedup: inNode?.speedup,
    threads: medians['seed:wasm_chromium_threads'] !== undefined ? chromiumThreads?.threads ?? opts.threads : undefined,
    conv_peak_pct: convPct,
    wasm_chromium_rx: medians['seed:wasm_chromium_rx'],
    wasm_chromium_threads_rx: medians['seed:wasm_chromium_threads_rx'],
    gemm_peak_rx_gflops: rxPeak.peak,
    lab_score_s: labs?.score.median,
    lab_pca_s: labs?.pca.median,
    lab_probe_s: labs?.probe.median,
    lab_sweep_point_s: labs?.sweep.median,
    lab_page_task_cpu_ms: labs?.page ? Math.max(...labs.page.map((r) => r.maxTaskCpuMs)) : undefined,
  };
  const plain = (v, digits) => fmt(v, digits).replace(/,/g, ''); // rounded as the table rounds
  const val = (k, v) => (k === 'other_cores' ? plain(v, 2) : k === 'lab_page_task_cpu_ms' ? plain(v, 1) : k.startsWith('lab_') || k.endsWith('_speedup') ? plain(v, 2) : k.endsWith('gflops') || k === 'quality_training_s' ? plain(v, 1) : plain(v, 0));
  console.log(`bench ${Object.entries(kv).filter(([, v]) => Number.isFinite(v)).map(([k, v]) => `${k}=${val(k, v)}`).join(' ')}`);
}

// ---- main -----------------------------------------------------------------------------------
async function main() {
  setUp();
  checkPrerequisites();
  const t0 = performance.now();
  console.log(
    `bench: ${cpus()[0]?.model ?? 'unknown CPU'} × ${cpus().length}, node ${process.version}; ${opts.processes} round(s): ` +
      `warm-up ${opts.warmup}, ${opts.repeats} × ${opts.batches} batches of 128 (${extraJobs().map(([m, , b]) => `${m}: ${b}`).join(', ')}, TF.js stock: ${opts.stockBatches})`,
  );
  let chrome = null;
  if (opts.chromium) {
    const { openChromium } = await import('./bench/chromium.mjs');
    chrome = await openChromium();
    console.log(`bench: Chromium ${chrome.version} (headless, module Web Worker)`);
  }
  try {
    for (let k = 1; k <= opts.processes; k++) {
      const tk = performance.now();
      await nodeRound(k);
      if (opts.native) await nativeRound(k);
      if (opts.relaxed) await relaxedGemmRound(k);
      if (chrome) await chromiumRound(chrome, k);
      const m = (e, model = 'seed') => fmt(processMedian(e, model, k));
      const peak = Math.max(...gemm.filter((g) => g.engine === 'wasm' && g.process === k).map((g) => g.peak_gflops));
      console.log(
        `round ${k}/${opts.processes} (${fmt((performance.now() - tk) / 1000)} s): seed samples/s wasm_node ${m('wasm_node')}, tfjs_wasm ${m('tfjs_wasm')}` +
          `${opts.stock ? `, tfjs_wasm_stock ${m('tfjs_wasm_stock')}` : ''}${opts.native ? `, native ${m('native')}` : ''}${chrome ? `, wasm_chromium ${m('wasm_chromium')}` : ''}; wasm GEMM peak ${fmt(peak, 1)} GFLOP/s` +
          extraJobs().map(([model]) => `; ${model} wasm_node ${m('wasm_node', model)}${opts.native ? `, native ${m('native', model)}` : ''}`).join(''),
      );
    }
  } finally {
    await chrome?.close();
  }

  let labs = null;
  if (opts.labs) {
    console.log('\nlabs: the applications lab\'s heavy steps on the page\'s WASM module (Node, one thread)…');
    const { SWEEP_POINT, measureLabs } = await import('./bench/labs.mjs');
    labs = { ...(await measureLabs()), sweepPoint: SWEEP_POINT };
    if (opts.chromium) {
      console.log('labs: the five labs computing in the built page (dist/) in headless Chromium, the main thread traced…');
      const { measureLabsInPage } = await import('./bench/labs-page.mjs');
      labs.page = await measureLabsInPage();
    }
  }

  let quality = null;
  if (opts.quality) {
    console.log('\nquality: training the built page (dist/) in headless Chromium until test BCE ≤ 68.45…');
    const { measureQualityTime } = await import('./bench/quality.mjs');
    quality = await measureQualityTime({
      onEpoch: (r) =>
        console.log(
          `  epoch ${r.epoch}: test BCE ${r.testLoss?.toFixed(2)}, train ${r.trainLoss?.toFixed(2)}; ${r.trainingS.toFixed(1)} s of training, ` +
            `${r.wallS.toFixed(1)} s since Start, browser CPU ${fmt(r.cpuS, 1)} s`,
        ),
    });
  }

  let inNode = null;
  if (opts.threads > 1 && existsSync(BIN.trainBenchMt)) {
    console.log(`\nthreads in Node: train_bench_mt, the seed model on 1 and ${opts.threads} threads alternated…`);
    inNode = await nodeThreads(opts.threads);
  }

  report((performance.now() - t0) / 1000, quality, labs, inNode);
  if (opts.json) writeFileSync(resolve(opts.json), JSON.stringify({ options: opts, records, gemm, quality, labs }, null, 1));
}

main().catch((e) => {
  console.error(`bench: ${e.stack || e.message}`);
  process.exit(1);
});
