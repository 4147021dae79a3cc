// The applications lab's worker handlers (web/src/worker/labs.js, labs/*) on the real WASM engine,
// driven as worker.js drives them: every lab on the pretrained MNIST seed model, in slices
// (other requests are answered between them), cancelled by a newer request, a model change, a
// dataset change or LAB_CANCEL, and answered from what was kept when nothing changed.
// The MNIST test set stands in for the training set too (small and at hand; the lab's figures
// on the real sets are read off the page in tests/e2e/labs.test.js).
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';

import { Event, REPLY, Request } from '../../web/src/protocol.js';
import { loadModule } from './engine-module.js';
import { makeHost, waitFor } from './worker-host.js';

const TEST = gunzipSync(readFileSync(new URL('../../web/public/data/mnist-test.aeds.gz', import.meta.url)));
const SEED = readFileSync(new URL('../../web/public/models/mnist-seed.aemf', import.meta.url));

let module;
beforeAll(async () => {
  module = await loadModule();
});

/** A worker host with the seed model and MNIST's test set as both splits. */
async function labHost({ sliceMs = 15 } = {}) {
  const h = makeHost(module, { loopOptions: { budgetMs: 5, snapshotMs: 1e9, latentMs: 1e9 } });
  h.host.labOptions = { jpeg: false, sliceMs };
  await h.call(Request.LOAD_MODEL, { bytes: new Uint8Array(SEED), name: 'mnist-seed.aemf' });
  for (const split of ['train', 'test']) {
    h.host.engine.loadDataset(split, new Uint8Array(TEST));
    h.host.datasetReplaced();
  }
  /** Sends a request without waiting; resolves (or rejects) with its reply when it comes. */
  let nextId = 1000;
  h.send = (type, payload = {}) => {
    const id = nextId++;
    const done = h.handle({ ...payload, type, id }).then(() => {
      const reply = h.posted.find((m) => m.type === REPLY && m.id === id);
      if (!reply.ok) throw Object.assign(new Error(reply.error.message), { code: reply.error.code });
      return reply.result;
    });
    done.id = id;
    return done;
  };
  h.progress = (id) => h.posted.filter((m) => m.type === Event.LAB_PROGRESS && m.request === id);
  return h;
}

