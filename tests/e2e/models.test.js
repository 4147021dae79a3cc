// Models in the page, as a user meets them: the pretrained model the page opens with (drawing
// works before any training), choosing another one, downloading the model (.aemf, checked with
// the native `ae` program) and its weights (.npz), loading a file the native program saved (by
// picking it and by dropping it), every refused file with its own message, saved models, the
// autosave and resuming after a reload, and a diverging run that rolls back.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ONE, canvasPixels, drawStroke, expectBanner, launch, mean, meanAbsDiff, nextFrames, openPlayground, pauseTraining, screenshot, startTraining, steps, waitForReconstruction, waitForSteps } from './browser.js';

const ROOT = new URL('../..', import.meta.url).pathname;
// The native program `npm run setup` builds; AE_BIN points at another build of it.
const AE = process.env.AE_BIN ?? join(ROOT, 'build/native/engine/ae');
// The models the served page ships (AE_DIST serves another build: its models/).
const MODELS = process.env.AE_DIST ? join(process.env.AE_DIST, 'models') : join(ROOT, 'web/public/models');
const manifest = JSON.parse(readFileSync(join(MODELS, 'manifest.json'), 'utf8'));
const shipped = (id) => manifest.models.find((m) => m.id === id);
/** The test loss a shipped file's history ends with (what the page shows for it). */
function lastTestLoss(id) {
  const b = readFileSync(join(MODELS, shipped(id).file));
  return JSON.parse(b.toString('utf8', 28, 28 + b.readUInt32LE(8))).history.epochs.at(-1).test.total;
}
const shownLoss = (x) => (x >= 100 ? x.toFixed(1) : x.toFixed(2)); // lib/format.js formatLoss

