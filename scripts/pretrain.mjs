#!/usr/bin/env node
// `npm run pretrain`: trains the models shipped with the page, with the native `ae` program, and
// writes them to web/public/models/<dataset>-<name>.aemf (f16 weights, no optimizer state) with
// web/public/models/manifest.json. The .aemf files and the manifest are committed: `npm start`
// and `npm test` use them as they are and never run this script.
//
//   node scripts/pretrain.mjs [--only NAMES] [--force] [--preview DIR] [--ae PATH] [--wasm DIR]
//
//   --only NAMES   comma-separated model names (seed, vae2d, conv, denoising, aae2d, sequence, anomaly), datasets (mnist,
//                  fashion-mnist) or ids (mnist-seed): train only those
//   --force        retrain even when a model is up to date
//   --preview DIR  also write pictures of every selected model to DIR (scripts/pretrain/preview.mjs)
//   --ae PATH      use this `ae` instead of building build/pretrain/engine/ae
//   --wasm DIR     the Embind module (ae.mjs, ae.wasm) to check the files with (default web/src/wasm)
//
// Recipes: web/public/models/configs/<name>.json, read by `ae train --config` as they are (model
// config, training config with its seed, epochs), each trained on MNIST and Fashion-MNIST; the
// titles and descriptions are in scripts/pretrain/catalog.mjs. To train one by hand:
//   ae train --config web/public/models/configs/seed.json --dataset mnist --save m.aemf
//
// For each model: `ae train` (test loss after every epoch, so the file's history has a test curve),
// `ae export --quantize f16` with that history minus its wall-clock seconds, `ae eval` of the f16
// file (whole test set and first 1,000 images) and of the f32 weights, then the f16 file is loaded
// in the page's WASM engine, which must give the same test loss on the first 1,000 images, and
// the f16 and f32 reconstructions of those images are compared (what f16 costs). A summary table
// ends the run.
//
// Reproducible: `ae` is built for plain x86-64 (SSE2, no FMA: -DAE_NATIVE_ARCH=OFF) in
// build/pretrain, so the same sources, compiler and seed give byte-identical files on any x86-64
// machine; nothing in a file or the manifest depends on the clock. Idempotent: a model is skipped
// when its file exists with the manifest's sha256 and its entry matches the recipe (config, seed,
// epochs), the datasets (sha256) and the engine (`ae --version`: engine release and AEMF format
// version). Training runs one model at a time, niced (priority 5), since it takes minutes.
//
// Exit code: 0 done, 1 a step failed (the message says which), 2 usage error.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { fields, runAe } from './ae-run.mjs';
import { DATASETS, LAB_MODELS, MODELS as START_MODELS, entryText } from './pretrain/catalog.mjs';
import { engineWith, greyLevelDiff, loadEngineModule, readDataset, reconstructTest } from './pretrain/engine.mjs';
import { writePreview } from './pretrain/preview.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const MODELS_DIR = join(ROOT, 'web/public/models');
const CONFIG_DIR = join(MODELS_DIR, 'configs');
const LAB_DIR = join(MODELS_DIR, 'labs'); // the applications lab's recipes (catalog.mjs LAB_MODELS)
// Every model `npm run pretrain` makes: the "Start from" models, then the applications lab's.
const MODELS = [...START_MODELS, ...LAB_MODELS];
const MANIFEST = join(MODELS_DIR, 'manifest.json');
const DATA_DIR = join(ROOT, 'web/public/data');
const BUILD_DIR = join(ROOT, 'build/pretrain');
const WORK_DIR = join(BUILD_DIR, 'work'); // f32 files with Adam state (`ae train --resume` them), histories
// x86-64-v3 (AVX2 + FMA: Intel since 2013, AMD since 2015), not -march=native: vector widths and
// FMA change float rounding, so a fixed target makes the files the same on every such machine,
// at the speed of the native build (the engine's kernels gain nothing measurable from AVX-512).
const MARCH = '-march=x86-64-v3';
const CHECK_IMAGES = 1000;
// The WASM engine and the native `ae` must agree on the test loss of the first 1,000 images to
// this relative difference. Both evaluate in float32 with the same seeded ε for VAEs; they differ
// only in rounding (GEMM tile shapes and summation order), which is about 1e-6 relative.
const WASM_TOLERANCE = 1e-4;

