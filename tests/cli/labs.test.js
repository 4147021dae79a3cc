// The applications lab's `ae` commands (anomaly, compress, probe, sweep, overfit) on tiny
// synthetic 28×28 datasets: each prints its machine-readable line(s), refuses what has no answer
// with a message and exit code 1, and a wrong command line with its usage and exit code 2.
//
// Uses build/native/engine/ae through ./ae-helpers.js (AE_BIN overrides it).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { dataset, fields, requireAe, runAe } from './ae-helpers.js';

let dir;
const ae = (...args) => runAe(dir, args);
const DATA = ['--dataset', 'tiny', '--data-dir', '.'];
const TINY = [...DATA, '--batch-size', '16', '--encoder', '32', '--latent', '4', '--seed', '3'];

beforeAll(() => {
  requireAe();
  dir = mkdtempSync(join(tmpdir(), 'ae-labs-'));
  writeFileSync(join(dir, 'tiny-train.aeds'), dataset(200, 'tiny'));
  writeFileSync(join(dir, 'tiny-test.aeds'), dataset(100, 'tiny'));
  expect(ae('train', ...TINY, '--epochs', '3', '--save', 'all.aemf').code).toBe(0);
  expect(ae('train', ...TINY, '--epochs', '3', '--class-filter', 'except', '--filter-class', '7', '--save', 'no7.aemf').code).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ae anomaly', () => {
  it('reads what "normal" was from the model file and scores the test set', () => {
    const r = ae('anomaly', 'no7.aemf', ...DATA);
    expect(r.code, r.err).toBe(0);
    const f = fields(r.lines[0]);
    expect(r.lines[0]).toMatch(/^anomaly dataset=tiny filter=except class=7 k=4 /);
    expect(Number(f.train_images)).toBe(180);
    expect(Number(f.positives)).toBe(10);
    for (const k of ['auc_mse', 'auc_bce', 'auc_kl', 'auc_pca', 'f1_bce', 'f1_pca']) {
      expect(Number(f[k])).toBeGreaterThanOrEqual(0);
      expect(Number(f[k])).toBeLessThanOrEqual(1);
    }
  });

  it('refuses a model trained on every class, and a bad flag', () => {
    const r = ae('anomaly', 'all.aemf', ...DATA);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/trained on every class, so no test image is an anomaly/);
    const u = ae('anomaly', 'no7.aemf', '--pca-k', 'many');
    expect(u.code).toBe(2);
    expect(u.err).toMatch(/usage: ae anomaly/);
  });
});

describe('ae compress, probe, sweep, overfit', () => {
  it('compress: a line for the model and one per PCA size', () => {
    const r = ae('compress', 'all.aemf', ...DATA, '--pca-k', '2,4');
    expect(r.code, r.err).toBe(0);
    expect(r.lines).toHaveLength(3);
    const a = fields(r.lines[0]);
    expect(r.lines[0]).toMatch(/^compress dataset=tiny k=4 bytes_f32=16 bytes_8bit=4 /);
    expect(Number(a.psnr_8bit)).toBeGreaterThan(5);
    expect(Math.abs(Number(a.psnr_8bit) - Number(a.psnr_f32))).toBeLessThan(1);
    expect(r.lines[1]).toMatch(/^compress_pca dataset=tiny k=2 /);
    expect(Number(fields(r.lines[2]).psnr_f32)).toBeGreaterThan(Number(fields(r.lines[1]).psnr_f32));
  });

  it('probe: one line per label budget and a kNN line', () => {
    const r = ae('probe', 'all.aemf', ...DATA, '--labels', '20,50', '--knn');
    expect(r.code, r.err).toBe(0);
    expect(r.lines).toHaveLength(3);
    expect(r.lines[0]).toMatch(/^probe dataset=tiny labels=20 acc_codes=\S+ acc_pca=\S+ acc_pixels=\S+ iters_codes=\d+ /);
    expect(Number(fields(r.lines[1]).acc_pixels)).toBeGreaterThan(0.5); // a bar's row gives the label away
    expect(r.lines[2]).toMatch(/^knn dataset=tiny k=5 train_labels=200 /);
    const bad = ae('probe', 'all.aemf', ...DATA, '--labels', '500');
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/500 labelled images asked for, but only 200 are available/);
  });

  it('probe --label-file: the listed images are the labelled ones, and a bad file is refused', () => {
    // Budget 10: images 0, 10, …, 90, all of class 0 (label = i mod 10), so every probe answers "0"
    // and is right on the test set's tenth of zeros. Budget 20: two of each class.
    writeFileSync(join(dir, 'budgets.txt'), `10: ${Array.from({ length: 10 }, (_, i) => 10 * i).join(' ')}\n20: ${Array.from({ length: 20 }, (_, i) => i).join(' ')}\n`);
    const r = ae('probe', 'all.aemf', ...DATA, '--labels', '10,20', '--label-file', 'budgets.txt');
    expect(r.code, r.err).toBe(0);
    const [one, two] = r.lines.map(fields);
    for (const k of ['acc_codes', 'acc_pca', 'acc_pixels']) expect(Number(one[k])).toBeCloseTo(0.1, 6);
    expect(Number(two.acc_pixels)).toBeGreaterThan(0.5);
    const missing = ae('probe', 'all.aemf', ...DATA, '--labels', '30', '--label-file', 'budgets.txt');
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/--label-file has no line for the budget 30/);
    writeFileSync(join(dir, 'bad.txt'), '10: 0 1 2 3 4 5 6 7 8 900\n');
    const bad = ae('probe', 'all.aemf', ...DATA, '--labels', '10', '--label-file', 'bad.txt');
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/bad\.txt:1: '900' is not an index into the 200 training images/);
  });

  it('sweep and overfit print per-k and per-epoch lines', () => {
    const s = ae('sweep', ...DATA, '--latents', '2,4', '--epochs', '1', '--train-images', '100', '--test-images', '50');
    expect(s.code, s.err).toBe(0);
    expect(s.lines.map((l) => fields(l).k)).toEqual(['2', '4']);
    expect(Number(fields(s.lines[1]).pca_mse)).toBeLessThan(Number(fields(s.lines[0]).pca_mse));
    const o = ae('overfit', ...DATA, '--images', '50', '--latent', '8', '--epochs', '3', '--dropout', '0.2');
    expect(o.code, o.err).toBe(0);
    expect(o.lines).toHaveLength(4);
    expect(o.lines[2]).toMatch(/^overfit epoch=3 train_bce=\S+ test_bce=\S+ gap=\S+$/);
    for (const l of o.lines.slice(0, 3)) expect(Number(fields(l).test_bce)).toBeGreaterThan(0); // printed once evaluated
    expect(o.lines[3]).toMatch(/^overfit_result dataset=tiny images=50 latent=8 dropout=0.2 weight_decay=0 epochs=3 /);
  });
});
