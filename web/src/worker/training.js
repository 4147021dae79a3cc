// Training in the worker: start, pause, one step, where a run stops, live training settings,
// and the rollback when the loss diverges. Plain handler functions over the WorkerContext.
import { Event, Request } from '../protocol.js';
import { later } from './context.js';

/** START: trains in chunks until paused or `maxEpochs` epochs are done. */
export function start(ctx, { maxEpochs = Infinity, probes } = {}) {
  requireTrainingData(ctx.engine);
  if (Array.isArray(probes)) {
    ctx.probeIndices = probes;
    ctx.refreshProbes();
  }
  const limit = checkEpochs(maxEpochs);
  const done = ctx.engine.info().epoch;
  if (done >= limit) {
    throw new Error(`the model has already trained ${done} epoch${done === 1 ? '' : 's'}: set "Train for" above ${done} epochs to continue`);
  }
  ctx.loop.maxEpochs = limit;
  ctx.keeper.runStarted(); // the state to go back to if the loss diverges
  ctx.loop.start().then(() => later(() => ctx.keeper.autosave('stopped')));
  return { running: true };
}

/** PAUSE: resolves once the current chunk has finished. */
export async function pause(ctx) {
  await ctx.loop.pause();
  return { running: false, step: ctx.engine.info().step };
}

/** SET_LIMIT: where a running or later run stops. */
export function setLimit(ctx, { maxEpochs }) {
  ctx.loop.maxEpochs = checkEpochs(maxEpochs);
  return { maxEpochs: ctx.loop.maxEpochs };
}

/** STEP: one batch while paused. */
export async function step(ctx) {
  const e = ctx.engine;
  requireTrainingData(e);
  ctx.keeper.snapshot(); // the state before this step, to go back to if it diverges
  let stats;
  try {
    stats = await ctx.loop.step();
  } catch (err) {
    if (rollBack(ctx, err)) return { stats: null, diverged: true };
    throw err;
  }
  ctx.mapReady = ctx.loop.mapCount > 0 && e.hasDataset('test');
  if (ctx.keeper.autosaveDue()) later(() => ctx.keeper.autosave('interval'));
  return { stats };
}

/** SET_TRAINING: any subset of the training config, applied at the next step. */
export function setTraining(ctx, { train }) {
  // New settings are what usually makes a loss diverge: keep the state from before them
  // (at most every 2 s of training, so that dragging a slider costs little).
  if (ctx.loop.running && ctx.loop.elapsedMs - (ctx.keeper.good?.atMs ?? -Infinity) >= 2000) ctx.keeper.snapshot();
  ctx.engine.setTraining(JSON.stringify(train));
  Object.assign(ctx.train, train);
  const noiseChanged = 'noise' in train || 'noise_amount' in train;
  ctx.updateNoise();
  if (noiseChanged && !ctx.loop.running) ctx.loop.postSnapshot(ctx.engine.info().step);
  return { train: JSON.parse(ctx.engine.trainConfig()) };
}

/**
 * A step reported a NaN or infinite loss (the engine refused its update, and threw an Error
 * with code 'diverged' and params { step, value: 'nan' | 'inf', term, phase, lr }): go back to
 * the last good snapshot with the current training settings, and tell the page, as data (the
 * page never reads the message's text). Other failures are not handled here.
 * @returns {boolean} whether `err` was a divergence (and so handled)
 */
export function rollBack(ctx, err) {
  if (err?.code !== 'diverged') return false;
  const p = err.params ?? {};
  const current = ctx.engine.trainConfig();
  const train = JSON.parse(current); // what the model trains with, whatever the page's controls show
  let restored = null;
  try {
    const r = ctx.keeper.restore();
    if (r) {
      ctx.modelReplaced();
      ctx.adoptHistory(r.historyText, ctx.engine.info());
      ctx.engine.setTraining(current); // the settings of now (the person will change them), not the snapshot's
      restored = { step: r.step, epoch: r.epoch };
    }
  } catch (e2) {
    ctx.post({ type: Event.LOG, level: 'error', message: `could not restore the last good state: ${e2.message}` });
  }
  ctx.mapReady = false;
  ctx.post({
    type: Event.DIVERGED,
    message: err.message,
    divergedAt: Number.isFinite(p.step) ? p.step : null,
    value: p.value ?? null,
    term: p.term ?? null,
    train: { optimizer: train.optimizer, lr: Number.isFinite(p.lr) ? p.lr : train.lr, clip_norm: train.clip_norm ?? 0 },
    restored,
    history: ctx.loop.history.toMessage(),
  });
  ctx.post({ type: Event.STATE, running: false, reason: 'diverged' });
  ctx.showModel();
  return true;
}

function requireTrainingData(engine) {
  if (!engine.hasDataset('train')) throw new Error('no training data: load a dataset before training');
}

function checkEpochs(n) {
  if (n === Infinity || n === undefined || n === null) return Infinity;
  if (!Number.isInteger(n) || n < 1) throw new Error(`maxEpochs must be an integer >= 1, got ${n}`);
  return n;
}

export const trainingHandlers = {
  [Request.START]: start,
  [Request.PAUSE]: pause,
  [Request.SET_LIMIT]: setLimit,
  [Request.STEP]: step,
  [Request.SET_TRAINING]: setTraining,
};
