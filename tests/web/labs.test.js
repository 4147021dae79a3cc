// The applications lab's binding (engine/bindings/labs_js.hpp) through the real WASM engine, as
// the page's worker will use it: scores, ROC/AUC, class filters, PCA with any k, compression
// round trips with PSNR/SSIM, the softmax probe, kNN, the latent sweep and training runs, each
// in slices; every refusal arrives as a JS Error with the engine's message.
// (The numbers themselves are checked against NumPy/scikit-learn/scikit-image in
// tests/engine/test_*.cpp; here: the binding's shapes, units and errors, on MNIST.)
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { loadModule } from './engine-module.js';

const DATA = new URL('../../web/public/data/mnist-test.aeds.gz', import.meta.url);
const MODEL = new URL('../../web/public/models/mnist-seed.aemf', import.meta.url);

let module;
let engine;
let lab;
beforeAll(async () => {
  module = await loadModule();
  engine = new module.Engine();
  const bytes = new Uint8Array(gunzipSync(readFileSync(DATA)));
  engine.loadDataset('train', bytes); // the test set stands in for the training set: small and at hand
  engine.loadDataset('test', bytes);
  engine.loadModel(new Uint8Array(readFileSync(MODEL)));
  lab = new module.Lab(engine);
});
afterAll(() => {
  lab.delete();
  engine.delete();
});

describe('scores and ROC', () => {
  it('scores a slice of images: per-image MSE and BCE equal those of the reconstructions', () => {
    const s = lab.scoreImages('test', 10, 20);
    for (const key of ['mse', 'bce', 'entropy', 'kl']) expect(s[key]).toBeInstanceOf(Float32Array);
    expect(s.mse.length).toBe(20);
    expect(Array.from(s.labels)).toEqual(Array.from(engine.labels('test', Array.from({ length: 20 }, (_, i) => 10 + i))));
    const x = engine.images('test', [10]);
    const y = engine.reconstruct(x, 1);
    let se = 0;
    let bce = 0;
    for (let p = 0; p < 784; p++) {
      se += (y[p] - x[p]) ** 2;
      bce -= x[p] * Math.max(Math.log(y[p]), -100) + (1 - x[p]) * Math.max(Math.log(1 - y[p]), -100);
    }
    expect(s.mse[0]).toBeCloseTo(se / 784, 6);
    expect(s.bce[0]).toBeCloseTo(bce, 2);
    expect(s.kl[0]).toBeCloseTo(s.bce[0] - s.entropy[0], 4);
  });

  it('ROC, AUC with ties, the threshold statistics and the best F1 of a hand-worked example', () => {
    const scores = new Float32Array([0.5, 0.9, 0.1, 0.8, 0.5, 0.8, 0.5]);
    const positive = new Uint8Array([1, 1, 0, 1, 0, 0, 0]);
    const r = lab.roc(scores, positive);
    expect(r.auc).toBeCloseTo(9.5 / 12, 12);
    expect(Array.from(r.tpr)).toEqual([0, 1 / 3, 2 / 3, 1, 1]);
    const t = lab.atThreshold(scores, positive, 0.8);
    expect([t.tp, t.fp, t.tn, t.fn]).toEqual([2, 1, 3, 1]);
    const b = lab.bestF1(scores, positive);
    expect(b.threshold).toBe(0.5);
    expect(b.f1).toBeCloseTo(2 / 3, 12);
    expect(Array.from(lab.histogram(scores, 0, 1, 2))).toEqual([1, 6]); // [0, 0.5): 0.1; [0.5, 1]: the rest
    expect(() => lab.roc(scores, new Uint8Array(7).fill(1))).toThrow('ROC: needs both positive and negative images, got 7 positive and 0 negative');
    expect(() => lab.roc(scores, new Uint8Array(3))).toThrow('roc: 7 scores but 3 labels');
  });

  it('the class filter is a training setting; the view says what the model trains on', () => {
    expect(lab.trainView().filter).toBe('all');
    engine.setTraining(JSON.stringify({ class_filter: 'except', filter_class: 3 }));
    const v = lab.trainView();
    expect(v).toMatchObject({ filter: 'except', cls: 3 });
    expect(v.count).toBe(10000 - 1010); // 1,010 threes in the MNIST test set
    expect(JSON.parse(engine.trainConfig()).class_filter).toBe('except');
    expect(() => engine.setTraining(JSON.stringify({ class_filter: 'only', filter_class: 12 }))).toThrow(
      "class filter 'only 12': the mnist set has classes 0 to 9",
    );
    engine.setTraining(JSON.stringify({ class_filter: 'all' }));
    expect(lab.trainView().count).toBe(10000);
  });
});

