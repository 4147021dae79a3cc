// One fresh Node process of `npm run bench`: WASM speed differs between Node processes (some
// run every WASM kernel at about 0.6×), so everything that runs WebAssembly under Node is
// measured inside the same process and compared there:
//   1. the engine's WASM GEMM peak (build/wasm/engine/gemm_bench.cjs, in a worker thread of
//      this process: it calls exit() when done, which ends only that thread), first and last;
//   2. the seed model on our engine (the page's Embind module) and on TF.js's WASM backend
//      (tuned, and optionally stock), alternating repeats, the order swapped every repeat;
//   3. the other models (the convolutional, sequence and adversarial AEs) on our engine, each as
//      options.extra lists it: [label, warm-up batches, batches per repeat].
//
//   node scripts/bench/node-process.mjs '<options as JSON>'
// Prints one JSON object per line (kind: gemm | repeat | info), nothing else on stdout.
import { resolve as resolvePath } from 'node:path';
import { Worker } from 'node:worker_threads';

import { MODELS, aedsImages, cpuSeconds, machineLoad, parseGemmLine, readTrainSet } from './common.mjs';
import { createEngineTrainer } from './engine-node.mjs';
import { createTfjsTrainer, tfjsInfo } from './tfjs-model.mjs';

const DEFAULTS = {
  process: 1,
  warmup: 10,
  repeats: 3,
  batches: 100,
  stock: true,
  stockWarmup: 2,
  stockBatches: 20,
  extra: [['conv', 3, 20]],
  gemm: null, // path of gemm_bench.cjs, or null to skip
  batchSize: 128,
  seed: 1,
};

const emit = (o) => process.stdout.write(`${JSON.stringify(o)}\n`);

/** Runs an Emscripten node program in a worker thread of this process; resolves with its stdout. */
function runInWorkerThread(file, argv = []) {
  return new Promise((resolve, reject) => {
    const w = new Worker(resolvePath(file), { stdout: true, stderr: true, argv });
    let out = '';
    let err = '';
    w.stdout.on('data', (d) => (out += d));
    w.stderr.on('data', (d) => (err += d));
    w.on('error', reject);
    w.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${file} exited with ${code}: ${err.trim()}`))));
  });
}

function timed(engine, model, trainer, batches, repeat, common) {
  const load = machineLoad();
  const cpu0 = process.cpuUsage();
  const r = trainer.run(batches);
  const cpu = cpuSeconds(cpu0);
  emit({
    kind: 'repeat',
    engine,
    model,
    repeat,
    batches,
    samples: r.samples,
    seconds: r.seconds,
    samples_per_s: r.samples / r.seconds,
    cpu_seconds: cpu,
    other_cores: load(cpu),
    loss: r.loss,
    ...common,
  });
}

async function main() {
  const o = { ...DEFAULTS, ...JSON.parse(process.argv[2] ?? '{}') };
  const common = { process: o.process };

  // The GEMM peak, before and after the training measurements (the caller takes the larger:
  // a busy machine only ever lowers it). cpu_share: this process's CPU time per wall second
  // meanwhile (all threads; the bench's worker thread is the only busy one).
  const gemmPeak = async (when) => {
    if (!o.gemm) return;
    const load = machineLoad();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const g = parseGemmLine(await runInWorkerThread(o.gemm));
    const cpu = cpuSeconds(cpu0);
    emit({ kind: 'gemm', engine: 'wasm', when, ...g, cpu_share: cpu / ((performance.now() - t0) / 1000), other_cores: load(cpu), ...common });
  };
  await gemmPeak('before');

  const bytes = readTrainSet();
  const images = aedsImages(bytes);
  const ours = await createEngineTrainer({ model: MODELS.seed, trainBytes: bytes, batchSize: o.batchSize, seed: o.seed });
  const tuned = await createTfjsTrainer({ images, variant: 'tuned', batchSize: o.batchSize, seed: o.seed });
  const stock = o.stock ? await createTfjsTrainer({ images, variant: 'stock', batchSize: o.batchSize, seed: o.seed }) : null;
  emit({ kind: 'info', engine: 'wasm_node', backend: ours.backend, tfjs: await tfjsInfo(), ...common });

  ours.run(o.warmup);
  tuned.run(o.warmup);
  stock?.run(o.stockWarmup);
  for (let r = 1; r <= o.repeats; r++) {
    const pair = [
      () => timed('wasm_node', 'seed', ours, o.batches, r, common),
      () => timed('tfjs_wasm', 'seed', tuned, o.batches, r, common),
    ];
    if (r % 2 === 0) pair.reverse();
    for (const run of pair) run();
    if (stock) timed('tfjs_wasm_stock', 'seed', stock, o.stockBatches, r, common);
  }
  tuned.dispose();
  stock?.dispose();
  ours.engine.delete();

  for (const [label, warmup, batches] of o.extra) {
    const t = await createEngineTrainer({ model: MODELS[label], trainBytes: bytes, batchSize: o.batchSize, seed: o.seed });
    t.run(warmup);
    for (let r = 1; r <= o.repeats; r++) timed('wasm_node', label, t, batches, r, common);
    t.engine.delete();
  }
  await gemmPeak('after');
}

main().catch((e) => {
  process.stderr.write(`node bench process: ${e.stack || e.message}\n`);
  process.exit(1);
});