const USAGE = 'usage: node scripts/pretrain.mjs [--only NAMES] [--force] [--preview DIR] [--ae PATH] [--wasm DIR]';

function usageError(message) {
  console.error(`pretrain: ${message}\n${USAGE}`);
  process.exit(2);
}

function parseArgs(argv) {
  const opts = { only: null, force: false, preview: null, ae: null, wasm: join(ROOT, 'web/src/wasm') };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '') usageError(`${flag} needs a value`);
      return v;
    };
    if (flag === '--only') opts.only = value().split(',');
    else if (flag === '--force') opts.force = true;
    else if (flag === '--preview') opts.preview = resolve(value());
    else if (flag === '--ae') opts.ae = resolve(value());
    else if (flag === '--wasm') opts.wasm = resolve(value());
    else if (flag === '--help' || flag === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else usageError(`unknown option '${argv[i]}'`);
  }
  return opts;
}

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');
const log = (msg) => console.log(`[pretrain] ${msg}`);

// ---- the `ae` program -------------------------------------------------------------------

function buildAe() {
  const run = (args) => {
    const r = spawnSync('cmake', args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
    if (r.error || r.status !== 0) throw new Error(`cmake ${args.join(' ')} failed:\n${r.stdout}${r.stderr}${r.error ?? ''}`);
  };
  // Configured every time (a second or two), so the flags below always hold.
  run(['-S', '.', '-B', BUILD_DIR, '-G', 'Ninja', '-DCMAKE_BUILD_TYPE=Release', '-DAE_NATIVE_ARCH=OFF', `-DCMAKE_CXX_FLAGS=${MARCH}`, '-DAE_BUILD_TESTS=OFF']);
  run(['--build', BUILD_DIR, '--target', 'ae', '--parallel', '2']);
  return join(BUILD_DIR, 'engine/ae');
}

/** Runs `ae args…`; resolves to its stdout lines, echoing each with `echo` as prefix if given. */
const ae = (bin, args, echo = null) => runAe(bin, args, echo ? (line) => console.log(`  ${echo} ${line}`) : undefined);

/** `ae eval` → { images, loss, recon, kl, sparsity, weight_decay } (and disc, gen, prior_loglik for aae) */
async function evaluate(bin, file, dataset, limit = 0) {
  const args = ['eval', file, '--dataset', dataset, '--data-dir', DATA_DIR];
  if (limit) args.push('--limit', String(limit));
  const line = (await ae(bin, args)).find((l) => l.startsWith('eval '));
  if (!line) throw new Error(`ae eval ${file} printed no eval line`);
  const f = fields(line);
  const out = { images: f.images, loss: f.loss, recon: f.recon, kl: f.kl, sparsity: f.sparsity, weight_decay: f.weight_decay };
  // An adversarial model's two players and how well its codes fit the prior.
  for (const k of ['disc', 'gen', 'prior_loglik']) if (k in f) out[k] = f[k];
  return out;
}

// ---- files --------------------------------------------------------------------------------

/** The JSON header of an AEMF file (engine/src/io/FORMAT.md): 28 fixed bytes, then H bytes of JSON. */
function aemfHeader(bytes) {
  const b = Buffer.from(bytes);
  if (b.length < 28 || b.toString('latin1', 0, 4) !== 'AEMF') throw new Error('not an AEMF model file');
  return JSON.parse(b.toString('utf8', 28, 28 + b.readUInt32LE(8)));
}

function readRecipe(model, dataset) {
  const path = join(model.lab ? LAB_DIR : CONFIG_DIR, `${model.name}.json`);
  const recipe = JSON.parse(readFileSync(path, 'utf8'));
  const keys = Object.keys(recipe).sort().join(',');
  if (keys !== 'epochs,model,train' || !Number.isInteger(recipe.epochs) || !Number.isInteger(recipe.train.seed))
    throw new Error(`${path} must hold exactly "model", "train" (with its "seed") and "epochs" (an integer), as ae train --config reads`);
  const extra = model.train?.[dataset];
  if (!extra) return { path, ...recipe };
  // Per-dataset settings on top: the recipe `ae train --config` reads is written to the work dir.
  const merged = { ...recipe, train: { ...recipe.train, ...extra } };
  mkdirSync(WORK_DIR, { recursive: true });
  const mergedPath = join(WORK_DIR, `${dataset}-${model.name}-recipe.json`);
  writeFileSync(mergedPath, `${JSON.stringify(merged, null, 2)}\n`);
  return { path: mergedPath, ...merged };
}

/** sha256 of each split of each dataset, from the datasets' own manifest (datasets/prepare.mjs). */
function datasetHashes() {
  const path = join(DATA_DIR, 'manifest.json');
  if (!existsSync(path)) throw new Error(`${path} is missing: run \`npm run setup\` (or node datasets/prepare.mjs) first`);
  const out = {};
  for (const f of JSON.parse(readFileSync(path, 'utf8')).files) (out[f.name] ??= {})[f.split] = f.sha256;
  return out;
}

function readManifest() {
  if (!existsSync(MANIFEST)) return [];
  return JSON.parse(readFileSync(MANIFEST, 'utf8')).models ?? [];
}

function writeManifest(entries) {
  const order = DATASETS.flatMap((d) => MODELS.map((m) => `${d}-${m.name}`));
  const sorted = [...entries].sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id));
  const manifest = {
    format: 'AEMF',
    note:
      'Generated by scripts/pretrain.mjs (npm run pretrain); do not edit. Losses are per image, summed ' +
      'over pixels, on the test split (a denoising model sees its training noise, a VAE samples z from ' +
      'the seed as ae eval does); test1000 is the first 1,000 test images. f32 describes the same ' +
      'weights before f16 rounding: its file size without optimizer state, its test loss, and how far ' +
      'its reconstructions of the first 1,000 test images are from the f16 file\'s, in grey levels of 255.',
    models: sorted,
  };
  writeFileSync(MANIFEST, `${JSON.stringify(manifest, null, 2)}\n`);
}