describe('PCA, compression', () => {
  it('fits PCA in slices with any k, projects, reconstructs and gives the error for every k', () => {
    lab.pcaBegin();
    for (let s = 0; s < 3000; s += 1000) expect(lab.pcaAdd('train', s, 1000, false)).toBe(s + 1000);
    const fit = lab.pcaFit(16);
    expect(fit.k).toBe(16);
    expect(fit.fittedOn).toBe(3000);
    expect(fit.explained.length).toBe(16);
    for (let j = 1; j < 16; j++) expect(fit.explained[j]).toBeGreaterThan(fit.explained[j - 1]);
    const x = engine.images('test', [0, 1]);
    const c = lab.pcaProject(x, 2);
    expect(c.length).toBe(32);
    const y = lab.pcaReconstruct(c, 2, 16, false);
    const curve = lab.pcaErrorCurve('test', 0, 2);
    let se = 0;
    for (let i = 0; i < 2 * 784; i++) se += (y[i] - x[i]) ** 2;
    expect(curve.length).toBe(17);
    expect(curve[16]).toBeCloseTo(se, 2);
    expect(curve[0]).toBeGreaterThan(curve[16]);
    expect(() => lab.pcaReconstruct(c, 2, 17, false)).toThrow('PCA: 17 components asked for, but the fit has 16');
    expect(() => lab.pcaProject(x, 3)).toThrow('pcaProject: expected 3 x 784 = 2352 values, got 1568');
  });

  it('compresses to k bytes per image and back, with PSNR and SSIM per image, for the AE and PCA', () => {
    expect(() => lab.compressSplit('ae', 'test', 0, 4)).toThrow('compress: measure the code ranges on training images first');
    lab.rangesBegin('ae');
    expect(lab.rangesAdd('ae', 'train', 0, 5000)).toBe(5000);
    const r = lab.compressSplit('ae', 'test', 0, 50);
    expect(r.bytes.length).toBe(50 * 20);
    expect(r.decoded.length).toBe(50 * 784);
    const mean = (a) => a.reduce((s, v) => s + v, 0) / a.length;
    expect(mean(r.psnr)).toBeGreaterThan(18);
    expect(Math.abs(mean(r.psnr) - mean(r.psnrFloat))).toBeLessThan(0.1); // 8 bits cost little
    expect(mean(r.ssim)).toBeGreaterThan(0.6);
    lab.rangesBegin('pca');
    lab.rangesAdd('pca', 'train', 0, 3000);
    const p = lab.compressSplit('pca', 'test', 0, 50);
    expect(p.bytes.length).toBe(50 * 16);
    expect(mean(p.psnr)).toBeLessThan(mean(r.psnr));
    const x = engine.images('test', [0]);
    const q = lab.quality(x, x, 1);
    expect(q.psnr[0]).toBe(100);
    expect(q.ssim[0]).toBeCloseTo(1, 6);
    expect(() => lab.compress('zip', x, 1)).toThrow("unknown compression method 'zip' (expected ae or pca)");
    expect(() => lab.compress('ae', x, 2 ** 30)).toThrow('compress: 1073741824 x 784 values are too many');
  });

  it('scores and compresses any images (a drawing) as it does a split, PCA with fewer components than it fitted', () => {
    const x = engine.images('test', [10, 11]);
    const a = lab.scorePixels(x, 2);
    const b = lab.scoreImages('test', 10, 2);
    // The same model on the same pixels, through two paths: the session's inference (the drawing's)
    // and the split scorer, which batch the rows differently, so the GEMM's edge tiles sum in
    // another order: equal to float32 rounding (measured: 4e-7 relative), not bit for bit.
    const close = (u, v) => u.forEach((w, i) => expect(Math.abs(w - v[i])).toBeLessThanOrEqual(2e-6 * Math.abs(v[i])));
    for (const key of ['mse', 'bce', 'entropy', 'kl']) close(a[key], b[key]);
    // (PCA likewise: the drawing's path projects on every component and keeps 8, the split's on 8)
    close(lab.scorePcaPixels(x, 2, 8, false).mse, lab.scorePca('test', 10, 2, 8, false).mse);
    // (the fit of the test above: 16 components, with the coefficients' ranges measured)
    const all = lab.compressPcaSplit('test', 10, 2, 16);
    close(all.psnr, lab.compressSplit('pca', 'test', 10, 2).psnr);
    const eight = lab.compressPca(x, 2, 8);
    expect(eight.bytes.length).toBe(2 * 8);
    const split8 = lab.compressPcaSplit('test', 10, 2, 8);
    expect(Array.from(eight.bytes)).toEqual(Array.from(split8.bytes));
    close(eight.psnr, split8.psnr);
    expect(eight.psnr[0]).toBeLessThan(all.psnr[0]);
    expect(() => lab.compressPca(x, 2, 17)).toThrow('PCA: 17 components asked for, but the fit has 16');
    expect(() => lab.scorePixels(x, 3)).toThrow('scorePixels: expected 3 x 784 = 2352 values, got 1568');
  });
});

