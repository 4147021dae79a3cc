// What the model computes on request, between training chunks: reconstructions (of images and
// of drawings, preprocessed here), codes, decodings (of codes and of map points),
// interpolations, samples from the prior, and test images and losses. Plain handler functions
// over the WorkerContext (context.js).
import { Request } from '../protocol.js';
import { latentPath } from '../lib/latent-path.js';
import { toMnist } from '../lib/preprocess.js';
import { normalSamples } from '../lib/random.js';
import { transfer } from './context.js';
import { evaluateInSlices } from './train-loop.js';

/** A VAE's [μ | log σ²] per image (n·2Z), null for other models: the formulas show z = μ + σ·ε. */
const posterior = (ctx, pixels, n) => (['vae', 'conv_vae'].includes(ctx.model?.variant) ? ctx.engine.posterior(pixels, n) : null);

export function reconstruct(ctx, { pixels, n }) {
  const e = ctx.engine;
  const out = e.reconstruct(pixels, n);
  const codes = e.encode(pixels, n);
  return transfer({ pixels: out, codes, points: ctx.points(codes, n), posterior: posterior(ctx, pixels, n) });
}

export function reconstructDrawing(ctx, { rgba, width, height }) {
  const e = ctx.engine;
  const { pixels: input, blank } = toMnist({ data: rgba, width, height });
  if (blank) return { input: null, pixels: null, codes: null, points: null, posterior: null };
  const codes = e.encode(input, 1);
  return transfer({ input, pixels: e.reconstruct(input, 1), codes, points: ctx.points(codes, 1), posterior: posterior(ctx, input, 1) });
}

export const encode = (ctx, { pixels, n }) => transfer({ codes: ctx.engine.encode(pixels, n) });

export const decode = (ctx, { codes, n }) => transfer({ pixels: ctx.engine.decode(codes, n), points: ctx.points(codes, n) });

export function decodePoints(ctx, { points, n }) {
  if (!ctx.mapReady) throw new Error('the latent map is not ready yet: load the test set first');
  const codes = ctx.engine.unproject(points, n);
  return transfer({ codes, pixels: ctx.engine.decode(codes, n) });
}

export function interpolate(ctx, { a, b, frames = 32, path = 'linear' }) {
  const e = ctx.engine;
  if (!Number.isInteger(frames) || frames < 2 || frames > 240) throw new Error(`interpolate: frames must be an integer in [2, 240], got ${frames}`);
  const codeOf = (end, name) => {
    if (end?.code) return Float32Array.from(end.code);
    if (end?.pixels) return e.encode(end.pixels, 1);
    throw new Error(`interpolate: endpoint ${name} needs pixels or a code`);
  };
  const za = codeOf(a, 'A'), zb = codeOf(b, 'B');
  const z = e.info().latentSize;
  if (za.length !== z || zb.length !== z) throw new Error(`interpolate: codes must have ${z} values (the model's latent size), got ${za.length} and ${zb.length}`);
  const codes = latentPath(za, zb, frames, path);
  return transfer({ codes, pixels: e.decode(codes, frames), points: ctx.points(codes, frames) });
}

// A VAE's prior is N(0, I); an adversarial autoencoder's is the one it was trained towards
// (normal or the ten-Gaussian mixture), sampled in the engine (models/prior.hpp).
export function samplePrior(ctx, { n, seed }) {
  if (!Number.isInteger(n) || n < 1 || n > 400) throw new Error(`samplePrior: n must be an integer in [1, 400], got ${n}`);
  const codes = ctx.model?.variant === 'aae' ? ctx.engine.samplePrior(n, seed >>> 0, null).codes : normalSamples(n * ctx.engine.info().latentSize, seed >>> 0);
  return transfer({ codes, pixels: ctx.engine.decode(codes, n), points: ctx.points(codes, n) });
}

/** The sequence autoencoder: codes decoded row by row (row t is the decoder's step t). */
export function decodeSteps(ctx, { codes, n }) {
  const d = ctx.engine.decodeSteps(codes, n);
  return transfer({ rows: d.rows, steps: d.steps, stepSize: d.stepSize });
}

export const images = (ctx, { split, indices }) => transfer({ pixels: ctx.engine.images(split, indices), labels: ctx.engine.labels(split, indices) });

export const evaluate = async (ctx, { split }) => ({ loss: await evaluateInSlices(ctx.engine, split) });

export const inferenceHandlers = {
  [Request.RECONSTRUCT]: reconstruct,
  [Request.RECONSTRUCT_DRAWING]: reconstructDrawing,
  [Request.ENCODE]: encode,
  [Request.DECODE]: decode,
  [Request.DECODE_POINTS]: decodePoints,
  [Request.INTERPOLATE]: interpolate,
  [Request.SAMPLE_PRIOR]: samplePrior,
  [Request.DECODE_STEPS]: decodeSteps,
  [Request.IMAGES]: images,
  [Request.EVALUATE]: evaluate,
};