let browser;
let dir;
beforeAll(async () => {
  browser = await launch();
  dir = mkdtempSync(join(tmpdir(), 'ae-models-e2e-'));
});
afterAll(async () => {
  await browser?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Runs the native `ae`; returns { code, out, err }. */
function ae(...args) {
  const r = spawnSync(AE, args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.error) throw new Error(`cannot run ${AE}: ${r.error.message} (run \`npm run setup\`, or set AE_BIN)`);
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** The native program's reconstruction of test image `index`, as the page draws it (grey levels). */
function nativeReconstruction(file, index) {
  const r = ae('reconstruct', file, '--index', String(index));
  expect(r.code, r.err).toBe(0);
  const values = r.out.trim().split(' pixels=')[1].split(',').map(Number);
  expect(values).toHaveLength(784);
  return values.map((v) => Math.max(0, Math.min(255, Math.round(v * 255))));
}

/** The page's reconstruction of test image `index` (Draw panel: "Test image #"). */
async function pageReconstruction(page, index) {
  const seq = Number((await page.getAttribute('#draw-recon', 'data-seq')) ?? 0);
  await page.fill('#test-index', String(index));
  await page.click('#test-show');
  await page.waitForFunction((n) => Number($ae('#draw-recon').dataset.seq ?? 0) > n, seq);
  return canvasPixels(page, '#draw-recon');
}

const maxAbsDiff = (a, b) => Math.max(...a.map((v, i) => Math.abs(v - b[i])));

function pearson(a, b) {
  const ma = mean(a), mb = mean(b);
  let ab = 0, aa = 0, bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += (a[i] - ma) * (b[i] - mb);
    aa += (a[i] - ma) ** 2;
    bb += (b[i] - mb) ** 2;
  }
  return ab / Math.sqrt(aa * bb);
}

// AEMF checksums are zlib's CRC-32 (node:zlib crc32).
/** A copy of an AEMF file with its JSON header text edited (same length) and every checksum redone. */
function editHeader(buf, from, to) {
  expect(to.length).toBe(from.length);
  const b = Buffer.from(buf);
  const h = b.readUInt32LE(8);
  const json = b.toString('latin1', 28, 28 + h);
  expect(json.split(from)).toHaveLength(2);
  b.write(json.replace(from, to), 28, 'latin1');
  b.writeUInt32LE(crc32(b.subarray(28, 28 + h)), 12);
  b.writeUInt32LE(crc32(b.subarray(0, 24)), 24);
  b.writeUInt32LE(crc32(b.subarray(0, b.length - 4)), b.length - 4);
  return b;
}

/** Drops a file (from Node bytes) on an element, as a person dragging it from their desktop would. */
async function dropFile(page, selector, bytes, name) {
  const dt = await page.evaluateHandle(
    ({ b64, name: n }) => {
      const raw = atob(b64);
      const u8 = new Uint8Array(raw.length);
      for (let i = 0; i < raw.length; i++) u8[i] = raw.charCodeAt(i);
      const d = new DataTransfer();
      d.items.add(new File([u8], n, { type: 'application/octet-stream' }));
      return d;
    },
    { b64: Buffer.from(bytes).toString('base64'), name },
  );
  await page.dispatchEvent(selector, 'dragenter', { dataTransfer: dt });
  await page.dispatchEvent(selector, 'dragover', { dataTransfer: dt });
  await page.dispatchEvent(selector, 'drop', { dataTransfer: dt });
}

/** Waits for the page's drawn "1" to be reconstructed and returns input and output. */
async function drawOne(page) {
  await drawStroke(page, ONE);
  await waitForReconstruction(page); // the reconstruction of the last pen position
  return { input: await canvasPixels(page, '#model-input'), output: await canvasPixels(page, '#draw-recon') };
}

/** Share of the ink of a 28×28 image in its columns [from, to). */
function inkIn(pixels, from, to) {
  let inside = 0;
  pixels.forEach((v, i) => i % 28 >= from && i % 28 < to && (inside += v));
  return inside / pixels.reduce((a, v) => a + v, 0);
}

describe('the pretrained model the page opens with', () => {
  it('is loaded at once: a drawn "1" comes back as a "1" without any training; only its file is fetched', async () => {
    const fetched = [];
    const { page, errors } = await openPlayground(browser, {
      before: (p) => p.on('request', (r) => /\/(models|data)\//.test(r.url()) && fetched.push(new URL(r.url()).pathname.replace(/^.*\/(models|data)\//, '$1/'))),
    });
    const seed = shipped('mnist-seed');
    expect(await page.inputValue('#model-picker')).toBe('mnist-seed');
    expect(await page.$$eval('#model-picker option', (os) => os.map((o) => o.textContent))).toEqual([
      ...manifest.models.filter((m) => m.dataset === 'mnist' && !m.lab).map((m) => `Pretrained: ${m.title}`), // (not the anomaly lab's detectors)
      'Start from scratch (fresh weights)',
    ]);
    expect(await page.textContent('#model-note')).toContain('fresh optimizer state');
    expect(await page.textContent('#model-summary')).toMatch(/^Autoencoder 784 → 400 → 20 → 400 → 784/);
    expect(await page.textContent('#stat-test')).toBe(shownLoss(lastTestLoss('mnist-seed')));
    expect(await page.textContent('#train-btn')).toMatch(/^Fine-tune/);

    const { input, output } = await drawOne(page);
    // The reconstruction is the stroke: close to the input, its ink in the middle columns.
    expect(meanAbsDiff(output, input)).toBeLessThan(25);
    expect(pearson(output, input)).toBeGreaterThan(0.8);
    expect(inkIn(output, 10, 18)).toBeGreaterThan(0.8);
    expect(mean(output)).toBeGreaterThan(10);
    await screenshot(page, 'models-pretrained-one');

    // Nothing trained and nothing else downloaded: the manifest, this model, the test set.
    expect(await page.getAttribute('#train-btn', 'aria-pressed')).toBe('false');
    expect(fetched.filter((f) => f.startsWith('models/'))).toEqual(['models/manifest.json', `models/${seed.file}`]);
    expect(fetched.some((f) => f.includes('-train.'))).toBe(false);
    expect(errors).toEqual([]);
    await page.context().close();

    // The same stroke with fresh weights is a grey blur, nothing like it.
    const fresh = await openPlayground(browser, { hash: '#weights=scratch' });
    expect(await fresh.page.inputValue('#model-picker')).toBe('scratch');
    const blur = await drawOne(fresh.page);
    expect(meanAbsDiff(blur.output, blur.input)).toBeGreaterThan(60);
    await fresh.page.context().close();
  });

  it('another pretrained model loads when chosen (fetched only then); fine-tuning continues from its weights', async () => {
    const fetched = [];
    const { page, errors } = await openPlayground(browser, { before: (p) => p.on('request', (r) => r.url().includes('/models/') && fetched.push(r.url().split('/models/')[1])) });
    const vae = shipped('mnist-vae2d');
    expect(fetched).not.toContain(vae.file);
    await page.selectOption('#model-picker', vae.id);
    await page.waitForFunction(() => $ae('#model-summary').textContent.startsWith('VAE 784 → 256 → 128 → 2 → 128 → 256 → 784'));
    expect(fetched).toContain(vae.file);
    expect(await page.inputValue('#set-variant')).toBe('vae');
    expect(await page.inputValue('#set-latent')).toBe('2');
    expect(await page.inputValue('#set-widths')).toBe('256, 128');
    expect(new URL(page.url()).hash).toBe('#variant=vae&widths=256,128');
    expect(await page.textContent('#stat-test')).toBe(shownLoss(lastTestLoss('mnist-vae2d')));
    expect(await page.isVisible('#confirm-dialog')).toBe(false); // nothing trained here: nothing to lose

    // Back to the seed model, and fine-tune it: the loss starts where the pretrained model is.
    const seed = shipped('mnist-seed');
    await page.selectOption('#model-picker', seed.id);
    await page.waitForFunction(() => $ae('#model-summary').textContent.startsWith('Autoencoder 784 → 400 → 20'));
    const fileSteps = await steps(page);
    expect(fileSteps).toBeGreaterThan(0);
    await startTraining(page);
    await waitForSteps(page, fileSteps + 15);
    await pauseTraining(page);
    expect(Number((await page.textContent('#stat-train')).replace(/,/g, ''))).toBeLessThan(seed.test.loss * 1.3); // fresh weights start above 500
    const tuned = await steps(page);

    // A change of architecture now asks first, and says what would be lost.
    await page.fill('#set-latent', '8');
    await page.press('#set-latent', 'Enter');
    await page.waitForSelector('#confirm-dialog[open]');
    expect(await page.textContent('#confirm-message')).toMatch(/^Changing the latent size needs a new model with fresh weights\. The current model, fine-tuned here for [\d,]+ steps, will be thrown away\.$/);
    await page.click('#confirm-dialog [data-cancel]');
    expect(await steps(page)).toBe(tuned);

    // "Start from scratch": asked too; then fresh weights, and the link says so.
    await page.selectOption('#model-picker', 'scratch');
    await page.waitForSelector('#confirm-dialog[open]');
    await page.click('#confirm-dialog [data-ok]');
    await page.waitForFunction(() => $ae('#stat-steps').textContent === '0');
    expect(await page.inputValue('#model-picker')).toBe('scratch');
    expect(new URL(page.url()).hash).toBe('#weights=scratch'); // fine-tuning left "Train for" (and the link) alone
    expect(await page.inputValue('#set-epochs')).toBe('10');
    expect(errors).toEqual([]);
    await page.context().close();
  });
});

describe('model files', () => {
  it('downloads the model (.aemf) and its weights (.npz); the native program and NumPy load them and reconstruct the same', async () => {
    const { page, errors } = await openPlayground(browser, { acceptDownloads: true });
    // Trained a little in the page, so the file holds this page's training.
    for (let i = 1; i <= 2; i++) {
      const before = await steps(page);
      await page.click('#step-btn');
      await page.waitForFunction((n) => Number($ae('#stat-steps').textContent.replace(/\D/g, '')) > n, before);
    }
    const pageSteps = await steps(page);
    const [aemf] = await Promise.all([page.waitForEvent('download'), page.click('#download-model')]);
    expect(aemf.suggestedFilename()).toBe(`autoencoder-mnist-dense-step${pageSteps}.aemf`);
    const file = join(dir, 'page.aemf');
    await aemf.saveAs(file);
    const info = ae('info', file);
    expect(info.code, info.err).toBe(0);
    expect(info.out).toContain(`state:           step ${pageSteps}, epoch`);
    expect(info.out).toMatch(/optimizer:\s+adam, state included \(\d+ values, \d+ steps\)/);

    const recon = await pageReconstruction(page, 3);
    const native = nativeReconstruction(file, 3);
    expect(maxAbsDiff(recon, native)).toBeLessThanOrEqual(1); // float rounding at most (WASM vs native)
    expect(mean(native)).toBeGreaterThan(10);
    const evalLine = ae('eval', file, '--limit', '200');
    expect(evalLine.code, evalLine.err).toBe(0);
    expect(evalLine.out).toMatch(/^eval model=dense dataset=mnist split=test images=200 loss=\d+/);

    const [npz] = await Promise.all([page.waitForEvent('download'), page.click('#download-npz')]);
    expect(npz.suggestedFilename()).toBe(`autoencoder-mnist-dense-step${pageSteps}.npz`);
    const zip = readFileSync(await npz.path());
    expect(zip.subarray(0, 4).toString('latin1')).toBe('PK\x03\x04');
    for (const name of ['encoder.0.weight.npy', 'encoder.0.bias.npy', 'decoder.0.weight.npy']) expect(zip.includes(Buffer.from(name))).toBe(true);
    // numpy.load reads it, and a NumPy-only forward pass (tests/reference/npz_forward.py) on
    // the documented array names gives the page's reconstruction.
    const npzFile = join(dir, 'page.npz');
    writeFileSync(npzFile, zip);
    const py = spawnSync('/usr/bin/python3', [join(ROOT, 'tests/reference/npz_forward.py'), npzFile, join(ROOT, 'web/public/data/mnist-test.aeds.gz'), '3'], { encoding: 'utf8' });
    expect(py.status, py.stderr).toBe(0);
    const numpyRecon = py.stdout.trim().split(',').map((v) => Math.max(0, Math.min(255, Math.round(Number(v) * 255))));
    expect(numpyRecon).toHaveLength(784);
    expect(maxAbsDiff(recon, numpyRecon)).toBeLessThanOrEqual(1); // float32 in the page, float64 in NumPy
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('loads a model the native program saved, picked or dropped, with the same reconstructions', async () => {
    const small = join(dir, 'native.aemf');
    let r = ae('train', '--encoder', '64', '--latent', '8', '--epochs', '1', '--limit', '3000', '--dataset', 'mnist', '--save', small);
    expect(r.code, r.err).toBe(0);
    const tiny = join(dir, 'tiny.aemf');
    r = ae('train', '--encoder', '32', '--latent', '4', '--epochs', '1', '--limit', '2000', '--dataset', 'mnist', '--save', tiny);
    expect(r.code, r.err).toBe(0);

    const { page, errors } = await openPlayground(browser);
    await page.setInputFiles('#model-file', small);
    await page.waitForFunction(() => $ae('#model-status').textContent === 'Loaded “native.aemf”.');
    expect(await page.textContent('#model-summary')).toMatch(/^Autoencoder 784 → 64 → 8 → 64 → 784/);
    expect(await page.inputValue('#model-picker')).toBe('loaded');
    expect(await page.$eval('#model-picker', (s) => s.selectedOptions[0].textContent)).toBe('Loaded: native.aemf');
    expect(await page.textContent('#model-note')).toContain('With its optimizer state: training continues exactly where it stopped.');
    expect(await page.inputValue('#set-widths')).toBe('64');
    expect(await page.inputValue('#set-latent')).toBe('8');
    expect(await page.$$eval('#loss-table-body tr', (rows) => rows.length)).toBe(1); // ae train's epoch
    const recon = await pageReconstruction(page, 3);
    expect(maxAbsDiff(recon, nativeReconstruction(small, 3))).toBeLessThanOrEqual(1);

    // Dropped on the drop target, and anywhere on the page (not the drawing pad, which takes images).
    await dropFile(page, '#model-drop', readFileSync(tiny), 'tiny.aemf');
    await page.waitForFunction(() => $ae('#model-status').textContent === 'Loaded “tiny.aemf”.');
    expect(await page.textContent('#model-summary')).toMatch(/^Autoencoder 784 → 32 → 4 → 32 → 784/);
    expect(maxAbsDiff(await pageReconstruction(page, 3), nativeReconstruction(tiny, 3))).toBeLessThanOrEqual(1);
    await dropFile(page, '#learn-panel', readFileSync(small), 'native.aemf');
    await page.waitForFunction(() => $ae('#model-status').textContent === 'Loaded “native.aemf”.');
    expect(await page.textContent('#model-summary')).toMatch(/^Autoencoder 784 → 64 → 8/);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('refuses every bad file with its own message, shown in the page, and the model keeps working', async () => {
    const good = join(dir, 'good.aemf');
    const r = ae('train', '--encoder', '64', '--latent', '8', '--epochs', '1', '--limit', '1000', '--dataset', 'mnist', '--save', good);
    expect(r.code, r.err).toBe(0);
    const bytes = readFileSync(good);
    const npz = join(dir, 'weights.npz');
    expect(ae('export', good, '--npz', npz).code).toBe(0);
    const newer = Buffer.from(bytes);
    newer.writeUInt32LE(2, 4);
    const corrupted = Buffer.from(bytes);
    corrupted[corrupted.length - 1000] ^= 0x40;
    const cases = [
      ['weights.npz', readFileSync(npz), /model file: not an AEMF model file: this is a ZIP archive \(an exported \.npz\?\)/],
      ['cut.aemf', bytes.subarray(0, bytes.length - 5000), /model file: truncated: the file has \d+ bytes but its header says \d+/],
      ['damaged.aemf', corrupted, /model file: corrupted: checksum mismatch in tensor '/],
      ['future.aemf', newer, /model file: newer format version: the file is version 2 but this build reads version 1 and older/],
      ['mismatch.aemf', editHeader(bytes, '"encoder":[64]', '"encoder":[65]'), /model file: tensors don't match the dense model in its config: wrong shape: 'encoder\.0\.weight'/],
    ];

    const { page } = await openPlayground(browser);
    expectBanner(page, ...cases.map(([name]) => new RegExp(`^“${name.replace('.', '\\.')}” was not loaded: `)));
    const before = await pageReconstruction(page, 3);
    const summary = await page.textContent('#model-summary');
    for (const [name, data, message] of cases) {
      const path = join(dir, name);
      writeFileSync(path, data);
      if (await page.isVisible('#error-banner')) await page.click('#error-close');
      await page.setInputFiles('#model-file', path);
      await page.waitForSelector('#error-banner:not([hidden])');
      const shown = await page.textContent('#error-text');
      expect(shown).toContain(`“${name}” was not loaded: `);
      expect(shown).toMatch(message);
      expect(await page.textContent('#model-status')).toBe(shown);
      // Still the same model, still reconstructing.
      expect(await page.textContent('#model-summary')).toBe(summary);
      expect(await page.inputValue('#model-picker')).toBe('mnist-seed');
      expect(await pageReconstruction(page, 3)).toEqual(before);
    }
    await screenshot(page, 'models-refused');
    await page.context().close();
  });
});

describe('saved models and the autosave', () => {
  it('saves, renames, downloads, loads and deletes models in this browser', async () => {
    const { page, errors } = await openPlayground(browser, { acceptDownloads: true });
    const fileSteps = await steps(page);
    await page.click('#saved-box summary');
    expect(await page.textContent('#saved-empty')).toContain('Nothing saved yet');
    await page.click('#save-now');
    await page.waitForSelector('#saved-list li');
    const row = async () =>
      page.$$eval('#saved-list li', (items) => items.map((li) => ({ name: li.querySelector('.saved-name').textContent, ...Object.fromEntries([...li.querySelectorAll('.saved-meta span')].map((x) => [x.dataset.key, x.textContent])) })));
    const rows = await row();
    expect(rows).toHaveLength(1);
    expect(rows[0].name).toBe(`Basic autoencoder · MNIST digits · step ${fileSteps.toLocaleString('en-US')}`);
    expect(rows[0].model).toBe('Autoencoder · MNIST');
    expect(rows[0].trained).toMatch(new RegExp(`^epoch \\d+ · step ${fileSteps.toLocaleString('en-US')}$`));
    expect(rows[0].date).toMatch(/^saved \d/);
    expect(rows[0].size).toMatch(/^\d+(\.\d)? MB$/);

    await page.click('#saved-list button[data-action="rename"]');
    await page.fill('#saved-list input', 'my seed model');
    await page.press('#saved-list input', 'Enter');
    await page.waitForFunction(() => $ae('#saved-list .saved-name').textContent === 'my seed model');
    const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#saved-list button[data-action="download"]')]);
    expect(dl.suggestedFilename()).toBe('my-seed-model.aemf');
    expect(readFileSync(await dl.path()).subarray(0, 4).toString('latin1')).toBe('AEMF');

    // Another model, then the saved one back.
    await page.selectOption('#model-picker', 'mnist-conv');
    await page.waitForFunction(() => $ae('#model-summary').textContent.startsWith('Convolutional autoencoder'));
    await page.click('#saved-list button[data-action="load"]');
    await page.waitForFunction(() => $ae('#model-status').textContent === 'Loaded “my seed model”.');
    expect(await page.textContent('#model-summary')).toMatch(/^Autoencoder 784 → 400 → 20/);
    expect(await page.$eval('#model-picker', (s) => s.selectedOptions[0].textContent)).toBe('Loaded: my seed model');
    expect(await steps(page)).toBe(fileSteps);

    // It survives a reload; then it is deleted, after a question.
    await page.reload();
    await page.waitForSelector('ae-playground[data-ready="1"]');
    await page.click('#saved-box summary');
    await page.waitForSelector('#saved-list li');
    expect((await row())[0].name).toBe('my seed model');
    await page.click('#saved-list button[data-action="delete"]');
    await page.waitForSelector('#confirm-dialog[open]');
    expect(await page.textContent('#confirm-message')).toBe('“my seed model” will be deleted from this browser.');
    await page.click('#confirm-dialog [data-ok]');
    await page.waitForFunction(() => !$ae('#saved-list li'));
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('autosaves on pause; after a reload it offers to resume, and resumes at the same step with the same chart', async () => {
    const { page, errors } = await openPlayground(browser, { hash: '#widths=64&latent=8' });
    await startTraining(page);
    await waitForSteps(page, 80);
    await pauseTraining(page);
    const at = await steps(page);
    // The autosave made when it paused (there may have been one before, at an earlier step).
    await page.waitForFunction((s) => $ae('#autosave-status').textContent.endsWith(`step ${s}).`), at.toLocaleString('en-US'));
    await page.waitForSelector('#loss-chart:not([data-pending])'); // the chart's last redraw
    const was = {
      epoch: await page.textContent('#epoch-label'),
      train: await page.textContent('#stat-train'),
      chart: await canvasPixels(page, '#loss-chart'),
      hash: new URL(page.url()).hash,
    };

    await page.reload();
    await page.waitForSelector('ae-playground[data-ready="1"]');
    await page.waitForSelector('ae-playground[data-resume-offer="1"]');
    expect(await page.textContent('#resume-btn')).toBe(`Resume where you left off (epoch 1, step ${at.toLocaleString('en-US')})`);
    await screenshot(page, 'models-resume-offer');
    await page.click('#resume-btn');
    await page.waitForFunction(() => $ae('#model-status').textContent === 'Resumed where you left off.');
    expect(await page.isHidden('#resume-offer')).toBe(true);
    expect(await steps(page)).toBe(at);
    expect(await page.textContent('#epoch-label')).toBe(was.epoch);
    expect(await page.textContent('#stat-train')).toBe(was.train);
    expect(await page.textContent('#model-summary')).toMatch(/^Autoencoder 784 → 64 → 8 → 64 → 784/);
    expect(new URL(page.url()).hash).toBe(was.hash);
    await page.waitForSelector('#loss-chart:not([data-pending])');
    expect(await canvasPixels(page, '#loss-chart')).toEqual(was.chart);

    // Training continues from there, not from the start.
    await startTraining(page);
    await waitForSteps(page, at + 20);
    await pauseTraining(page);
    await page.waitForFunction((s) => $ae('#autosave-status').textContent.endsWith(`step ${s}).`), (await steps(page)).toLocaleString('en-US'));

    // "Start fresh" keeps that run under Saved models, and the offer does not come back.
    await page.reload();
    await page.waitForSelector('ae-playground[data-resume-offer="1"]');
    await page.click('#fresh-btn');
    await page.click('#saved-box summary');
    await page.waitForFunction(() => /^Previous session \(/.test($ae('#saved-list .saved-name')?.textContent ?? ''));
    await page.reload();
    await page.waitForSelector('ae-playground[data-resume-offer="0"]'); // looked, and nothing to offer
    expect(await page.isHidden('#resume-offer')).toBe(true);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});

describe('a diverging run', () => {
  it('pauses with an explanation and goes back to the last good state; nothing diverged is saved', async () => {
    const { page } = await openPlayground(browser, { hash: '#optimizer=sgd&lr=1' });
    expectBanner(page, /^Training diverged: /);
    const fileSteps = await steps(page);
    await page.click('#train-btn');
    await page.waitForSelector('ae-playground[data-diverged]', { timeout: 60_000 });
    const text = await page.textContent('#error-text');
    expect(text).toMatch(/^Training diverged: the loss became (NaN \(not a number\)|infinite) at step [\d,]+, so training paused\./);
    expect(text).toContain(`The model went back to its last good state, step ${fileSteps.toLocaleString('en-US')}, and nothing diverged was saved.`);
    expect(text).toContain('lower the learning rate (now 1), or use Adam, or clip the gradient norm');
    await page.waitForSelector('#train-btn[aria-pressed="false"]:not([disabled])');
    expect(await steps(page)).toBe(fileSteps);
    expect(await page.textContent('#live-status')).toContain('Training diverged and paused.');
    // The model is the good one: a "1" still comes back as a "1".
    const { input, output } = await drawOne(page);
    expect(meanAbsDiff(output, input)).toBeLessThan(25);
    await screenshot(page, 'models-diverged');

    // Nothing to resume after a reload: the diverged state was never autosaved.
    await page.reload();
    await page.waitForSelector('ae-playground[data-resume-offer="0"]'); // looked, and nothing to offer
    expect(await page.isHidden('#resume-offer')).toBe(true);
    await page.context().close();
  });
});
