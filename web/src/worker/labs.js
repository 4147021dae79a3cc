// The applications lab's request handlers ("6 · What it's for", issue 11), gathered from one
// module per lab (labs/anomaly.js, compression.js, compare.js, features.js, latent.js) over the
// shared LabState (labs/state.js: one Lab object per engine, the kept results, the PCA fit in
// place) and its jobs (labs/jobs.js: slices, the fair share with training, cancellation,
// progress). Here too: the drawing through the labs, cancelling, and moving results' typed
// arrays to the page.
import { Request } from '../protocol.js';
import { Transfer } from './context.js';
import { anomaly, threshold } from './labs/anomaly.js';
import { comparePca, linear } from './labs/compare.js';
import { compression } from './labs/compression.js';
import { features } from './labs/features.js';
import { overfit, sweep } from './labs/latent.js';
import { checkChoice, labsOf, reconstructBoth } from './labs/state.js';

/**
 * LAB_DRAWING: the person's drawing (preprocessed, D values) through the labs: its scores, its
 * 8-bit code and what decodes from it (once the code ranges are measured for this model), and
 * PCA's reconstruction with the same k (when the fit on all training images is in place).
 */
export function drawing(ctx, { pixels }) {
  const labs = labsOf(ctx);
  if (!ctx.engine.info().configured) throw new Error('the lab needs a model: build or load one first');
  if (!(pixels instanceof Float32Array) || pixels.length !== 784) throw new Error('drawing: expected the drawing as a Float32Array of 784 values');
  const { lab, engine } = { lab: labs.lab, engine: ctx.engine };
  const k = engine.info().latentSize;
  const sc = lab.scorePixels(pixels, 1);
  const out = { k, scores: { mse: sc.mse[0], bce: sc.bce[0], kl: sc.kl[0] }, reconstruction: engine.reconstruct(pixels, 1), compressed: null, pca: null };
  if (labs.aeRanges === labs.modelVersion) {
    const r = lab.compress('ae', pixels, 1);
    out.compressed = { code: r.bytes, decoded: r.decoded, psnr: r.psnr[0], ssim: r.ssim[0], psnrFloat: r.psnrFloat[0] };
  }
  const p = labs.pca;
  if (p.fit === `${labs.dataVersion}|all` && k <= p.k) {
    const rec = reconstructBoth(labs, pixels, 1, k);
    out.pca = { k, reconstruction: rec.pca, mse: rec.pcaMse[0] };
  }
  return out;
}

/** LAB_CANCEL: stops the job of a lane ('view', 'sweep', 'run'), or of all when none is named. */
export function cancel(ctx, { lane = null }) {
  if (lane !== null) checkChoice(lane, ['view', 'sweep', 'run'], 'lane');
  ctx.labs?.jobs.cancel(lane, 'cancelled on request');
  return {};
}


/** Marks a result's typed arrays, however deep, for transfer. */
function transferAll(result) {
  const buffers = new Set();
  const walk = (v) => {
    if (ArrayBuffer.isView(v)) buffers.add(v.buffer);
    else if (v && typeof v === 'object') for (const x of Object.values(v)) walk(x);
  };
  walk(result);
  return new Transfer(result, [...buffers]);
}

/** A handler whose result's typed arrays move to the page (cached results are copied first). */
const moving = (fn) => async (ctx, msg) => transferAll(structuredClone(await fn(ctx, msg)));

export const labHandlers = {
  [Request.LAB_ANOMALY]: moving(anomaly),
  [Request.LAB_THRESHOLD]: threshold,
  [Request.LAB_COMPRESSION]: moving(compression),
  [Request.LAB_PCA]: moving(comparePca),
  [Request.LAB_LINEAR]: linear,
  [Request.LAB_FEATURES]: features,
  [Request.LAB_SWEEP]: moving(sweep),
  [Request.LAB_OVERFIT]: overfit,
  [Request.LAB_DRAWING]: moving(drawing),
  [Request.LAB_CANCEL]: cancel,
};
