// The worker's latent-space, interpolation and training-control handlers, driven as worker.js
// drives them, against the real WASM engine (latent map PCA, projection, decoding map points,
// interpolation, prior samples, one-batch steps, stopping after N epochs, denoising snapshots).
import { beforeAll, describe, expect, it } from 'vitest';

import { Event, Request } from '../../web/src/protocol.js';
import { defaults, applyPatch, modelConfig, trainConfig } from '../../web/src/state.js';
import { loadModule } from './engine-module.js';
import { makeHost, waitFor } from './worker-host.js';

const configs = (patch) => {
  const s = applyPatch(defaults(), patch).state;
  return { model: modelConfig(s), train: trainConfig(s) };
};
const SMALL = configs({ widths: '32', latent: '4', batch_size: '64' });


const maxAbsDiff = (a, b) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

let module;
beforeAll(async () => {
  module = await loadModule();
});

describe('latent map', () => {
  it('WATCH posts the probes and a PCA map of the first M test codes', async () => {
    const { call, events } = makeHost(module, { loopOptions: { latentMs: 0 } });
    await call(Request.CONFIGURE, SMALL);
    await call(Request.LOAD_DATASET, { dataset: 'mnist', split: 'test' });
    await call(Request.WATCH, { probes: [0, 1, 2], mapCount: 300 });
    const snap = events(Event.SNAPSHOT).at(-1);
    expect(snap.probes.length).toBe(3 * 784);
    const m = events(Event.LATENT).at(-1);
    expect(m.method).toBe('pca');
    expect(m.projected.length).toBe(600);
    expect(m.labels.length).toBe(300);
    expect(Array.from(m.labels.slice(0, 3))).toEqual([7, 2, 1]);
    expect(m.codes.length).toBe(300 * 4);
    expect(m.mean.length).toBe(4);
    expect(m.components.length).toBe(8);
    const [e0, e1] = m.explainedVariance;
    expect(e0).toBeGreaterThanOrEqual(e1);
    expect(e1).toBeGreaterThan(0);
    expect(e0 + e1).toBeLessThanOrEqual(1 + 1e-9);
    // The map is the codes, centred and projected on the two unit components.
    const z = 4;
    for (const i of [0, 17, 299]) {
      for (let a = 0; a < 2; a++) {
        let x = 0;
        for (let j = 0; j < z; j++) x += (m.codes[i * z + j] - m.mean[j]) * m.components[a * z + j];
        expect(m.projected[2 * i + a]).toBeCloseTo(x, 4);
      }
    }
  });

  it('places a reconstructed image on the same map, and decodes map points', async () => {
    const { call, events } = makeHost(module, { loopOptions: { latentMs: 0 } });
    await call(Request.CONFIGURE, SMALL);
    await call(Request.LOAD_DATASET, { dataset: 'mnist', split: 'test' });
    await expect(call(Request.DECODE_POINTS, { points: new Float32Array(2), n: 1 })).rejects.toThrow(/latent map is not ready/);
    await call(Request.WATCH, { probes: [], mapCount: 200 });
    const m = events(Event.LATENT).at(-1);
    const img = await call(Request.IMAGES, { split: 'test', indices: [5] });
    const rec = await call(Request.RECONSTRUCT, { pixels: img.pixels, n: 1 });
    expect(maxAbsDiff(rec.points, m.projected.subarray(10, 12))).toBeLessThan(1e-4);
    // A map point decodes to the code on the map's plane: mean + x·c₀ + y·c₁.
    const r = await call(Request.DECODE_POINTS, { points: Float32Array.of(0.5, -0.25), n: 1 });
    for (let j = 0; j < 4; j++) expect(r.codes[j]).toBeCloseTo(m.mean[j] + 0.5 * m.components[j] - 0.25 * m.components[4 + j], 5);
    const same = await call(Request.DECODE, { codes: r.codes, n: 1 });
    expect(maxAbsDiff(same.pixels, r.pixels)).toBeLessThan(1e-6);
    expect(Array.from(same.points)).toEqual([expect.closeTo(0.5, 4), expect.closeTo(-0.25, 4)]);
  });

  it('a 2-d code is its own map: no PCA, and map points decode exactly', async () => {
    const { call, events } = makeHost(module, { loopOptions: { latentMs: 0 } });
    await call(Request.CONFIGURE, configs({ variant: 'vae', widths: '32' }));
    await call(Request.LOAD_DATASET, { dataset: 'mnist', split: 'test' });
    await call(Request.WATCH, { probes: [], mapCount: 100 });
    const m = events(Event.LATENT).at(-1);
    expect(m.method).toBe('axes');
    expect(maxAbsDiff(m.projected, m.codes)).toBe(0);
    const fromMap = await call(Request.DECODE_POINTS, { points: m.projected.slice(6, 8), n: 1 });
    const fromCode = await call(Request.DECODE, { codes: m.codes.slice(6, 8), n: 1 });
    expect(maxAbsDiff(fromMap.pixels, fromCode.pixels)).toBe(0);
  });
});

