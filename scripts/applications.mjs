#!/usr/bin/env node
// `npm run applications`: the applications lab's reference protocols (issue 11,
// ../shared/reference/applications-anchors.md) run with the native `ae` (built by `npm run
// setup`) on MNIST and Fashion-MNIST. It prints every `ae` line as it comes, then one line per
// dataset and lab, then PASS/FAIL against the targets (MNIST). Not part of `npm test`:
// it trains 20+ models (about 40 minutes of CPU).
//
//   node scripts/applications.mjs [--datasets mnist,fashion-mnist] [--labs anomaly,compression,probe,linear,overfit]
//                                 [--latents 2,4,8,16,20,32,64] [--overfit-test-images N] [--jobs N]
//                                 [--ae PATH] [--save-dir DIR]
//
//   --latents   the autoencoders the compression lab trains (PCA is measured at every k of the
//               full list anyway: it needs no training); a shorter list saves most of the time
//   --jobs N    trainings run N at a time (each `ae` uses one core)
//
// Protocols (seed model 784-400-k-400-784, ReLU, sigmoid, BCE, Adam 1e-3, batch 128, seed 1):
//   anomaly      for each class c: train 5 epochs on the training images of every other class
//                (ae train --class-filter except --filter-class c), score the test set (ae anomaly):
//                AUC of "is class c" by per-image MSE, BCE, BCE − H(x), and PCA k=20 fitted on the
//                same images (squared error, unclipped); means over the 10 classes
//   compression  k in 2, 4, 8, 16, 20, 32, 64: train 10 epochs on all training images; ae compress:
//                8-bit codes (per-dimension train min/max), mean PSNR/SSIM; PCA with the same k
//   probe        the k=20 model of the compression runs; ae probe --labels 100,1000,10000 --knn (on
//                MNIST with --label-file: the labelled images of the anchors' sklearn split)
//   linear       every activation the identity (incl. the output), MSE loss, k=20, 10 epochs;
//                test MSE (unclipped) against PCA k=20 (unclipped)
//   overfit      latent 64, 1,000 training images, 50 epochs: plain, weight decay 1e-4, dropout 0.2
// Final lines:
//   applications lab=anomaly dataset=mnist auc_mse=… auc_bce=… auc_kl=… auc_pca=…
//   applications lab=compression dataset=mnist k=16 psnr_8bit=… pca_psnr_8bit=… …   (one per k)
//   applications lab=probe dataset=mnist labels=100 acc_codes=… acc_pca=… acc_pixels=…   (one per budget)
//   applications lab=knn dataset=mnist acc_codes=… acc_pca=… acc_pixels=…
//   applications lab=linear dataset=mnist mse=… pca_mse=…
//   applications lab=overfit dataset=mnist variant=plain train_bce=… test_bce=… gap=… best_test_bce=…
// Exit code: 0 when every target checked passes, 1 when one fails or a run fails, 2 on a usage error.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { fields, runAe, runsDir } from './ae-run.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DATASETS = ['mnist', 'fashion-mnist'];
const LABS = ['anomaly', 'compression', 'probe', 'linear', 'overfit'];
const LATENTS = [2, 4, 8, 16, 20, 32, 64];
const BUDGETS = [100, 1000, 10000];
// The issue's targets (MNIST) and the anchors' PCA figures (PyTorch/scikit-learn/NumPy, same protocols).
// "Ours should land within noise (±0.01 AUC or accuracy, ±0.2 dB) of these or above" (issue 11):
// the anchors are one run per number, so a figure that is at most NOISE below its target passes.
const TARGET = { aucMse: 0.78, aucBce: 0.7, aucPca: 0.707, psnr16: 20.8, psnr32: 23.3, probe100: 0.79, linearTol: 0.01 };
const NOISE = { auc: 0.01, accuracy: 0.01, db: 0.2 };
const atLeast = (value, target, noise) => value >= target - noise;
const PCA_PSNR_8BIT = { 2: 12.81, 4: 13.46, 8: 14.65, 16: 16.31, 20: 16.94, 32: 18.56, 64: 21.49 };

