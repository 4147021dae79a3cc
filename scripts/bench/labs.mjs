// The applications lab's heavy steps, timed on the engine the page's worker runs (the Embind
// module web/src/wasm/ae.{mjs,wasm}, one thread) on the full MNIST splits (issue 11's speed
// target: each under 2 s in the WASM worker):
//   score    per-image reconstruction scores of the 10,000 test images (Lab.scoreImages)
//   pca      PCA fitted on the 60,000 training images, k = 20 (pcaBegin, pcaAdd, pcaFit)
//   probe    a softmax probe on 1,000 labelled images' codes, to convergence, and its accuracy
//            on the test set (probeBegin, probeStep, probeEvaluate)
//   sweep    one point of the latent-size lab's sweep as the page runs it (worker/labs/latent.js):
//            the shipped model's architecture with a code of SWEEP_POINT.k numbers, trained from
//            scratch SWEEP_POINT.epochs epochs on the first 20,000 training images and tested on
//            2,000, with PCA's error curve up to that k (sweepBegin, sweepAdvance). A training
//            job, not one step: no 2 s target.
// The page runs the same calls in slices of about 25 ms, so the sums here are what a lab costs
// its worker, not how long one message blocks it. Each step is repeated and its median kept.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

import { SWEEP } from '../../web/src/views/labs/latent-lab.js';
import { ROOT, TRAIN_SET, readTrainSet, summary } from './common.mjs';
import { loadEngineModule } from './engine-node.mjs';

const TEST_SET = join(ROOT, 'web/public/data/mnist-test.aeds.gz');
const MODEL = join(ROOT, 'web/public/models/mnist-seed.aemf');

/** The sweep point the bench times: one k of the lab's sweep, with the lab's own settings. */
export const SWEEP_POINT = Object.freeze({ k: 16, epochs: SWEEP.epochs, trainImages: SWEEP.trainImages, testImages: SWEEP.testImages });
if (!SWEEP.latents.includes(SWEEP_POINT.k)) throw new Error(`the latent lab's sweep no longer has k = ${SWEEP_POINT.k}`);

/**
 * → { score, pca, probe, sweep: { median, min, max, n, cpu } seconds (cpu: median CPU seconds),
 *     accuracy, sweepMse (the point's test MSE per pixel), sweepPcaMse (PCA's at the same k) }.
 */
export async function measureLabs({ repeats = 3 } = {}) {
  for (const f of [TRAIN_SET, TEST_SET, MODEL]) if (!existsSync(f)) throw new Error(`${f} is missing: run \`npm run setup\` first`);
  const module = await loadEngineModule();
  const engine = new module.Engine();
  engine.loadDataset('train', readTrainSet());
  engine.loadDataset('test', new Uint8Array(gunzipSync(readFileSync(TEST_SET))));
  engine.loadModel(new Uint8Array(readFileSync(MODEL)));
  const lab = new module.Lab(engine);
  // Wall time, and this process's CPU time over the same call (on a busy machine the wall time
  // also counts waiting for a core; the CPU time is what the step costs with a core to itself).
  const time = (fn) => {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const out = fn();
    const c = process.cpuUsage(c0);
    return { s: (performance.now() - t0) / 1000, cpu: (c.user + c.system) / 1e6, out };
  };
  const runs = { score: [], pca: [], probe: [], sweep: [] };
  const cpu = { score: [], pca: [], probe: [], sweep: [] };
  const model = JSON.parse(engine.modelConfig());
  const train = { ...JSON.parse(engine.trainConfig()), class_filter: 'all' };
  let sweep = null;
  const keep = (key, t) => {
    runs[key].push(t.s);
    cpu[key].push(t.cpu);
    return t.out;
  };
  let accuracy = null;
  try {
    for (let r = 0; r < repeats; r++) {
      keep('score', time(() => lab.scoreImages('test', 0, 10000)));
      keep(
        'pca',
        time(() => {
          lab.pcaBegin();
          lab.pcaAdd('train', 0, 60000, false);
          return lab.pcaFit(20);
        }),
      );
      const result = keep(
        'probe',
        time(() => {
        lab.probeBegin('codes', 1000, 0);
        let st;
        do st = lab.probeStep(50);
        while (!st.done);
        return lab.probeEvaluate('test', 0, 10000);
        }),
      );
      accuracy = result.correct / result.count;
      sweep = keep(
        'sweep',
        time(() => {
          const { k, epochs, trainImages, testImages } = SWEEP_POINT;
          lab.sweepBegin(JSON.stringify({ model, train, latents: [k], epochs, trainImages, testImages }));
          let st;
          do st = lab.sweepAdvance(1000000);
          while (!st.done);
          return st;
        }),
      );
    }
  } finally {
    lab.delete();
    engine.delete();
  }
  const both = (key) => ({ ...summary(runs[key]), cpu: summary(cpu[key]).median });
  const point = sweep?.points?.[0];
  if (!point?.done || !Number.isFinite(point.testMse)) throw new Error('the sweep point did not finish with a test error');
  return {
    score: both('score'),
    pca: both('pca'),
    probe: both('probe'),
    sweep: both('sweep'),
    accuracy,
    sweepMse: point.testMse,
    sweepPcaMse: sweep.pcaMse[SWEEP_POINT.k],
  };
}
