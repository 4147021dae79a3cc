#!/usr/bin/env node
// `npm run quality`: trains the models of issue 3 with the native build of the engine (`ae`,
// built by `npm run setup`), prints every run's per-epoch train and test loss per image, then
// one machine-readable line per model and dataset and a PASS/FAIL verdict per quality bar.
// Not part of `npm test`: it takes minutes (run it with `nice` on a shared machine).
//
//   node scripts/quality.mjs [--only seed,vae,conv,denoising,aae,sequence] [--epochs N] [--ae PATH]
//                            [--save-dir DIR]
//   (through npm: npm run quality -- --only=aae)
//
// Runs (configs in tests/quality/<model>.json, the page's config schema):
//   seed       mnist, fashion-mnist   784-400-20-400-784, ReLU, sigmoid, BCE, Adam 1e-3, batch 128
//   vae        mnist                  PyTorch's VAE example: 784-400-(20 μ, 20 log σ²), 20-400-784
//   conv       mnist, fashion-mnist   Conv 32, 64 (k3 s2 p1) → 20, mirrored transposed convolutions
//   denoising  mnist                  the seed model trained on Gaussian-noised inputs (σ 0.5),
//                                     compared with the plain seed model on the same noisy test
//                                     images (`ae eval --noise gaussian --noise-amount 0.5`)
//   aae        mnist                  adversarial AE: the seed model's layers with a 2-D code, a
//                                     discriminator 128-128 on it, the ten-Gaussian mixture prior
//   sequence   mnist                  recurrent AE: a GRU of 128 reads the 28 rows, its last state
//                                     → a code of 20; a GRU fed the code at every step writes the rows
// Final lines (losses per image, summed over pixels; train_* is the mean over the last epoch's
// steps, as PyTorch's example reports it; test_* from `ae eval` of the saved model):
//   quality model=seed dataset=mnist epochs=10 train_bce=… test_bce=…
//   quality model=vae dataset=mnist epochs=10 train_bce=… train_loss=… test_bce=… test_kl=… test_loss=…
//   quality model=denoising dataset=mnist epochs=10 sigma=0.5 train_bce=… noisy_test_bce=… plain_noisy_test_bce=…
//   quality model=aae dataset=mnist epochs=10 train_bce=… train_disc=… train_gen=… test_bce=… test_disc=…
//           test_gen=… test_prior_loglik=…      (the mean log-density of the test codes under the prior)
//   quality model=sequence dataset=mnist epochs=10 train_bce=… test_bce=…
// PyTorch's figures for the same runs: tests/reference/torch_quality.py, README.md "Quality".
// Exit code: 0 when every bar checked passes, 1 when one fails or a run fails, 2 on a usage error.
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { fields, runAe, runsDir } from './ae-run.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const MODELS = ['seed', 'vae', 'conv', 'denoising', 'aae', 'sequence'];
const DATASETS = {
  seed: ['mnist', 'fashion-mnist'],
  vae: ['mnist'],
  conv: ['mnist', 'fashion-mnist'],
  denoising: ['mnist'],
  aae: ['mnist'],
  sequence: ['mnist'],
};
const COMPARED_WITH_SEED = ['conv', 'denoising']; // their bars need the seed model of the same dataset
const SIGMA = 0.5;
// The bars of issue 3, with PyTorch's figures where a bar is relative to them (measured with
// tests/reference/torch_quality.py: OpenBLAS, 1 thread, seed 1, the same data files).
const SEED_MNIST_MAX = 68.45;
const TORCH_VAE_TEST_LOSS = 105.25;
// Issue 14: the adversarial AE's test BCE within 2 % of PyTorch's, and its codes' mean
// log-density under the prior (nats per code) at most AAE_PRIOR_LOGLIK_SLACK below PyTorch's.
// The figure moves by itself from one run to the next: PyTorch's run gave -7.73 to -5.42 over
// epochs 5-10, and seeds 1 and 2 differ by 1.3 at epoch 6.
const TORCH_AAE_TEST_BCE = 157.975;
const TORCH_AAE_PRIOR_LOGLIK = -5.785;
const AAE_PRIOR_LOGLIK_SLACK = 1.5;
// Issue 14: the sequence AE's test BCE within 2 % of PyTorch's (nn.GRU, the same architecture),
// over seeds 1-3, each PyTorch run started from the engine's own draws for that seed: its initial
// weights and its batch order (torch_quality.py --models sequence --seed N --engine-draws,
// OpenBLAS, 1 thread; measured 2026-12-05). Why: this model sits on a plateau near 180-200 for a
// few epochs and the epoch it leaves it at is set by the draws, so its 10-epoch figure moves with
// them by more than the bar: PyTorch's own seeds 1 and 2 (torch.manual_seed) end 5.5 % apart,
// 105.47 and 99.94. From the same draws the two implementations agree to 0.2 % after epoch 1;
// then float rounding, amplified by the fall off the plateau, moves them a few percent either way
// and they end 1.3-2.3 % apart (ours higher with each seed), hence the mean of three seeds. Rounding alone moves a
// run that much: PyTorch from seed 1's draws with some weights off by 2e-12 ended at 95.32, not
// 93.23. README "Quality" has the epoch-by-epoch figures.
const SEQUENCE_SEEDS = [1, 2, 3];
const TORCH_SEQUENCE_TEST_BCE = { 1: 93.2278, 2: 90.2812, 3: 94.0084 };