const USAGE = `usage: node scripts/applications.mjs [--datasets ${DATASETS.join(',')}] [--labs ${LABS.join(',')}] [--latents ${LATENTS.join(',')}] [--overfit-test-images N] [--jobs N] [--ae PATH] [--save-dir DIR]`;

function usageError(message) {
  console.error(`applications: ${message}\n${USAGE}`);
  process.exit(2);
}

function list(value, allowed, flag) {
  const items = value.split(',');
  const bad = items.filter((v) => !allowed.includes(v));
  if (bad.length) usageError(`${flag}: unknown '${bad[0]}' (expected some of ${allowed.join(', ')})`);
  return items;
}

function parseArgs(argv) {
  const opts = { datasets: DATASETS, labs: LABS, latents: LATENTS, overfitTest: 0, jobs: 1, ae: join(ROOT, 'build/native/engine/ae'), saveDir: null };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '') usageError(`${flag} needs a value`);
      return v;
    };
    if (flag === '--datasets') opts.datasets = list(value(), DATASETS, flag);
    else if (flag === '--labs') opts.labs = list(value(), LABS, flag);
    else if (flag === '--latents') opts.latents = list(value(), LATENTS.map(String), flag).map(Number);
    else if (flag === '--overfit-test-images') {
      opts.overfitTest = Number(value());
      if (!Number.isInteger(opts.overfitTest) || opts.overfitTest < 0) usageError('--overfit-test-images must be an integer >= 0 (0 = all)');
    } else if (flag === '--jobs') {
      opts.jobs = Number(value());
      if (!Number.isInteger(opts.jobs) || opts.jobs < 1 || opts.jobs > 8) usageError('--jobs must be an integer in [1, 8]');
    } else if (flag === '--ae') opts.ae = resolve(value());
    else if (flag === '--save-dir') opts.saveDir = resolve(value());
    else if (flag === '--help' || flag === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else usageError(`unknown option '${argv[i]}'`);
  }
  return opts;
}

// At most `jobs` tasks at once; resolves to their results in order.
async function pool(tasks, jobs) {
  const results = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, tasks.length) }, worker));
  return results;
}