describe('drawings', () => {
  it('preprocesses a drawing the MNIST way in the worker, then reconstructs it; a blank pad gives null', async () => {
    const { toMnist } = await import('../../web/src/lib/preprocess.js');
    const { call } = makeHost(module, { loopOptions: { latentMs: 0 } });
    await call(Request.CONFIGURE, SMALL);
    const W = 120, H = 90;
    const rgba = new Uint8ClampedArray(W * H * 4);
    for (let y = 10; y < 80; y++) for (let x = 40; x < 48; x++) rgba.fill(255, 4 * (y * W + x), 4 * (y * W + x) + 3);
    for (let i = 3; i < rgba.length; i += 4) rgba[i] = 255;
    const expected = toMnist({ data: rgba, width: W, height: H }).pixels;
    const r = await call(Request.RECONSTRUCT_DRAWING, { rgba: rgba.slice(), width: W, height: H });
    expect(Array.from(r.input)).toEqual(Array.from(expected));
    const direct = await call(Request.RECONSTRUCT, { pixels: expected, n: 1 });
    expect(Array.from(r.pixels)).toEqual(Array.from(direct.pixels));
    expect(r.codes.length).toBe(4);
    const blank = new Uint8ClampedArray(W * H * 4);
    for (let i = 3; i < blank.length; i += 4) blank[i] = 255;
    expect(await call(Request.RECONSTRUCT_DRAWING, { rgba: blank, width: W, height: H })).toEqual({ input: null, pixels: null, codes: null, points: null, posterior: null });
    expect(r.posterior).toBe(null); // not a VAE
  });

  it('for a VAE, gives each drawing’s μ and log σ² (the formulas show z = μ + σ·ε); μ is its code', async () => {
    const { call } = makeHost(module, { loopOptions: { latentMs: 0 } });
    await call(Request.CONFIGURE, configs({ variant: 'vae', widths: '32', latent: '3' }));
    const pixels = new Float32Array(784).map((_, i) => ((i * 7) % 13) / 13);
    const r = await call(Request.RECONSTRUCT, { pixels, n: 1 });
    const z = r.codes.length;
    expect(r.posterior.length).toBe(2 * z);
    for (let j = 0; j < z; j++) {
      expect(r.posterior[j]).toBeCloseTo(r.codes[j], 6); // μ
      expect(Number.isFinite(r.posterior[z + j])).toBe(true); // log σ²
    }
  });
});

