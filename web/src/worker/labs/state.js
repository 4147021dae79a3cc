// What the applications lab's handlers share in the worker (labs/*.js, gathered in ../labs.js):
// one Lab object per engine (engine/bindings/labs_js.hpp), the jobs (jobs.js), and what has been
// computed, kept
//
//   per model state  (key m<version>s<step>: a new model, a reset or a load bumps the version,
//                    training moves the step) the test set's reconstruction scores, the AE
//                    code ranges and compression figures, the probes on codes
//   per dataset      (key d<version>) PCA fits and everything PCA, the probes on PCA and pixels,
//                    JPEG: none of it depends on the model
//
// so switching labs, or asking again at the same step, answers at once. A model change cancels
// the labs' work on the old model (not the sweep and the training runs, which train models of
// their own); a new dataset cancels everything and forgets every result.
//
// The Lab object holds one PCA fit at a time: on all training images (k = max(64, latent), for
// compression and the comparison; exactly the latent size for the probe's PCA features), or on
// the images the model trains on (the anomaly lab's "same training images"). LabState tracks
// which one it holds and refits only when another is needed.
import { canEncodeJpeg } from './jpeg-codec.js';
import { LabJobs } from './jobs.js';

export const SCORES = Object.freeze(['mse', 'bce', 'kl']);
export const JPEG_QUALITIES = Object.freeze([5, 10, 20, 50, 90]);
export const PCA_KS = Object.freeze([2, 4, 8, 16, 32, 64]);
export const BUDGETS = Object.freeze([100, 1000, 10000]);
export const FEATURES = Object.freeze(['codes', 'pca', 'pixels']);
/** The images the rate–distortion chart measures every method on: the first ones of the test set. */
export const CURVE_IMAGES = 1000;
export const ROC_POINTS = 400; // the curve the page draws (the AUC is exact)
const CACHE_SIZE = 48;

export class LabState {
  /**
   * @param {import('./context.js').WorkerContext} ctx
   * @param {object} [options] LabJobs options (sliceMs, share, now, yieldFn, sleep), and jpeg: false
   *   to leave JPEG out (Node has no OffscreenCanvas)
   */
  constructor(ctx, { jpeg = canEncodeJpeg(), ...jobOptions } = {}) {
    this.ctx = ctx;
    this.jobs = new LabJobs({ training: () => ctx.loop.running, post: ctx.post, ...jobOptions });
    this.lab = new ctx.module.Lab(ctx.engine);
    this.jpeg = jpeg;
    this.modelVersion = 0;
    this.dataVersion = 0;
    this.cache = new Map(); // key → result, least recently used first
    this.forgetData();
  }

  /** The model was replaced (built, reset, loaded, rolled back). */
  modelReplaced() {
    this.modelVersion++;
    this.jobs.cancelAllBut(['sweep', 'run'], 'the model changed');
    for (const key of [...this.cache.keys()]) if (key.startsWith('m')) this.cache.delete(key);
    this.anomaly = null;
    this.aeRanges = null;
  }

  /** A split of the dataset was replaced: every result and fit is of the old data. */
  datasetReplaced() {
    this.dataVersion++;
    this.jobs.cancel(null, 'the dataset changed');
    this.cache.clear();
    this.forgetData();
  }

  forgetData() {
    this.pca = { acc: null, fit: null, k: 0, info: null, ranges: false };
    this.anomaly = null; // { key, scores, positive } for LAB_THRESHOLD
    this.aeRanges = null; // the model version the AE code ranges were measured on
    this.points = new Map(); // the AE's test MSE per model seen: id → { k, mse, kind, … }
  }

  modelKey() {
    return `m${this.modelVersion}s${this.ctx.engine.info().step}`;
  }

  dataKey() {
    return `d${this.dataVersion}`;
  }

  get(key) {
    const v = this.cache.get(key);
    if (v !== undefined) {
      this.cache.delete(key);
      this.cache.set(key, v);
    }
    return v;
  }

  remember(key, value) {
    this.cache.delete(key);
    this.cache.set(key, value);
    while (this.cache.size > CACHE_SIZE) this.cache.delete(this.cache.keys().next().value);
    return value;
  }

  /** The cached result under key, else compute(): the job's work, remembered. */
  async cached(key, compute) {
    const hit = this.get(key);
    return hit !== undefined ? hit : this.remember(key, await compute());
  }

  count(split) {
    return this.ctx.engine.datasetInfo(split).count;
  }

  /**
   * Makes the Lab hold a PCA fit with k components on all training images (filtered false) or
   * on those the model trains on (the training class filter), accumulating and fitting only what
   * it does not have yet. → the fit's { k, fittedOn, explained, … }
   */
  async ensurePca(job, { filtered, k }) {
    const view = this.lab.trainView();
    const which = filtered && view.filter !== 'all' ? `${view.filter}:${view.cls}` : 'all';
    const key = `${this.dataVersion}|${which}`;
    const p = this.pca;
    if (p.fit === key && p.k === k) return p.info;
    if (p.acc !== key) {
      p.acc = null; // (the fit in place stays valid for its own key until the next pcaFit)
      this.lab.pcaBegin();
      await job.units('pcaAdd', this.count('train'), (start, count) => this.lab.pcaAdd('train', start, count, which !== 'all'), { first: 512, phase: 'pca' });
      p.acc = key;
    }
    job.progress('pca-fit', 0, 1);
    p.fit = null;
    p.info = this.lab.pcaFit(k); // the eigen-decomposition: one call, about a second in WASM
    p.fit = key;
    p.k = k;
    p.ranges = false; // pcaFit forgets the coefficients' ranges
    job.progress('pca-fit', 1, 1);
    await job.pause();
    return p.info;
  }

