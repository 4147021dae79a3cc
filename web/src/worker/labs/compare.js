// 3 · AE vs PCA: the probe images reconstructed by the model and by PCA with the same k, PCA's
// test error for every k (one fit gives them all) with the model's own as a point, beside the
// models seen before and the sweep's; and the classic result made visible: a linear autoencoder
// (no activation at all, MSE) trained here lands on PCA's error.
import { checkIndices, checkInt, mean, modelLabel, ready, reconstructBoth } from './state.js';

/**
 * LAB_PCA: the probe images reconstructed by the model and by PCA with the same k; PCA's test
 * error for every k; the model's own (and those of the models seen before) as points.
 */
export function comparePca(ctx, { probes = [], id = null }) {
  const labs = ready(ctx);
  checkIndices(probes, labs.count('test'), 16);
  const { lab, engine } = { lab: labs.lab, engine: ctx.engine };
  return labs.jobs.run('view', { id, lab: 'pca' }, async (job) => {
    const k = engine.info().latentSize;
    const curve = await labs.pcaCurve(job);
    const s = await labs.testScores(job);
    const aeMse = mean(s.mse);
    labs.notePoint(`model:${labs.modelVersion}`, { k, mse: aeMse, kind: 'model', step: s.step, ...modelLabel(ctx) });
    let shown = null;
    if (probes.length && k <= curve.mse.length - 1) {
      const x = engine.images('test', probes);
      shown = { indices: probes, labels: engine.labels('test', probes), pixels: x, ...reconstructBoth(labs, x, probes.length, k) };
    }
    return {
      model: { key: labs.modelKey(), step: s.step, k },
      curve,
      ae: { mse: aeMse, images: s.mse.length },
      pcaAtK: curve.mse[Math.min(k, curve.mse.length - 1)],
      points: [...labs.points.values()],
      probes: shown,
    };
  });
}

/**
 * LAB_LINEAR: a linear autoencoder (every activation removed, MSE loss) trained here, run in
 * budgeted units; its test MSE per epoch beside PCA's with the same k. Lane 'run'.
 */
export function linear(ctx, { k = 20, epochs = 3, trainImages = 60000, deep = false, id = null }) {
  const labs = ready(ctx);
  checkInt(k, 1, 64, 'k');
  checkInt(epochs, 1, 50, 'epochs');
  checkInt(trainImages, 128, labs.count('train'), 'trainImages');
  const model = { variant: 'dense', input: [1, 28, 28], encoder: deep ? [400] : [], latent: k, activation: 'identity', output: 'identity', loss: 'mse', batchnorm: false, dropout: 0 };
  const train = { optimizer: 'adam', lr: 1e-3, batch_size: 128, seed: 1, class_filter: 'all' };
  return labs.jobs.run('run', { id, lab: 'linear' }, async (job) => {
    const testImages = labs.count('test');
    labs.lab.runBegin(JSON.stringify({ model, train, epochs, trainImages, testImages, latent: k }));
    let seen = 0;
    const status = await job.advance('run', (units) => labs.lab.runAdvance(units), {
      phase: 'linear',
      onStatus: (st) => {
        if (st.epochs.length > seen) {
          seen = st.epochs.length;
          job.progress('linear', st.progress, 1, { epochs: st.epochs.map(epochOf) });
        }
      },
    });
    const curve = await labs.pcaCurve(job);
    const rows = status.epochs.map(epochOf);
    const last = rows.at(-1);
    labs.notePoint(`linear:${k}:${deep ? 'deep' : 'single'}`, { k, mse: last.testMse, kind: 'linear', deep, epochs, trainImages });
    return { k, deep, epochs: rows, trainImages, testImages, pcaMse: curve.mse[k], ratio: last.testMse / curve.mse[k] };
  });
}

export const epochOf = (e) => ({ epoch: e.epoch, trainLoss: e.trainLoss, trainBce: e.trainBce, testBce: e.testBce, trainMse: e.trainMse, testMse: e.testMse });