// Every key the recipe sets has that value in the engine's full config (which adds defaults).
function sets(recipe, full) {
  if (recipe === null || typeof recipe !== 'object') return recipe === full;
  if (Array.isArray(recipe)) return Array.isArray(full) && recipe.length === full.length && recipe.every((v, i) => sets(v, full[i]));
  return full !== null && typeof full === 'object' && Object.keys(recipe).every((k) => sets(recipe[k], full[k]));
}

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

/** Why the model must be (re)trained, or null when its file and entry are up to date. */
function staleness(entry, recipe, version, data, path) {
  if (!entry) return 'not in the manifest';
  if (!existsSync(path)) return 'file missing';
  if (sha256(readFileSync(path)) !== entry.sha256) return 'file differs from the manifest (sha256)';
  if (entry.engine !== version.engine || entry.aemf !== version.aemf)
    return `engine ${entry.engine}/AEMF ${entry.aemf} → ${version.engine}/AEMF ${version.aemf}`;
  if (entry.epochs !== recipe.epochs) return `epochs ${entry.epochs} → ${recipe.epochs}`;
  if (!sets(recipe.model, entry.config?.model) || !sets(recipe.train, entry.config?.train)) return 'config changed';
  if (!same(entry.data, data)) return 'dataset files changed';
  return null;
}

// ---- one model ----------------------------------------------------------------------------