const USAGE = `usage: node scripts/quality.mjs [--only ${MODELS.join(',')}] [--epochs N] [--ae PATH] [--save-dir DIR]`;

function parseArgs(argv) {
  const opts = { only: MODELS, epochs: 10, ae: join(ROOT, 'build/native/engine/ae'), saveDir: null };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '') usageError(`${flag} needs a value`);
      return v;
    };
    if (flag === '--only') {
      opts.only = value().split(',');
      const bad = opts.only.filter((m) => !MODELS.includes(m));
      if (bad.length) usageError(`--only: unknown model '${bad[0]}' (expected some of ${MODELS.join(', ')})`);
    } else if (flag === '--epochs') {
      opts.epochs = Number(value());
      if (!Number.isInteger(opts.epochs) || opts.epochs < 1) usageError('--epochs must be an integer >= 1');
    } else if (flag === '--ae') opts.ae = resolve(value());
    else if (flag === '--save-dir') opts.saveDir = resolve(value());
    else if (flag === '--help' || flag === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else usageError(`unknown option '${argv[i]}'`);
  }
  return opts;
}

function usageError(message) {
  console.error(`quality: ${message}\n${USAGE}`);
  process.exit(2);
}

// Runs `ae` with args, echoing stdout lines with a prefix; resolves to the lines.
const ae = (bin, args, prefix) => runAe(bin, args, (line) => console.log(`${prefix} ${line}`));