describe('interpolation and sampling', () => {
  it('decodes F frames from A to B, with their places on the map', async () => {
    const { call, events } = makeHost(module, { loopOptions: { latentMs: 0 } });
    await call(Request.CONFIGURE, SMALL);
    await call(Request.LOAD_DATASET, { dataset: 'mnist', split: 'test' });
    await call(Request.WATCH, { probes: [], mapCount: 100 });
    const imgs = await call(Request.IMAGES, { split: 'test', indices: [3, 2] });
    const a = imgs.pixels.slice(0, 784);
    const bCode = (await call(Request.ENCODE, { pixels: imgs.pixels.slice(784), n: 1 })).codes;
    const r = await call(Request.INTERPOLATE, { a: { pixels: a }, b: { code: bCode }, frames: 9, path: 'linear' });
    expect(r.pixels.length).toBe(9 * 784);
    expect(r.codes.length).toBe(9 * 4);
    expect(r.points.length).toBe(18);
    const recA = await call(Request.RECONSTRUCT, { pixels: a, n: 1 });
    expect(maxAbsDiff(r.pixels.subarray(0, 784), recA.pixels)).toBeLessThan(1e-5);
    expect(maxAbsDiff(r.codes.subarray(32, 36), bCode)).toBeLessThan(1e-6);
    // Straight in code space: the middle frame's code is the mean of the ends'.
    for (let j = 0; j < 4; j++) expect(r.codes[16 + j]).toBeCloseTo((recA.codes[j] + bCode[j]) / 2, 5);
    // …and so on the map, whose projection is linear.
    expect(r.points[8]).toBeCloseTo((r.points[0] + r.points[16]) / 2, 4);
    const s = await call(Request.INTERPOLATE, { a: { code: recA.codes }, b: { code: bCode }, frames: 5, path: 'spherical' });
    expect(s.codes.length).toBe(20);
    await expect(call(Request.INTERPOLATE, { a: { pixels: a }, b: {}, frames: 5 })).rejects.toThrow('interpolate: endpoint B needs pixels or a code');
    await expect(call(Request.INTERPOLATE, { a: { code: new Float32Array(3) }, b: { code: bCode }, frames: 5 })).rejects.toThrow(/must have 4 values/);
    await expect(call(Request.INTERPOLATE, { a: { pixels: a }, b: { code: bCode }, frames: 1 })).rejects.toThrow(/frames must be an integer in \[2, 240\]/);
    expect(events(Event.ERROR)).toEqual([]);
  });

  it('draws prior samples reproducibly from a seed', async () => {
    const { call } = makeHost(module, { loopOptions: { latentMs: 0 } });
    await call(Request.CONFIGURE, configs({ variant: 'vae', widths: '32' }));
    const a = await call(Request.SAMPLE_PRIOR, { n: 6, seed: 3 });
    const b = await call(Request.SAMPLE_PRIOR, { n: 6, seed: 3 });
    const c = await call(Request.SAMPLE_PRIOR, { n: 6, seed: 4 });
    expect(a.codes.length).toBe(12);
    expect(a.pixels.length).toBe(6 * 784);
    expect(Array.from(a.pixels)).toEqual(Array.from(b.pixels));
    expect(maxAbsDiff(a.codes, c.codes)).toBeGreaterThan(0.01);
    expect(a.points).toBeNull(); // no map yet
    await expect(call(Request.SAMPLE_PRIOR, { n: 0, seed: 1 })).rejects.toThrow(/n must be an integer in \[1, 400\]/);
  });
});

