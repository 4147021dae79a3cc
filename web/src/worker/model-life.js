// The model's life in the worker: built from configs, reset to fresh weights, or replaced by a
// model file's (all or nothing). Plain handler functions over the WorkerContext (context.js).
import { Request } from '../protocol.js';
import { describeFile } from '../lib/aemf.js';

const INPUT_SIZE = 28 * 28; // the playground's images

/** CONFIGURE: fresh weights from the configs; stops training. */
export async function configure(ctx, { model, train, dataset }) {
  await ctx.loop.pause();
  ctx.engine.configure(JSON.stringify(model), JSON.stringify(train));
  ctx.modelReplaced();
  ctx.model = model;
  ctx.train = { ...train };
  if (dataset) ctx.dataset = dataset;
  ctx.source = { kind: 'scratch' };
  ctx.mapReady = false;
  ctx.loop.resetStats();
  ctx.keeper.forget(0);
  ctx.updateNoise();
  ctx.showModel();
  return { info: ctx.engine.info(), train: JSON.parse(ctx.engine.trainConfig()) };
}

/** ESTIMATE: what a model would cost (FLOPs per sample, peak bytes of a batch), before building it. */
export function estimate(ctx, { model, train }) {
  if (typeof ctx.module.Engine.estimate !== 'function') throw new Error('this build of the engine cannot estimate what a model costs');
  return ctx.module.Engine.estimate(JSON.stringify(model), JSON.stringify(train));
}

/** RESET: fresh weights and optimizer state from the seed; stops training. */
export async function reset(ctx) {
  await ctx.loop.pause();
  ctx.engine.reset();
  ctx.modelReplaced();
  ctx.loop.resetStats();
  ctx.keeper.forget(0);
  ctx.source = { kind: 'scratch' };
  ctx.showModel();
  return { info: ctx.engine.info() };
}

/**
 * Replaces the model with a model file's, all or nothing: a refused file (the engine's
 * message says why) leaves the current model, its history and training state as they were.
 * Used by LOAD_MODEL here and by LOAD_PRETRAINED / LOAD_STORED (persistence.js).
 */
export async function loadBytes(ctx, bytes, source) {
  let described = null;
  try {
    described = describeFile(bytes);
  } catch {
    // Not readable here: the engine's loader says exactly what is wrong below.
  }
  const input = described?.model?.input;
  if (Array.isArray(input) && input.reduce((a, b) => a * b, 1) !== INPUT_SIZE) {
    throw new Error(`model file: this model takes ${input.join('×')} images, but the playground's images are 1×28×28: it cannot be used here`);
  }
  await ctx.loop.pause();
  const historyText = ctx.engine.loadModel(bytes); // throws, changing nothing, when refused
  ctx.modelReplaced();
  const info = ctx.engine.info();
  const model = JSON.parse(ctx.engine.modelConfig());
  const train = JSON.parse(ctx.engine.trainConfig());
  const rec = ctx.adoptHistory(historyText, info);
  ctx.model = model;
  ctx.train = { ...train };
  if (rec.dataset) ctx.dataset = rec.dataset;
  ctx.source = source;
  ctx.mapReady = false;
  ctx.keeper.forget(info.step);
  ctx.updateNoise();
  ctx.showModel();
  return {
    info,
    model,
    train,
    dataset: rec.dataset,
    source,
    history: ctx.loop.history.toMessage(),
    target: rec.target,
    optimizerState: described?.optimizerState ?? false,
    weights: described?.weights ?? 'f32',
  };
}

/** LOAD_MODEL: a file the person picked or dropped. */
export function loadModel(ctx, { bytes, name }) {
  if (!(bytes instanceof Uint8Array)) throw new Error('loadModel: expected the file as a Uint8Array');
  return loadBytes(ctx, bytes, { kind: 'file', name: String(name ?? 'model file') });
}

export const modelLifeHandlers = {
  [Request.CONFIGURE]: configure,
  [Request.ESTIMATE]: estimate,
  [Request.RESET]: reset,
  [Request.LOAD_MODEL]: loadModel,
};