describe('anomaly lab', () => {
  it('follows the model: trained on a class-filtered set, it says what normal is', async () => {
    const h = await labHost();
    const all = await h.call(Request.LAB_ANOMALY, { normal: 'except', cls: 5, follow: true });
    expect([all.normal, all.cls, all.trainView.filter]).toEqual(['except', 5, 'all']); // nothing to follow
    h.host.engine.setTraining(JSON.stringify({ class_filter: 'except', filter_class: 3 }));
    const no3 = await h.call(Request.LAB_ANOMALY, { normal: 'only', cls: 5, follow: true });
    expect([no3.normal, no3.cls]).toEqual(['except', 3]);
    expect(no3.trainView).toMatchObject({ filter: 'except', cls: 3, count: 10000 - 1010 }); // the test set's 3s left out
    expect(no3.positives).toBe(1010);
    const chosen = await h.call(Request.LAB_ANOMALY, { normal: 'only', cls: 5 });
    expect([chosen.normal, chosen.cls]).toEqual(['only', 5]);
  });

  it('scores every test image; a held-out "1" ranks as more normal than the rest, a "0" as less', async () => {
    const h = await labHost();
    const zero = await h.call(Request.LAB_ANOMALY, { normal: 'except', cls: 0, score: 'mse' });
    expect(zero.images).toBe(10000);
    expect(zero.positives).toBe(980); // the test set's zeros
    expect(zero.trainView).toMatchObject({ filter: 'all', count: 10000 });
    // (this model trained on every digit: no class is new to it; tests/web/pretrained.test.js
    // and tests/e2e/labs.test.js read a held-out class's AUC off the shipped anomaly detector)
    for (const s of ['mse', 'bce', 'kl']) expect(zero.auc[s]).toBeGreaterThan(0);
    const one = await h.call(Request.LAB_ANOMALY, { normal: 'except', cls: 1, score: 'bce' });
    expect(one.auc.bce).toBeLessThan(0.3); // easier to draw than the rest: flagged least
    expect(one.meanScore.anomalous).toBeLessThan(one.meanScore.normal);
    expect(one.pca.k).toBe(20);
    expect(one.pca.auc).toBeGreaterThan(0);
    // the histograms hold every image, the ROC runs from (0, 0) to (1, 1) in at most 400 points
    const total = (h2) => h2.reduce((a, b) => a + b, 0);
    expect(total(one.hist.normal) + total(one.hist.anomalous)).toBe(10000);
    expect(total(one.hist.anomalous)).toBe(one.positives);
    expect(one.roc.fpr.length).toBeLessThanOrEqual(400);
    expect([one.roc.fpr[0], one.roc.tpr[0], one.roc.fpr.at(-1), one.roc.tpr.at(-1)]).toEqual([0, 0, 1, 1]);
    // most anomalous first, least anomalous first, with their pixels
    const most = one.extremes.most.map((e) => e.score);
    expect(most).toEqual([...most].sort((a, b) => b - a));
    expect(Math.min(...most)).toBeGreaterThanOrEqual(Math.max(...one.extremes.least.map((e) => e.score)));
    expect(one.extremes.pixels.length).toBe(16 * 784);
    // the threshold, dragged: the best-F1 threshold gives back its own figures
    const t = await h.call(Request.LAB_THRESHOLD, { score: 'bce', threshold: one.best.bce.threshold });
    expect(t.f1).toBeCloseTo(one.best.bce.f1, 12);
    expect(t.tp + t.fn).toBe(one.positives);
    expect(t.tp + t.fp + t.tn + t.fn).toBe(10000);
    await expect(h.call(Request.LAB_THRESHOLD, { score: 'bce', threshold: NaN })).rejects.toThrow('threshold must be a finite number, got NaN');
    await expect(h.call(Request.LAB_ANOMALY, { normal: 'some', cls: 1 })).rejects.toThrow("normal must be one of except, only, got 'some'");
    await expect(h.call(Request.LAB_ANOMALY, { normal: 'only', cls: 10 })).rejects.toThrow('cls must be a class number in [0, 9], got 10');
  });

  it('one class as normal: every other class is anomalous', async () => {
    const h = await labHost();
    const r = await h.call(Request.LAB_ANOMALY, { normal: 'only', cls: 1, score: 'mse' });
    expect(r.positives).toBe(10000 - 1135);
    expect(r.auc.mse).toBeGreaterThan(0.7); // everything else is harder to draw than a "1"
  });

  it('with a class filter the model and PCA train on the same images, and the lab says which', async () => {
    const h = await labHost();
    await h.call(Request.SET_TRAINING, { train: { class_filter: 'except', filter_class: 2 } });
    const r = await h.call(Request.LAB_ANOMALY, { normal: 'except', cls: 2, score: 'kl' });
    expect(r.trainView).toEqual({ filter: 'except', cls: 2, count: 10000 - 1032 });
    expect(r.pca.fittedOn).toBe(10000 - 1032);
  });

  it('answers again from what it kept while the model is unchanged; a step of training recomputes', async () => {
    const h = await labHost();
    const first = h.send(Request.LAB_ANOMALY, { normal: 'except', cls: 3, score: 'mse' });
    await first;
    expect(h.progress(first.id).length).toBeGreaterThan(0);
    const again = h.send(Request.LAB_ANOMALY, { normal: 'except', cls: 5, score: 'kl' });
    const r = await again;
    expect(h.progress(again.id)).toEqual([]); // scores and PCA kept: nothing to compute
    expect(r.cls).toBe(5);
    await h.call(Request.STEP);
    const after = h.send(Request.LAB_ANOMALY, { normal: 'except', cls: 5, score: 'kl' });
    const r2 = await after;
    expect(h.progress(after.id).some((p) => p.phase === 'scores')).toBe(true);
    expect(r2.model.step).toBe(r.model.step + 1);
    expect(r2.pca.auc).toBe(r.pca.auc); // PCA does not depend on the model
  });
});