describe('training controls', () => {
  it('steps one batch at a time while paused, and refuses to step while running', async () => {
    const { call, events } = makeHost(module, { loopOptions: { latentMs: 0 } });
    await call(Request.CONFIGURE, SMALL);
    await expect(call(Request.STEP)).rejects.toThrow(/no training data/);
    await call(Request.LOAD_DATASET, { dataset: 'mnist', split: 'test' });
    await call(Request.LOAD_DATASET, { dataset: 'mnist', split: 'train' });
    await call(Request.WATCH, { probes: [0, 1], mapCount: 100 });
    const maps = events(Event.LATENT).length;
    const r1 = await call(Request.STEP);
    const r2 = await call(Request.STEP);
    expect([r1.stats.step, r2.stats.step]).toEqual([1, 2]);
    expect(events(Event.PROGRESS).map((p) => p.step)).toEqual([1, 2]);
    expect(events(Event.LATENT).length).toBe(maps + 2);
    expect(events(Event.SNAPSHOT).at(-1).step).toBe(2);
    await call(Request.START, { maxEpochs: 5 });
    await expect(call(Request.STEP)).rejects.toThrow(/pause it before stepping/);
    await call(Request.PAUSE);
  });

  it('stops by itself after maxEpochs, with the test loss, and will not start past it', async () => {
    const { call, events } = makeHost(module, { loopOptions: { latentMs: 0 } });
    await call(Request.CONFIGURE, configs({ widths: '16', latent: '2', batch_size: '512' }));
    await call(Request.LOAD_DATASET, { dataset: 'mnist', split: 'test' });
    await call(Request.LOAD_DATASET, { dataset: 'mnist', split: 'train' });
    await call(Request.WATCH, { probes: [0], mapCount: 500 });
    await call(Request.START, { maxEpochs: 1 });
    await waitFor(() => events(Event.STATE).some((s) => s.reason === 'done'));
    const epochs = events(Event.EPOCH);
    expect(epochs.length).toBe(1);
    expect(epochs[0].epoch).toBe(1);
    expect(epochs[0].testLoss.total).toBeGreaterThan(0);
    expect(epochs[0].testLoss.total).toBeLessThan(events(Event.PROGRESS)[0].loss.total);
    expect(events(Event.STATE).map((s) => s.reason ?? 'running')).toEqual(['running', 'done']);
    // Maps came while training, sliced between chunks, and one at the end.
    expect(events(Event.LATENT).length).toBeGreaterThan(2);
    await expect(call(Request.START, { maxEpochs: 1 })).rejects.toThrow('the model has already trained 1 epoch: set "Train for" above 1 epochs to continue');
    expect((await call(Request.SET_LIMIT, { maxEpochs: 2 })).maxEpochs).toBe(2);
    await expect(call(Request.SET_LIMIT, { maxEpochs: 0 })).rejects.toThrow('maxEpochs must be an integer >= 1, got 0');
  });

  it('shows a denoising model its noisy probes, with the noise level applied at once', async () => {
    const { call, events } = makeHost(module, { loopOptions: { latentMs: 0 } });
    await call(Request.CONFIGURE, configs({ variant: 'denoising', widths: '32', noise: 'salt_pepper', noise_amount: '0.3' }));
    await call(Request.LOAD_DATASET, { dataset: 'mnist', split: 'test' });
    await call(Request.WATCH, { probes: [0, 1], mapCount: 0 });
    const clean = (await call(Request.IMAGES, { split: 'test', indices: [0, 1] })).pixels;
    const snap = events(Event.SNAPSHOT).at(-1);
    expect(snap.noisy.length).toBe(2 * 784);
    expect(snap.denoised.length).toBe(2 * 784);
    const flipped = snap.noisy.filter((v, i) => v !== clean[i]).length / clean.length;
    expect(flipped).toBeGreaterThan(0.1); // about 0.3 of the pixels are set to 0 or 1; some already were
    expect(flipped).toBeLessThan(0.3);
    expect(snap.noisy.every((v, i) => v === clean[i] || v === 0 || v === 1)).toBe(true);
    await call(Request.SET_TRAINING, { train: { noise_amount: 0 } });
    const after = events(Event.SNAPSHOT).at(-1);
    expect(after).not.toBe(snap);
    expect(Array.from(after.noisy)).toEqual(Array.from(clean));
    expect(events(Event.LATENT)).toEqual([]); // mapCount 0: no map
  });

  it('refuses bad watch settings with messages', async () => {
    const { call } = makeHost(module, { loopOptions: { latentMs: 0 } });
    await call(Request.CONFIGURE, SMALL);
    await expect(call(Request.WATCH, { probes: 3, mapCount: 10 })).rejects.toThrow('watch: probes must be an array of test-set indices');
    await expect(call(Request.WATCH, { probes: [], mapCount: -1 })).rejects.toThrow('watch: mapCount must be an integer in [0, 10000], got -1');
  });
});

describe('engine binding: latent map', () => {
  it('refuses bad requests with messages that say what is expected', async () => {
    const e = new module.Engine();
    e.configure(JSON.stringify(SMALL.model), JSON.stringify(SMALL.train));
    expect(() => e.project(new Float32Array(4), 1)).toThrow('latent map: nothing to project onto yet; compute the latent map first');
    expect(() => e.fitLatentMap(new Float32Array(4), 1)).toThrow('fitLatentMap: needs at least 2 codes, got 1');
    expect(() => e.fitLatentMap(new Float32Array(7), 2)).toThrow('fitLatentMap: expected 2 x 4 = 8 values, got 7');
    const fit = e.fitLatentMap(Float32Array.from({ length: 40 }, (_, i) => Math.sin(i * 1.7)), 10);
    expect(fit.method).toBe('pca');
    expect(() => e.project(new Float32Array(3), 1)).toThrow('project: expected 1 x 4 = 4 values, got 3');
    expect(() => e.latentCodes('test', 0, 10)).toThrow('no test set loaded');
    expect(() => e.corrupt(new Float32Array(784), 1, 'fog', 0.5, 1)).toThrow(/unknown noise 'fog'/);
    e.configure(JSON.stringify({ ...SMALL.model, latent: 3 }), JSON.stringify(SMALL.train));
    expect(() => e.project(new Float32Array(3), 1)).toThrow(/latent size changed since the map was computed/);
    e.delete();
  });
});