async function train(bin, module, testBytes, text, recipe, name, dataset, version, data) {
  mkdirSync(WORK_DIR, { recursive: true });
  const full = join(WORK_DIR, `${text.id}-adam.aemf`); // f32 with Adam state: resumable
  const f32 = join(WORK_DIR, `${text.id}-f32.aemf`); // f32, no optimizer state: the f16 file's reference
  const historyPath = join(WORK_DIR, `${text.id}-history.json`);
  const out = join(MODELS_DIR, text.file);

  const t0 = process.hrtime.bigint();
  await ae(bin, ['train', '--config', recipe.path, '--dataset', dataset, '--data-dir', DATA_DIR, '--eval-every-epoch', '--save', full], text.id);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;

  // ae train's history minus the wall-clock seconds: the only part of a file that is not a
  // function of the recipe, the data and the engine.
  const history = aemfHeader(readFileSync(full)).history;
  for (const e of history.epochs) delete e.seconds;
  writeFileSync(historyPath, `${JSON.stringify(history)}\n`);
  await ae(bin, ['export', full, '--aemf', out, '--quantize', 'f16', '--history', historyPath]);
  await ae(bin, ['export', full, '--aemf', f32, '--history', historyPath]);

  const bytes = readFileSync(out);
  const header = aemfHeader(bytes);
  const test = await evaluate(bin, out, dataset);
  const test1000 = await evaluate(bin, out, dataset, CHECK_IMAGES);
  const f32Test = await evaluate(bin, f32, dataset);

  // What f16 costs: the f16 and f32 weights' reconstructions of the same test images.
  const a = engineWith(module, readFileSync(f32), testBytes);
  const b = engineWith(module, bytes, testBytes);
  const diff = greyLevelDiff(reconstructTest(a, CHECK_IMAGES), reconstructTest(b, CHECK_IMAGES));
  a.delete();
  b.delete();

  const entry = {
    id: text.id,
    file: text.file,
    dataset,
    name,
    ...(text.lab ? { lab: text.lab } : {}),
    variant: header.model.variant,
    title: text.title,
    description: text.description,
    config: { model: header.model, train: header.train },
    epochs: header.state.epoch,
    seed: header.train.seed,
    weights: header.weights,
    engine: version.engine,
    aemf: version.aemf,
    build: version.line,
    data,
    bytes: bytes.length,
    sha256: sha256(bytes),
    test,
    test1000,
    f32: {
      bytes: readFileSync(f32).length,
      test: f32Test,
      reconstructionDiff: { images: CHECK_IMAGES, mean: Number(diff.mean.toPrecision(4)), max: Number(diff.max.toPrecision(4)) },
    },
  };
  return { entry, seconds };
}

/** Loads the shipped file in the WASM engine and checks its sha256, config and test loss against the entry. */
function check(module, testBytes, entry) {
  const bytes = readFileSync(join(MODELS_DIR, entry.file));
  if (sha256(bytes) !== entry.sha256) throw new Error(`${entry.file}: sha256 differs from the manifest`);
  const e = engineWith(module, bytes, testBytes);
  try {
    if (!same(JSON.parse(e.modelConfig()), entry.config.model)) throw new Error(`${entry.file}: the WASM engine reads another model config than the manifest's`);
    const t = e.evaluate('test', 0, CHECK_IMAGES);
    const rel = Math.abs(t.total - entry.test1000.loss) / Math.abs(entry.test1000.loss);
    if (!(rel <= WASM_TOLERANCE))
      throw new Error(`${entry.file}: the WASM engine's test loss on ${CHECK_IMAGES} images is ${t.total}, ae eval's ${entry.test1000.loss} (relative difference ${rel.toExponential(2)} > ${WASM_TOLERANCE})`);
    return { wasmLoss: t.total, rel };
  } finally {
    e.delete();
  }
}

// ---- main ---------------------------------------------------------------------------------

function selected(only, name, dataset) {
  return !only || only.includes(name) || only.includes(dataset) || only.includes(`${dataset}-${name}`);
}