// As `ae` prints them (6 significant digits).
const fmt = (v) => String(v);

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const dir = runsDir('quality', opts.ae, opts.saveDir);
  const results = new Map(); // "model/dataset" → { last: its last epoch line, test: its eval line }
  const t0 = Date.now();

  // seed: overrides the config's (the key and file name then end in "@seed").
  async function train(model, dataset, seed) {
    const key = `${model}/${dataset}${seed ? `@${seed}` : ''}`;
    const file = join(dir, `${model}-${dataset}${seed ? `-${seed}` : ''}.aemf`);
    const prefix = `[${key}]`;
    console.log(`${prefix} training ${opts.epochs} epochs (tests/quality/${model}.json${seed ? `, seed ${seed}` : ''})`);
    const lines = await ae(
      opts.ae,
      ['train', '--config', join(ROOT, 'tests/quality', `${model}.json`), '--dataset', dataset, '--epochs', String(opts.epochs), '--eval-every-epoch', '--save', file, ...(seed ? ['--seed', String(seed)] : [])],
      prefix,
    );
    const epochs = lines.filter((l) => l.startsWith('epoch='));
    if (!epochs.length) throw new Error(`${prefix} printed no epoch line`);
    const last = fields(epochs.at(-1));
    const test = fields((await ae(opts.ae, ['eval', file, '--dataset', dataset], prefix)).at(-1));
    results.set(key, { last, test });
    return file;
  }

  // Runs in order; conv and denoising are compared with the seed model, trained first if needed.
  const lines = [];
  const quality = (model, dataset, extra) => lines.push(`quality model=${model} dataset=${dataset} epochs=${opts.epochs} ${extra}`);
  for (const model of opts.only) {
    for (const dataset of DATASETS[model]) {
      if (COMPARED_WITH_SEED.includes(model) && !results.has(`seed/${dataset}`)) {
        await train('seed', dataset);
        const { last, test } = results.get(`seed/${dataset}`);
        quality('seed', dataset, `train_bce=${fmt(last.recon)} test_bce=${fmt(test.recon)}`);
      }
      if (results.has(`${model}/${dataset}`)) continue;
      if (model === 'sequence') {
        // Three seeds, two at a time (the machine's cores; each run is deterministic either way).
        await Promise.all([train(model, dataset, SEQUENCE_SEEDS[0]), train(model, dataset, SEQUENCE_SEEDS[1])]);
        for (const seed of SEQUENCE_SEEDS.slice(2)) await train(model, dataset, seed);
        const runs = SEQUENCE_SEEDS.map((seed) => results.get(`${model}/${dataset}@${seed}`));
        const mean = (f) => runs.reduce((acc, r) => acc + f(r), 0) / runs.length;
        results.set(`${model}/${dataset}`, { last: { recon: mean((r) => r.last.recon) }, test: { recon: mean((r) => r.test.recon) }, runs });
        const each = runs.map((r) => fmt(r.test.recon)).join(',');
        quality(model, dataset, `seeds=${SEQUENCE_SEEDS.join(',')} train_bce=${mean((r) => r.last.recon).toFixed(4)} test_bce=${mean((r) => r.test.recon).toFixed(4)} test_bce_each=${each}`);
        continue;
      }
      await train(model, dataset);
      const { last, test } = results.get(`${model}/${dataset}`);
      if (model === 'vae') {
        quality(model, dataset, `train_bce=${fmt(last.recon)} train_loss=${fmt(last.train_loss)} test_bce=${fmt(test.recon)} test_kl=${fmt(test.kl)} test_loss=${fmt(test.loss)}`);
      } else if (model === 'aae') {
        quality(model, dataset, `train_bce=${fmt(last.recon)} train_disc=${fmt(last.disc)} train_gen=${fmt(last.gen)} test_bce=${fmt(test.recon)} test_disc=${fmt(test.disc)} test_gen=${fmt(test.gen)} test_prior_loglik=${fmt(test.prior_loglik)}`);
      } else if (model === 'denoising') {
        // `ae eval` of the denoising model used its own training noise (gaussian, σ 0.5), drawn
        // from the evaluation generator of seed 1: the plain model sees the very same images.
        const plainFile = join(dir, `seed-${dataset}.aemf`);
        const evalArgs = ['eval', plainFile, '--dataset', dataset, '--noise', 'gaussian', '--noise-amount', String(SIGMA)];
        const plain = fields((await ae(opts.ae, evalArgs, `[seed/${dataset} on noisy inputs]`)).at(-1));
        results.get(`${model}/${dataset}`).plainNoisy = plain.recon;
        quality(model, dataset, `sigma=${SIGMA} train_bce=${fmt(last.recon)} noisy_test_bce=${fmt(test.recon)} plain_noisy_test_bce=${fmt(plain.recon)}`);
      } else {
        quality(model, dataset, `train_bce=${fmt(last.recon)} test_bce=${fmt(test.recon)}`);
      }
    }
  }

  // The bars, each checked when its runs were made.
  const verdicts = [];
  const bar = (ok, text) => verdicts.push(`${ok ? 'PASS' : 'FAIL'} ${text}`);
  const test = (key) => results.get(key).test;
  // v within a relative tol of PyTorch's ref, and the signed difference in percent.
  const withinOf = (v, ref, tol) => {
    const off = (v - ref) / ref;
    return { ok: Math.abs(off) <= tol, pct: `${off >= 0 ? '+' : ''}${(100 * off).toFixed(2)}%` };
  };
  if (results.has('seed/mnist')) {
    const v = test('seed/mnist').recon;
    bar(v <= SEED_MNIST_MAX, `seed model, MNIST: test BCE ${fmt(v)} <= ${SEED_MNIST_MAX}`);
  }
  if (results.has('vae/mnist')) {
    const v = test('vae/mnist').loss;
    const { ok, pct } = withinOf(v, TORCH_VAE_TEST_LOSS, 0.01);
    bar(ok, `VAE, MNIST: test loss ${fmt(v)} within 1% of PyTorch's ${TORCH_VAE_TEST_LOSS} (${pct})`);
  }
  for (const dataset of DATASETS.conv) {
    if (!results.has(`conv/${dataset}`)) continue;
    const c = test(`conv/${dataset}`).recon, s = test(`seed/${dataset}`).recon;
    bar(c < s, `conv AE (latent 20) beats the seed model on ${dataset}: test BCE ${fmt(c)} < ${fmt(s)}`);
  }
  if (results.has('aae/mnist')) {
    const t = test('aae/mnist');
    const { ok, pct } = withinOf(t.recon, TORCH_AAE_TEST_BCE, 0.02);
    bar(ok, `adversarial AE (2-D code, ten-Gaussian prior), MNIST: test BCE ${fmt(t.recon)} within 2% of PyTorch's ${TORCH_AAE_TEST_BCE} (${pct})`);
    const gap = t.prior_loglik - TORCH_AAE_PRIOR_LOGLIK;
    bar(gap >= -AAE_PRIOR_LOGLIK_SLACK, `adversarial AE, MNIST: the test codes' mean log-density under the prior ${fmt(t.prior_loglik)} at least PyTorch's ${TORCH_AAE_PRIOR_LOGLIK} - ${AAE_PRIOR_LOGLIK_SLACK} (${gap >= 0 ? '+' : ''}${gap.toFixed(3)})`);
  }
  if (results.has('sequence/mnist')) {
    const { runs } = results.get('sequence/mnist');
    const ours = runs.map((r) => r.test.recon);
    const theirs = SEQUENCE_SEEDS.map((seed) => TORCH_SEQUENCE_TEST_BCE[seed]);
    const m = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const { ok, pct } = withinOf(m(ours), m(theirs), 0.02);
    const pairs = SEQUENCE_SEEDS.map((seed, i) => `seed ${seed}: ${fmt(ours[i])} vs ${theirs[i]}`).join('; ');
    bar(ok, `sequence AE (GRU 128, code 20), MNIST, mean of seeds ${SEQUENCE_SEEDS.join(', ')}: test BCE ${m(ours).toFixed(4)} within 2% of PyTorch's ${m(theirs).toFixed(4)}, each run from the same weights and batch order (${pct}; ${pairs})`);
  }
  if (results.has('denoising/mnist')) {
    const { test: t, plainNoisy } = results.get('denoising/mnist');
    bar(t.recon < plainNoisy, `denoising (sigma ${SIGMA}), noisy MNIST test images against the clean ones: BCE ${fmt(t.recon)} < plain seed model's ${fmt(plainNoisy)}`);
  }

  console.log(`\nquality: ${[...results.values()].filter((r) => !r.runs).length} runs in ${((Date.now() - t0) / 60000).toFixed(1)} min${opts.epochs === 10 ? '' : ` (the bars are defined for 10 epochs; this was ${opts.epochs})`}`);
  for (const line of lines) console.log(line);
  for (const line of verdicts) console.log(line);
  process.exit(verdicts.some((v) => v.startsWith('FAIL')) ? 1 : 0);
}

main().catch((err) => {
  console.error(`quality: ${err.message}`);
  process.exit(1);
});