describe('features, sweep and training runs', () => {
  it('a softmax probe on 100 codes, stepped to convergence, classifies the test images', () => {
    expect(lab.probeBegin('codes', 100, 0).count).toBe(100);
    let st;
    do st = lab.probeStep(10);
    while (!st.done);
    expect(st.converged).toBe(true);
    const e = lab.probeEvaluate('test', 5000, 2000);
    expect(e.count).toBe(2000);
    expect(e.correct / e.count).toBeGreaterThan(0.6);
    expect(() => lab.probeBegin('words', 100, 0)).toThrow("unknown features 'words' (expected codes, pca or pixels)");
  });

  it('kNN-5 on codes with references added in slices', () => {
    lab.knnBegin('codes');
    lab.knnAdd(0, 2000);
    expect(lab.knnAdd(2000, 2000)).toBe(4000);
    const e = lab.knnClassify('test', 6000, 500, 5);
    expect(e.predictions.length).toBe(500);
    expect(e.correct / e.count).toBeGreaterThan(0.8);
  });

  it('a latent sweep and an overfitting run advance in budgeted units to the end', () => {
    lab.sweepBegin(JSON.stringify({ latents: [2, 4], epochs: 1, trainImages: 512, testImages: 256 }));
    let s;
    let calls = 0;
    do {
      s = lab.sweepAdvance(3);
      calls++;
    } while (!s.done);
    expect(calls).toBeGreaterThan(3); // PCA slices, its fit, the error curve, then the two models
    expect(s.points.map((p) => p.k)).toEqual([2, 4]);
    expect(s.points.every((p) => p.done && p.testBce > 0)).toBe(true);
    expect(s.pcaMse.length).toBe(5);
    lab.runBegin(JSON.stringify({ epochs: 3, trainImages: 256, testImages: 256, latent: 8, dropout: 0.2 }));
    let r;
    do r = lab.runAdvance(4);
    while (!r.done);
    expect(r.epochs.map((e) => e.epoch)).toEqual([1, 2, 3]);
    expect(r.epochs[2].testBce).toBeLessThan(r.epochs[0].testBce);
    expect(() => lab.runAdvance(0)).toThrow('runAdvance: units must be in [1, 1000000], got 0');
  });
});