function table(rows) {
  const head = ['model', 'variant', 'epochs', 'file kB', 'f32 kB', 'test loss f16', 'f32', 'Δ %', 'px diff mean/max', 'WASM rel', 'train s', ''];
  const body = rows.map(({ entry: e, seconds, status, rel }) => [
    e.id,
    e.variant,
    String(e.epochs),
    (e.bytes / 1000).toFixed(0),
    (e.f32.bytes / 1000).toFixed(0),
    e.test.loss.toFixed(3),
    e.f32.test.loss.toFixed(3),
    ((100 * (e.test.loss - e.f32.test.loss)) / e.f32.test.loss).toFixed(4),
    `${e.f32.reconstructionDiff.mean.toFixed(3)}/${e.f32.reconstructionDiff.max.toFixed(2)}`,
    rel.toExponential(1),
    seconds === null ? '-' : seconds.toFixed(0),
    status,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  const fmt = (r) => r.map((c, i) => (i < 2 || i === r.length - 1 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  const total = rows.reduce((s, r) => s + r.entry.bytes, 0);
  return [fmt(head), fmt(widths.map((w) => '-'.repeat(w))), ...body.map(fmt), `total ${(total / 1e6).toFixed(2)} MB in ${rows.length} files`].join('\n');
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (opts.only) {
    const known = [...MODELS.map((m) => m.name), ...DATASETS, ...DATASETS.flatMap((d) => MODELS.map((m) => `${d}-${m.name}`))];
    const bad = opts.only.filter((o) => !known.includes(o));
    if (bad.length) usageError(`--only: unknown model '${bad[0]}' (expected names, datasets or ids such as ${known.slice(0, 6).join(', ')})`);
  }
  try {
    setPriority(Math.max(getPriority(), 5)); // children (ae) inherit it
  } catch {
    // not allowed: keep the priority we have
  }

  log(opts.ae ? `using ${opts.ae}` : 'building ae (portable x86-64) in build/pretrain');
  const bin = opts.ae ?? buildAe();
  if (!existsSync(bin)) throw new Error(`${bin} does not exist`);
  const line = (await ae(bin, ['--version']))[0] ?? '';
  const v = fields(line);
  const version = { engine: String(v.engine), aemf: v.aemf, line };
  log(line);
  const hashes = datasetHashes();
  const module = await loadEngineModule(opts.wasm);
  if (opts.preview) mkdirSync(opts.preview, { recursive: true });
  mkdirSync(MODELS_DIR, { recursive: true });

  const entries = readManifest();
  const rows = [];
  for (const dataset of DATASETS) {
    let testBytes = null;
    for (const model of MODELS) {
      if (!selected(opts.only, model.name, dataset)) continue;
      testBytes ??= readDataset(DATA_DIR, dataset, 'test');
      const text = entryText(model, dataset);
      const recipe = readRecipe(model, dataset);
      const data = { train: hashes[dataset]?.train, test: hashes[dataset]?.test };
      const old = entries.find((e) => e.id === text.id);
      const why = opts.force ? 'forced' : staleness(old, recipe, version, data, join(MODELS_DIR, text.file));
      let entry = old;
      let seconds = null;
      if (why) {
        log(`${text.id}: training (${why}): ${recipe.epochs} epochs of ${model.name} on ${dataset}`);
        ({ entry, seconds } = await train(bin, module, testBytes, text, recipe, model.name, dataset, version, data));
        if (old) entries[entries.indexOf(old)] = entry;
        else entries.push(entry);
        writeManifest(entries);
        log(`${text.id}: ${entry.bytes} bytes, test loss ${entry.test.loss} (f32 ${entry.f32.test.loss}), ${seconds.toFixed(0)} s`);
      } else {
        // The text for the page may change without retraining.
        Object.assign(entry, { title: text.title, description: text.description });
        writeManifest(entries);
      }
      const { rel } = check(module, testBytes, entry);
      if (opts.preview) {
        const e = engineWith(module, readFileSync(join(MODELS_DIR, entry.file)), testBytes);
        for (const p of writePreview(e, entry.id, opts.preview)) log(`wrote ${p}`);
        e.delete();
      }
      rows.push({ entry, seconds, rel, status: why ? `trained (${why})` : 'up to date' });
    }
  }

  const stray = readdirSync(MODELS_DIR).filter((f) => f.endsWith('.aemf') && !entries.some((e) => e.file === f));
  if (stray.length) log(`note: ${stray.join(', ')} in web/public/models are not in the manifest`);
  console.log(`\n${table(rows)}`);
}

main().catch((err) => {
  console.error(`pretrain: ${err.message}`);
  process.exit(1);
});