  /** The components of the fit on all training images: enough for every k the charts show. */
  kAll() {
    return Math.min(784, Math.max(64, this.ctx.engine.info().latentSize));
  }

  /** Per-image MSE, BCE, BCE − H(x) and labels of every test image, for the model as it is. */
  testScores(job) {
    return this.cached(`${this.modelKey()}:scores`, async () => {
      const n = this.count('test');
      const out = { mse: new Float32Array(n), bce: new Float32Array(n), kl: new Float32Array(n), labels: new Uint8Array(n), step: this.ctx.engine.info().step };
      await job.units('score', n, (start, count) => {
        const s = this.lab.scoreImages('test', start, count);
        for (const key of [...SCORES, 'labels']) out[key].set(s[key], start);
      }, { first: 256, phase: 'scores' });
      out.stepEnd = this.ctx.engine.info().step;
      return out;
    });
  }

  /** PCA's per-pixel test MSE (unclipped) for k = 0 … kAll, and the fit's explained variance. */
  async pcaCurve(job) {
    const kAll = this.kAll();
    return this.cached(`${this.dataKey()}:pca-curve:${kAll}`, async () => {
      const info = await this.ensurePca(job, { filtered: false, k: kAll });
      const n = this.count('test');
      const sum = new Float64Array(kAll + 1);
      await job.units('pcaErr', n, (start, count) => {
        const part = this.lab.pcaErrorCurve('test', start, count);
        for (let j = 0; j <= kAll; j++) sum[j] += part[j];
      }, { first: 256, phase: 'pca-error' });
      return { mse: sum.map((v) => v / (n * 784)), explained: info.explained, fittedOn: info.fittedOn, images: n };
    });
  }

  /** Remembers the current model's test MSE as a point of the AE-vs-PCA chart. */
  notePoint(id, point) {
    this.points.delete(id);
    this.points.set(id, point);
    while (this.points.size > 24) this.points.delete(this.points.keys().next().value);
  }
}

/** The context's LabState, made on first use (the Lab object lives as long as the engine). */
export function labsOf(ctx) {
  ctx.labs ??= new LabState(ctx, ctx.labOptions);
  return ctx.labs;
}

export function ready(ctx) {
  const e = ctx.engine;
  if (!e.info().configured) throw new Error('the lab needs a model: build or load one first');
  for (const [split, name] of [['train', 'training'], ['test', 'test']]) {
    if (!e.hasDataset(split)) throw new Error(`the lab needs the ${name} set of the dataset, which is not loaded yet`);
  }
  return labsOf(ctx);
}

export const mean = (a, n = a.length) => {
  let s = 0;
  for (let i = 0; i < n; i++) s += a[i];
  return n ? s / n : NaN;
};

export function checkClass(cls, name = 'cls') {
  if (!Number.isInteger(cls) || cls < 0 || cls > 9) throw new Error(`${name} must be a class number in [0, 9], got ${cls}`);
}

export function checkChoice(value, options, name) {
  if (!options.includes(value)) throw new Error(`${name} must be one of ${options.join(', ')}, got '${value}'`);
}


export function checkInt(v, lo, hi, name) {
  if (!Number.isInteger(v) || v < lo || v > hi) throw new Error(`${name} must be an integer in [${lo}, ${hi}], got ${v}`);
}

export function checkIndices(indices, count, max) {
  if (!Array.isArray(indices) || indices.length > max || !indices.every((i) => Number.isInteger(i) && i >= 0 && i < count)) {
    throw new Error(`expected up to ${max} test-image indices in [0, ${count - 1}]`);
  }
}


/** x (n·D) reconstructed by the model and by PCA with its first k components (clipped to [0, 1]). */
export function reconstructBoth(labs, x, n, k) {
  const { lab, engine } = { lab: labs.lab, engine: labs.ctx.engine };
  const ae = engine.reconstruct(x, n);
  const kk = labs.pca.k;
  const full = lab.pcaProject(x, n);
  const c = new Float32Array(n * k);
  for (let i = 0; i < n; i++) c.set(full.subarray(i * kk, i * kk + k), i * k);
  const pca = lab.pcaReconstruct(c, n, k, true);
  const mseOf = (y) => Array.from({ length: n }, (_, i) => {
    let se = 0;
    for (let p = 0; p < 784; p++) se += (y[i * 784 + p] - x[i * 784 + p]) ** 2;
    return se / 784;
  });
  return { ae, pca, aeMse: mseOf(ae), pcaMse: mseOf(pca) };
}

export function modelLabel(ctx) {
  const m = ctx.model ?? {};
  return { variant: m.variant ?? null, activation: m.activation ?? null, source: ctx.source?.kind ?? null, name: ctx.source?.name ?? ctx.source?.id ?? null };
}