describe('slices and cancellation', () => {
  it('answers other requests between slices', async () => {
    const h = await labHost({ sliceMs: 5 });
    const long = h.send(Request.LAB_ANOMALY, { normal: 'except', cls: 4 });
    let answeredFirst = false;
    const quick = h.call(Request.IMAGES, { split: 'test', indices: [0] }).then(() => {
      answeredFirst = !h.posted.some((m) => m.type === REPLY && m.id === long.id);
    });
    await Promise.all([long, quick]);
    expect(answeredFirst).toBe(true);
    expect(h.progress(long.id).length).toBeGreaterThan(2);
  });

  it('a newer request of the lane, a new model, a new dataset or LAB_CANCEL cancels the work', async () => {
    const h = await labHost();
    const older = h.send(Request.LAB_COMPRESSION, {});
    const newer = h.send(Request.LAB_ANOMALY, { normal: 'except', cls: 6 });
    await expect(older).rejects.toMatchObject({ code: 'cancelled' });
    await newer;
    const byModel = h.send(Request.LAB_PCA, {});
    await waitFor(() => h.progress(byModel.id).length > 0);
    await h.call(Request.LOAD_MODEL, { bytes: new Uint8Array(SEED), name: 'again.aemf' });
    await expect(byModel).rejects.toThrow('cancelled: the model changed');
    const sweep = h.send(Request.LAB_SWEEP, { latents: [2], epochs: 1, trainImages: 512, testImages: 256 });
    await waitFor(() => h.progress(sweep.id).length > 0);
    await h.call(Request.LAB_CANCEL, { lane: 'sweep' });
    await expect(sweep).rejects.toThrow('cancelled: cancelled on request');
    const byData = h.send(Request.LAB_ANOMALY, { normal: 'except', cls: 6 });
    await waitFor(() => h.progress(byData.id).length > 0);
    h.host.engine.loadDataset('test', new Uint8Array(TEST));
    h.host.datasetReplaced();
    await expect(byData).rejects.toThrow('cancelled: the dataset changed');
    await expect(h.call(Request.LAB_CANCEL, { lane: 'other' })).rejects.toThrow("lane must be one of view, sweep, run, got 'other'");
  });

  it('says what is missing before any work: a model, the training set', async () => {
    const { call, host } = makeHost(module);
    await expect(call(Request.LAB_ANOMALY, { normal: 'except', cls: 1 })).rejects.toThrow('the lab needs a model: build or load one first');
    await call(Request.LOAD_MODEL, { bytes: new Uint8Array(SEED), name: 'seed.aemf' });
    host.engine.loadDataset('test', new Uint8Array(TEST));
    await expect(call(Request.LAB_COMPRESSION, {})).rejects.toThrow('the lab needs the training set of the dataset, which is not loaded yet');
  });
});

describe('compression, AE vs PCA, the drawing', () => {
  it('the code as k bytes decodes with little loss; PCA at the same bytes loses more', async () => {
    const h = await labHost();
    const r = await h.call(Request.LAB_COMPRESSION, { samples: [0, 1, 2] });
    expect(r.bytes).toEqual({ float32: 80, int8: 20, raw: 784 });
    expect(r.test.images).toBe(10000);
    expect(r.test.psnr).toBeGreaterThan(20);
    expect(Math.abs(r.test.psnr - r.test.psnrFloat)).toBeLessThan(0.05); // 8 bits per number cost little
    expect(r.test.ssim).toBeGreaterThan(0.7);
    expect(r.samples.codes.length).toBe(3 * 20);
    expect(r.samples.decoded.length).toBe(3 * 784);
    const ks = r.curve.pca.map((p) => p.k);
    expect(ks).toEqual([2, 4, 8, 16, 20, 32, 64]);
    const psnr = r.curve.pca.map((p) => p.psnr);
    expect(psnr).toEqual([...psnr].sort((a, b) => a - b)); // more components, better
    const pca20 = r.curve.pca.find((p) => p.k === 20);
    expect(r.curve.ae[0]).toMatchObject({ bytes: 20, kind: 'int8' });
    expect(r.curve.ae[0].psnr).toBeGreaterThan(pca20.psnr + 2); // the reference: +4.8 dB at k = 20
    expect(r.curve.jpeg).toBeNull(); // no OffscreenCanvas in Node: the page measures JPEG
    // the drawing (a test image standing in) is compressed live now that the ranges are measured
    const x = h.host.engine.images('test', [1]);
    const d = await h.call(Request.LAB_DRAWING, { pixels: x });
    expect(d.compressed.code.length).toBe(20);
    expect(d.compressed.psnr).toBeCloseTo(r.samples.psnr[1], 4);
    expect(d.pca).toMatchObject({ k: 20 });
  });

  it('PCA error for every k, the model below it, the probes side by side', async () => {
    const h = await labHost();
    const r = await h.call(Request.LAB_PCA, { probes: [3, 2] });
    expect(r.curve.mse.length).toBe(65);
    for (let k = 1; k < 65; k++) expect(r.curve.mse[k]).toBeLessThanOrEqual(r.curve.mse[k - 1]);
    expect(r.ae.mse).toBeLessThan(r.pcaAtK); // the seed model beats PCA at k = 20
    expect(r.points).toEqual([expect.objectContaining({ k: 20, kind: 'model', mse: r.ae.mse })]);
    expect(r.probes.ae.length).toBe(2 * 784);
    expect(r.probes.pcaMse[0]).toBeGreaterThan(0);
    const d = await h.call(Request.LAB_DRAWING, { pixels: h.host.engine.images('test', [3]) });
    expect(d.pca.mse).toBeCloseTo(r.probes.pcaMse[0], 6);
    expect(d.scores.mse).toBeCloseTo(r.probes.aeMse[0], 6);
    await expect(h.call(Request.LAB_DRAWING, { pixels: new Float32Array(5) })).rejects.toThrow('drawing: expected the drawing as a Float32Array of 784 values');
  });

  it('a linear autoencoder trained here approaches PCA with the same k from above', async () => {
    const h = await labHost();
    const run = h.send(Request.LAB_LINEAR, { k: 8, epochs: 2, trainImages: 10000 });
    const r = await run;
    expect(r.epochs.map((e) => e.epoch)).toEqual([1, 2]);
    expect(h.progress(run.id).filter((p) => p.partial).length).toBeGreaterThanOrEqual(1);
    expect(r.ratio).toBeGreaterThan(0.99); // no linear map beats PCA on the data it was fitted on
    expect(r.epochs[1].testMse).toBeLessThan(r.epochs[0].testMse); // and training moves it towards PCA
    // (two epochs on 10,000 images are far from PCA: 1.78 × its error, measured; `ae` and
    // npm run applications train 10 epochs on 60,000 and land within 1 %)
  });
});