const mean = (xs) => xs.reduce((s, x) => s + x, 0) / xs.length;
const f = (v, digits = 4) => Number(v).toFixed(digits);

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const dir = runsDir('applications', opts.ae, opts.saveDir);
  const t0 = Date.now();
  const ae = (args, prefix) => runAe(opts.ae, args, (line) => console.log(`${prefix} ${line}`));
  const last = (lines, head) => {
    const line = lines.filter((l) => l.startsWith(`${head} `)).at(-1);
    if (!line) throw new Error(`ae printed no '${head}' line`);
    return fields(line);
  };
  const train = async (dataset, name, flags, epochs) => {
    const file = join(dir, `${dataset}-${name}.aemf`);
    if (opts.saveDir && existsSync(file)) return file; // reuse a saved run
    await ae(['train', '--dataset', dataset, '--epochs', String(epochs), '--save', `${file}.part`, ...flags], `[${dataset} ${name}]`);
    const { renameSync } = await import('node:fs');
    renameSync(`${file}.part`, file);
    return file;
  };

  const out = [];
  const verdicts = [];
  const bar = (ok, text) => verdicts.push(`${ok ? 'PASS' : 'FAIL'} ${text}`);
  const line = (lab, dataset, text) => out.push(`applications lab=${lab} dataset=${dataset} ${text}`);

  for (const dataset of opts.datasets) {
    const mnist = dataset === 'mnist';
    if (opts.labs.includes('anomaly')) {
      const rows = await pool(
        Array.from({ length: 10 }, (_, c) => async () => {
          const file = await train(dataset, `no${c}`, ['--class-filter', 'except', '--filter-class', String(c)], 5);
          return last(await ae(['anomaly', file, '--dataset', dataset], `[${dataset} no${c}]`), 'anomaly');
        }),
        opts.jobs,
      );
      const m = (key) => mean(rows.map((r) => r[key]));
      const per = rows.map((r) => `${r.class}:${f(r.auc_mse, 3)}`).join(',');
      line('anomaly', dataset, `auc_mse=${f(m('auc_mse'))} auc_bce=${f(m('auc_bce'))} auc_kl=${f(m('auc_kl'))} auc_pca=${f(m('auc_pca'))} f1_mse=${f(m('f1_mse'), 3)} f1_bce=${f(m('f1_bce'), 3)} f1_pca=${f(m('f1_pca'), 3)} auc_mse_per_class=${per}`);
      if (mnist) {
        bar(atLeast(m('auc_mse'), TARGET.aucMse, NOISE.auc), `anomaly, MNIST: mean AE-MSE AUC ${f(m('auc_mse'))} >= ${TARGET.aucMse} (within noise, ${NOISE.auc})`);
        bar(atLeast(m('auc_bce'), TARGET.aucBce, NOISE.auc), `anomaly, MNIST: mean AE-BCE AUC ${f(m('auc_bce'))} >= ${TARGET.aucBce} (within noise, ${NOISE.auc})`);
        bar(Math.abs(m('auc_pca') - TARGET.aucPca) <= NOISE.auc, `anomaly, MNIST: mean PCA k=20 AUC ${f(m('auc_pca'))} within ${NOISE.auc} of ${TARGET.aucPca}`);
      }
    }
    const needK20 = opts.labs.includes('probe');
    const latents = [...new Set([...(opts.labs.includes('compression') ? opts.latents : []), ...(needK20 ? [20] : [])])].sort((a, b) => a - b);
    const comp = await pool(
      latents.map((k) => async () => {
        const file = await train(dataset, `k${k}`, ['--latent', String(k)], 10);
        if (!opts.labs.includes('compression')) return { k, file };
        // PCA at every k of the full list from one fit (the k=20 model's run, or the first).
        const pcaK = k === (latents.includes(20) ? 20 : latents[0]) ? LATENTS.join(',') : '0';
        const lines = await ae(['compress', file, '--dataset', dataset, '--pca-k', pcaK], `[${dataset} k${k}]`);
        return { k, file, ae: last(lines, 'compress'), pca: lines.filter((l) => l.startsWith('compress_pca ')).map(fields) };
      }),
      opts.jobs,
    );
    if (opts.labs.includes('compression')) {
      const pcaRows = comp.flatMap((r) => r.pca);
      for (const k of LATENTS) {
        const a = comp.find((r) => r.k === k)?.ae;
        const p = pcaRows.find((r) => r.k === k);
        const aeText = a ? `psnr_8bit=${f(a.psnr_8bit, 2)} psnr_f32=${f(a.psnr_f32, 2)} ssim_8bit=${f(a.ssim_8bit, 3)} mse=${f(a.mse, 5)}` : 'psnr_8bit=- (not trained: --latents)';
        line('compression', dataset, `k=${k} bytes_8bit=${k} ${aeText} pca_psnr_8bit=${f(p.psnr_8bit, 2)} pca_ssim_8bit=${f(p.ssim_8bit, 3)} pca_mse=${f(p.mse, 5)}`);
        if (!mnist) continue;
        if (k === 16 && a) bar(atLeast(a.psnr_8bit, TARGET.psnr16, NOISE.db), `compression, MNIST, k=16: 8-bit PSNR ${f(a.psnr_8bit, 2)} >= ${TARGET.psnr16} dB (within noise, ${NOISE.db} dB)`);
        if (k === 32 && a) bar(atLeast(a.psnr_8bit, TARGET.psnr32, NOISE.db), `compression, MNIST, k=32: 8-bit PSNR ${f(a.psnr_8bit, 2)} >= ${TARGET.psnr32} dB (within noise, ${NOISE.db} dB)`);
        bar(Math.abs(p.psnr_8bit - PCA_PSNR_8BIT[k]) <= NOISE.db, `compression, MNIST, PCA k=${k}: 8-bit PSNR ${f(p.psnr_8bit, 2)} within ${NOISE.db} dB of ${PCA_PSNR_8BIT[k]}`);
      }
    }
    if (opts.labs.includes('probe')) {
      const file = comp.find((r) => r.k === 20).file;
      // MNIST: the very images scikit-learn's stratified split gives the anchors (tests/reference/make_label_budgets.py).
      const labelFile = mnist ? ['--label-file', join(ROOT, 'tests/reference/label-budgets-mnist.txt')] : [];
      const lines = await ae(['probe', file, '--dataset', dataset, '--labels', BUDGETS.join(','), '--knn', ...labelFile], `[${dataset} probe]`);
      for (const l of lines.filter((x) => x.startsWith('probe '))) {
        const p = fields(l);
        line('probe', dataset, `labels=${p.labels} acc_codes=${f(p.acc_codes)} acc_pca=${f(p.acc_pca)} acc_pixels=${f(p.acc_pixels)}`);
        if (!mnist) continue;
        if (p.labels === 100) bar(atLeast(p.acc_codes, TARGET.probe100, NOISE.accuracy), `probe, MNIST, 100 labels: codes ${f(p.acc_codes)} >= ${TARGET.probe100} (within noise, ${NOISE.accuracy})`);
        if (p.labels <= 1000)
          bar(p.acc_codes > p.acc_pca && p.acc_codes > p.acc_pixels, `probe, MNIST, ${p.labels} labels: codes ${f(p.acc_codes)} above PCA ${f(p.acc_pca)} and pixels ${f(p.acc_pixels)}`);
      }
      const k = last(lines, 'knn');
      line('knn', dataset, `k=5 acc_codes=${f(k.acc_codes)} acc_pca=${f(k.acc_pca)} acc_pixels=${f(k.acc_pixels)}`);
    }
    if (opts.labs.includes('linear')) {
      const file = await train(dataset, 'linear', ['--activation', 'identity', '--code-activation', 'identity', '--output', 'identity', '--loss', 'mse'], 10);
      const lines = await ae(['compress', file, '--dataset', dataset, '--pca-k', '20'], `[${dataset} linear]`);
      const a = last(lines, 'compress');
      const p = last(lines, 'compress_pca');
      const ratio = a.mse / p.mse_unclipped;
      line('linear', dataset, `mse=${f(a.mse, 6)} pca_mse=${f(p.mse_unclipped, 6)} ratio=${f(ratio)}`);
      if (mnist) bar(Math.abs(ratio - 1) <= TARGET.linearTol, `linear AE, MNIST, k=20: test MSE ${f(a.mse, 6)} within 1% of PCA's ${f(p.mse_unclipped, 6)} (${f(100 * (ratio - 1), 2)}%)`);
    }
    if (opts.labs.includes('overfit')) {
      const variants = [
        ['plain', []],
        ['wd1e-4', ['--weight-decay', '1e-4']],
        ['dropout0.2', ['--dropout', '0.2']],
      ];
      const rows = await pool(
        variants.map(([name, flags]) => async () => [name, last(await ae(['overfit', '--dataset', dataset, '--test-images', String(opts.overfitTest), ...flags], `[${dataset} overfit ${name}]`), 'overfit_result')]),
        opts.jobs,
      );
      for (const [name, r] of rows)
        line('overfit', dataset, `variant=${name} epochs=${r.epochs} test_images=${opts.overfitTest || 'all'} train_bce=${f(r.train_bce, 2)} test_bce=${f(r.test_bce, 2)} gap=${f(r.gap, 2)} best_test_bce=${f(r.best_test_bce, 2)} best_epoch=${r.best_epoch}`);
    }
  }

  console.log(`\napplications: ${opts.datasets.join(', ')} in ${((Date.now() - t0) / 60000).toFixed(1)} min`);
  for (const l of out) console.log(l);
  for (const v of verdicts) console.log(v);
  process.exit(verdicts.some((v) => v.startsWith('FAIL')) ? 1 : 0);
}

main().catch((err) => {
  console.error(`applications: ${err.message}`);
  process.exit(1);
});
