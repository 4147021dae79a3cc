// 5 · Choosing the latent size, and overfitting: the model's architecture trained with each
// latent size on a subset (its test error against k, beside PCA's), and the seed architecture
// with a 64-number code trained for many epochs on 1,000 images, train and test error after
// each epoch, with dropout or weight decay to close the gap. Both train models of their own (the
// loaded one is untouched), in budgeted units: lanes 'sweep' and 'run'.
import { SEED_MODEL } from '../../lib/presets.js';
import { PCA_KS, checkInt, ready } from './state.js';
import { epochOf } from './compare.js';

/**
 * LAB_SWEEP: the current model's architecture trained with each latent size (a few epochs on a
 * subset), test error against k beside PCA's. Lane 'sweep'; each finished k is a partial.
 */
export function sweep(ctx, { latents = [...PCA_KS], epochs = 3, trainImages = 20000, testImages = 2000, id = null }) {
  const labs = ready(ctx);
  if (!Array.isArray(latents) || !latents.length || latents.length > 12) throw new Error('latents must list 1 to 12 latent sizes');
  for (const k of latents) checkInt(k, 1, 128, 'a latent size');
  checkInt(epochs, 1, 20, 'epochs');
  checkInt(trainImages, 128, labs.count('train'), 'trainImages');
  checkInt(testImages, 16, labs.count('test'), 'testImages');
  const model = JSON.parse(ctx.engine.modelConfig());
  const train = { ...JSON.parse(ctx.engine.trainConfig()), class_filter: 'all' };
  return labs.jobs.run('sweep', { id, lab: 'sweep' }, async (job) => {
    labs.lab.sweepBegin(JSON.stringify({ model, train, latents, epochs, trainImages, testImages }));
    let done = 0;
    let pcaSent = false;
    const status = await job.advance('sweep', (units) => labs.lab.sweepAdvance(units), {
      phase: 'sweep',
      onStatus: (st) => {
        const finished = st.points.filter((p) => p.done).length;
        if (finished > done || (st.pcaMse.length && !pcaSent)) {
          done = finished;
          pcaSent = st.pcaMse.length > 0;
          job.progress('sweep', st.progress, 1, { points: st.points.map(pointOf), pcaMse: Float64Array.from(st.pcaMse) });
        }
      },
    });
    const points = status.points.map(pointOf);
    for (const p of points) labs.notePoint(`sweep:${p.k}`, { k: p.k, mse: p.testMse, kind: 'sweep', epochs, trainImages, testImages, variant: model.variant });
    return { points, pcaMse: Float64Array.from(status.pcaMse), epochs, trainImages, testImages, variant: model.variant };
  });
}

const pointOf = (p) => ({ k: p.k, done: p.done, testBce: p.testBce, testMse: p.testMse });

/**
 * LAB_OVERFIT: the seed architecture with a 64-number code trained on a small stratified set of
 * training images for many epochs, train and test error after each; dropout and weight decay
 * as asked. Lane 'run'; each epoch is a partial.
 */
export function overfit(ctx, { epochs = 50, trainImages = 1000, testImages = 2000, latent = 64, dropout = 0, weightDecay = 0, id = null }) {
  const labs = ready(ctx);
  checkInt(epochs, 1, 500, 'epochs');
  checkInt(trainImages, 100, labs.count('train'), 'trainImages');
  checkInt(testImages, 16, labs.count('test'), 'testImages');
  checkInt(latent, 1, 128, 'latent');
  if (!(dropout >= 0 && dropout <= 0.9)) throw new Error(`dropout must be in [0, 0.9], got ${dropout}`);
  if (!(weightDecay >= 0 && weightDecay <= 0.1)) throw new Error(`weightDecay must be in [0, 0.1], got ${weightDecay}`);
  const model = { ...SEED_MODEL, input: [...SEED_MODEL.input], encoder: [...SEED_MODEL.encoder], batchnorm: false, dropout, latent };
  const train = { optimizer: 'adam', lr: 1e-3, batch_size: 128, seed: 1, class_filter: 'all' };
  return labs.jobs.run('run', { id, lab: 'overfit' }, async (job) => {
    labs.lab.runBegin(JSON.stringify({ model, train, epochs, trainImages, testImages, dropout, weightDecay, latent }));
    let seen = 0;
    const status = await job.advance('run', (units) => labs.lab.runAdvance(units), {
      phase: 'overfit',
      onStatus: (st) => {
        if (st.epochs.length > seen) {
          seen = st.epochs.length;
          job.progress('overfit', st.progress, 1, { epochs: st.epochs.map(epochOf) });
        }
      },
    });
    return { epochs: status.epochs.map(epochOf), trainImages, testImages, latent, dropout, weightDecay };
  });
}