describe('features, the latent sweep, overfitting', () => {
  it('probes codes, PCA and pixels on 100 labels, and kNN on the codes', async () => {
    const h = await labHost();
    const job = h.send(Request.LAB_FEATURES, { budgets: [100], testImages: 2000, knn: ['codes'], knnImages: 300 });
    const r = await job;
    expect(r.cells.map((c) => c.features)).toEqual(['codes', 'pca', 'pixels']);
    for (const c of r.cells) {
      expect(c).toMatchObject({ labels: 100, tested: 2000, converged: true });
      expect(c.accuracy).toBeGreaterThan(0.5);
    }
    expect(r.knn[0]).toMatchObject({ features: 'codes', k: 5, references: 10000, tested: 300 });
    expect(r.knn[0].accuracy).toBeGreaterThan(0.85);
    const partials = h.progress(job.id).filter((p) => p.partial);
    expect(partials.map((p) => p.partial.cell?.features ?? p.partial.knn?.features)).toEqual(['codes', 'pca', 'pixels', 'codes']);
  });

  it('sweeps the latent size and runs the overfitting demonstration, each in units with partial results', async () => {
    const h = await labHost();
    const sweep = h.send(Request.LAB_SWEEP, { latents: [2, 8], epochs: 1, trainImages: 1024, testImages: 256 });
    const overfit = h.send(Request.LAB_OVERFIT, { epochs: 3, trainImages: 256, testImages: 256, dropout: 0.2 });
    const [s, o] = await Promise.all([sweep, overfit]); // two lanes at once
    expect(s.points.map((p) => [p.k, p.done])).toEqual([[2, true], [8, true]]);
    // (8 batches per model: too few for k = 8 to beat k = 2, so only PCA's curve is ordered here)
    for (const p of s.points) expect(p.testMse).toBeGreaterThan(0);
    expect(s.pcaMse.length).toBe(9);
    for (let k = 1; k < 9; k++) expect(s.pcaMse[k]).toBeLessThanOrEqual(s.pcaMse[k - 1]);
    expect(o.epochs.map((e) => e.epoch)).toEqual([1, 2, 3]);
    expect(o.epochs[2].testBce).toBeLessThan(o.epochs[0].testBce);
    expect(h.progress(overfit.id).filter((p) => p.partial?.epochs).length).toBeGreaterThanOrEqual(2);
    // the sweep's points join the AE-vs-PCA chart's
    const p = await h.call(Request.LAB_PCA, {});
    expect(p.points.filter((q) => q.kind === 'sweep').map((q) => q.k)).toEqual([2, 8]);
  });
});
