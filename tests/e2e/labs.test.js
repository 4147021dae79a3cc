// Panel 6, What it's for: the applications lab used as a person would, on the real WASM engine.
// Anomaly detection on the shipped detector (trained without one class): the held-out class
// stands out (AUC), the threshold is dragged and precision/recall follow, the best-F1 button,
// the most and least anomalous images, a drawing scored against the threshold (also one drawn
// while the lab was out of view), another class chosen as the new one. Compression: bytes, PSNR over the test set, the rate–distortion chart
// with PCA and JPEG, test images decoded from their 8-bit codes, the drawing compressed. Both
// datasets; Chinese. The main thread's long tasks (over 50 ms) while a lab computes are printed,
// not asserted: on the shared two-core machine the same build measured none in one run and
// 110–180 ms in the next (the issue puts the 50 ms bar in npm run bench, on an idle machine).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ONE, drawStroke, launch, nextFrames, openPlayground, screenshot, startTraining } from './browser.js';

// A lab's first computation fits PCA on the 60,000 training images in WASM: about a minute on a
// busy two-core machine.
const LAB_TIMEOUT = 400_000;

let browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

/** Records the page's long tasks (over 50 ms) from the start. */
const watchLongTasks = (page) =>
  page.addInitScript(() => {
    window.__longtasks = [];
    new PerformanceObserver((list) => window.__longtasks.push(...list.getEntries().map((e) => ({ start: e.startTime, duration: e.duration })))).observe({ type: 'longtask', buffered: true });
  });
/** The long tasks that started in [t0, t1] (ms since the page's start): [{ start, duration }]. */
const longTasks = (page, t0, t1 = Infinity) => page.evaluate(([a, b]) => window.__longtasks.filter((e) => e.start >= a && e.start <= b), [t0, t1]);
const now = (page) => page.evaluate(() => performance.now());
const text = (page, sel) => page.evaluate((s) => $ae(s).textContent, sel);
/** The number after `label` in a text: "precision 0.912 (…)" → 0.912. */
const after = (t, label) => Number(new RegExp(`${label}\\s*(\\d+(?:\\.\\d+)?)`).exec(t)[1]);

/** "At threshold 0.0213: 1,234 images flagged." → 1234 */
const flagged = (t) => Number(/: ([\d,]+) images flagged/.exec(t)[1].replace(/,/g, ''));

/** Scrolls to the labs panel and waits until the lab on show has computed on the model as it is. */
async function labComputed(page, lab, timeout = 240_000) {
  await page.locator('#labs-panel').scrollIntoViewIfNeeded();
  // Computed, and drawn: an image grid draws a row per frame and is aria-busy until it is done.
  await page.waitForFunction((id) => {
    const p = $ae('#labs-panel');
    return p.dataset.lab === id && p.dataset[`${id}Step`] !== undefined && !p.dataset.busy && !p.querySelector('[aria-busy="true"]');
  }, lab, { timeout });
}

/** A zig-zag scribble over the whole pad: no digit looks like it. */
const SCRIBBLE = Array.from({ length: 13 }, (_, i) => [0.1 + (0.8 * i) / 12, i % 2 ? 0.1 : 0.9]);

describe('the anomaly lab', () => {
  it('works at once in its lesson: the held-out 2 stands out, the threshold is dragged, a scribble is flagged', async () => {
    const { page, errors } = await openPlayground(browser, { hash: '#lesson=anomaly', before: watchLongTasks });
    await page.waitForSelector('ae-playground[data-source="file"]'); // the detector, loaded over the seed model
    const t0 = await now(page);
    await labComputed(page, 'anomaly');
    const computing = await longTasks(page, t0, await now(page)); // while the lab computed
    expect(await text(page, '#anomaly-trained')).toMatch(/^This model trained on every class but 2 \([\d,]+ training images\): 2 is new to it\.$/);
    expect(await page.isVisible('#anomaly-mismatch')).toBe(false);
    const auc = await text(page, '#anomaly-auc');
    // PyTorch's reference for the held-out 2 (5 epochs): MSE 0.945; PCA with k = 20 far lower.
    const aeAuc = after(auc, 'autoencoder');
    const pcaAuc = after(auc, `PCA with the same k = 20, fitted on the same [\\d,]+ training images,`);
    expect(aeAuc).toBeGreaterThan(0.9);
    expect(pcaAuc).toBeGreaterThan(0.5);
    expect(aeAuc).toBeGreaterThan(pcaAuc);
    // The threshold starts at the best F1: the stats say so.
    await page.waitForFunction(() => $ae('#anomaly-stats').dataset.f1);
    const best = await text(page, '#anomaly-best-text');
    const stats = await text(page, '#anomaly-stats');
    expect(after(stats, 'F1')).toBeCloseTo(after(best, 'Best F1'), 3);
    // Drag the threshold far right: fewer images flagged, recall falls, precision does not.
    await page.locator('#anomaly-hist').scrollIntoViewIfNeeded();
    const box = await page.locator('#anomaly-hist').boundingBox();
    await page.mouse.move(box.x + box.width * 0.35, box.y + box.height * 0.5);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.8, box.y + box.height * 0.5, { steps: 8 });
    await page.mouse.up();
    await page.waitForFunction((s) => $ae('#anomaly-stats').textContent !== s, stats);
    const dragged = await text(page, '#anomaly-stats');
    expect(after(dragged, 'recall')).toBeLessThan(after(stats, 'recall'));
    expect(flagged(dragged)).toBeLessThan(flagged(stats));
    expect(await page.getAttribute('#anomaly-hist', 'aria-valuetext')).toMatch(/^threshold [\d.]+$/);
    // The keyboard moves it too; the button puts it back at the best F1.
    await page.focus('#anomaly-hist');
    const before = await text(page, '#anomaly-stats');
    await page.keyboard.press('PageDown');
    await page.waitForFunction((s) => $ae('#anomaly-stats').textContent !== s, before);
    await page.click('#anomaly-best');
    await page.waitForFunction((f1) => $ae('#anomaly-stats').textContent.includes(`F1 ${f1}`), String(after(best, 'Best F1').toFixed(3)));
    // The extremes: 8 most and 8 least anomalous test images, the most of them 2s.
    await page.waitForFunction(() => !$ae('#anomaly-extremes').hasAttribute('aria-busy'));
    const most = await page.$$eval('#anomaly-extremes .lab-image-row:first-child canvas', (cs) => cs.map((c) => c.getAttribute('aria-label')));
    expect(most).toHaveLength(8);
    expect(most.filter((n) => /class 2,/.test(n)).length).toBeGreaterThanOrEqual(4);
    expect(await page.$$eval('#anomaly-extremes canvas', (cs) => cs.length)).toBe(16);
    // A drawing scored against the threshold: a "1" looks normal, a scribble anomalous.
    expect(await text(page, '#anomaly-drawing')).toBe('Draw in panel 1 to score your drawing against the threshold.');
    await page.locator('#draw-pad').scrollIntoViewIfNeeded();
    await drawStroke(page, ONE);
    await page.waitForFunction(() => $ae('#anomaly-drawing').dataset.flagged);
    expect(await page.getAttribute('#anomaly-drawing', 'data-flagged')).toBe('false');
    expect(await text(page, '#anomaly-drawing')).toMatch(/^Your drawing looks normal: error [\d.]+ ≤ [\d.]+\.$/);
    await page.click('#clear-btn');
    await drawStroke(page, SCRIBBLE);
    await page.waitForFunction(() => $ae('#anomaly-drawing').dataset.flagged === 'true', null, { timeout: 30_000 });
    expect(await text(page, '#anomaly-drawing')).toMatch(/^Your drawing looks anomalous: error [\d.]+ > [\d.]+\.$/);
    await page.locator('#labs-panel').scrollIntoViewIfNeeded();
    await nextFrames(page);
    await screenshot(page, 'labs-anomaly-desktop');
    // Another digit as the new one: a 1, which the model did see, and which is *easier* than the
    // rest: it scores as more normal (AUC below 0.5), and the page says the class is not new.
    const step = await page.getAttribute('#labs-panel', 'data-anomaly-step');
    await page.selectOption('#anomaly-cls', '1');
    await page.waitForFunction((a) => !$ae('#labs-panel').dataset.busy && $ae('#anomaly-auc').textContent !== a, auc, { timeout: 120_000 });
    expect(await page.getAttribute('#labs-panel', 'data-anomaly-step')).toBe(step);
    expect(after(await text(page, '#anomaly-auc'), 'autoencoder')).toBeLessThan(0.5);
    expect(await page.isVisible('#anomaly-mismatch')).toBe(true);
    console.log(`labs: anomaly lab, main-thread tasks over 50 ms while it computed: ${JSON.stringify(computing)}; in the whole test: ${JSON.stringify(await longTasks(page, 0))}`);
    expect(errors).toEqual([]);
    await page.context().close();
  }, LAB_TIMEOUT);

  it('on Fashion-MNIST, with its detector (trained without bags), in Chinese', async () => {
    const { page, errors } = await openPlayground(browser, { hash: '#lesson=anomaly&dataset=fashion-mnist&lang=zh', viewport: { width: 390, height: 844 } });
    await page.waitForSelector('ae-playground[data-source="file"]');
    await labComputed(page, 'anomaly');
    expect(await text(page, '#anomaly-trained')).toMatch(/^这个模型在除 包 之外的所有类别上训练/);
    expect(after(await text(page, '#anomaly-auc'), '自编码器')).toBeGreaterThan(0.8);
    expect(await text(page, '#lab-tab-anomaly')).toBe('异常检测');
    await nextFrames(page);
    await screenshot(page, 'labs-anomaly-zh-phone');
    expect(errors).toEqual([]);
    await page.context().close();
  }, LAB_TIMEOUT);

  it('scores a drawing made while it was out of view as soon as it comes back into view', async () => {
    const { page, errors } = await openPlayground(browser);
    await labComputed(page, 'anomaly');
    expect(await text(page, '#anomaly-drawing')).toBe('Draw in panel 1 to score your drawing against the threshold.');
    const outOfView = () => page.evaluate(() => $ae('#labs-panel').getBoundingClientRect().top - innerHeight > 200); // the panel's margin
    await drawStroke(page, ONE);
    expect(await outOfView()).toBe(true);
    await page.locator('#labs-panel').scrollIntoViewIfNeeded();
    await page.waitForFunction(() => $ae('#anomaly-drawing').dataset.flagged === 'false', null, { timeout: 30_000 });
    // Another drawing, again out of view: the lab shows its score, not the last one's.
    await page.locator('#draw-pad').scrollIntoViewIfNeeded();
    await page.click('#clear-btn');
    await drawStroke(page, SCRIBBLE);
    expect(await outOfView()).toBe(true);
    await page.locator('#labs-panel').scrollIntoViewIfNeeded();
    await page.waitForFunction(() => $ae('#anomaly-drawing').dataset.flagged === 'true', null, { timeout: 30_000 });
    expect(await text(page, '#anomaly-drawing')).toMatch(/^Your drawing looks anomalous: error [\d.]+ > [\d.]+\.$/);
    expect(errors).toEqual([]);
    await page.context().close();
  }, LAB_TIMEOUT);
});

describe('the compression lab', () => {
  it('shows the code as bytes, PSNR against PCA and JPEG, decoded test images and the drawing compressed', async () => {
    const { page, errors } = await openPlayground(browser, { hash: '#lesson=compression', before: watchLongTasks });
    const t0 = await now(page);
    await labComputed(page, 'compression');
    const computing = await longTasks(page, t0, await now(page)); // while the lab computed
    expect(await text(page, '#compression-bytes')).toBe('The code of this model: 80 bytes as float32, 20 bytes in 8 bits, against 784 raw bytes: 39.2× smaller.');
    const quality = await text(page, '#compression-quality');
    // The shipped seed model (20 epochs): above the reference's 10-epoch k = 20 figure (21.8 dB).
    expect(after(quality, 'PSNR')).toBeGreaterThan(21);
    expect(after(quality, 'from the float32 code:')).toBeGreaterThanOrEqual(after(quality, 'PSNR') - 0.05);
    // The rate–distortion table: the model's two points, PCA at k = 2 … 64 (and 20), JPEG file and payload.
    const rows = await page.$$eval('#compression-table tr', (trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent)));
    const pca = rows.filter((r) => r[0] === 'PCA, 8-bit');
    expect(pca.map((r) => r[1])).toEqual(['k=2', 'k=4', 'k=8', 'k=16', 'k=20', 'k=32', 'k=64']);
    const pca20 = Number(pca.find((r) => r[1] === 'k=20')[3]);
    expect(pca20).toBeCloseTo(16.9, 0); // the reference: 16.94 dB on all 10,000 (here the first 1,000)
    const ae8 = rows.find((r) => r[0] === 'autoencoder, 8-bit code');
    expect(Number(ae8[3])).toBeGreaterThan(pca20 + 3);
    const jpegFile = rows.filter((r) => r[0] === 'JPEG file');
    const jpegPayload = rows.filter((r) => r[0] === 'JPEG without header');
    expect(jpegFile.map((r) => r[1])).toEqual(['q5', 'q10', 'q20', 'q50', 'q90']);
    for (const [i, r] of jpegFile.entries()) expect(Number(r[2])).toBeGreaterThan(Number(jpegPayload[i][2]));
    expect(await text(page, '#compression-jpeg-note')).toMatch(/^Measured on the first 1,000 test images\. JPEG is encoded in this page at qualities 5, 10, 20, 50, 90; a whole file carries a fixed header \(tables and markers\) of [\d,]+–[\d,]+ bytes/);
    // Eight test images and what their 20 bytes decode to.
    expect(await page.$$eval('#compression-samples canvas', (cs) => cs.length)).toBe(16);
    expect(await page.$$eval('#compression-samples .lab-image-row:last-child figcaption', (fs) => fs.every((f) => / dB$/.test(f.textContent)))).toBe(true);
    // The drawing, compressed live.
    expect(await text(page, '#compression-drawing-text')).toBe('Draw in panel 1 to compress your drawing.');
    await page.locator('#draw-pad').scrollIntoViewIfNeeded();
    await drawStroke(page, ONE);
    await page.waitForFunction(() => $ae('#compression-drawing-text').dataset.psnr);
    expect(await text(page, '#compression-drawing-text')).toMatch(/^Your drawing as 20 bytes \((\d+ ){19}\d+\), decoded: PSNR [\d.]+ dB, SSIM [\d.]+\.$/);
    expect(Number(await page.getAttribute('#compression-drawing-text', 'data-psnr'))).toBeGreaterThan(12);
    await page.locator('#labs-panel').scrollIntoViewIfNeeded();
    await nextFrames(page);
    await screenshot(page, 'labs-compression-desktop');
    console.log(`labs: compression lab, main-thread tasks over 50 ms while it computed: ${JSON.stringify(computing)}; in the whole test: ${JSON.stringify(await longTasks(page, 0))}`);
    expect(errors).toEqual([]);
    await page.context().close();
  }, LAB_TIMEOUT);

  it('follows the model: a tab switch, then a model trained here, on Fashion-MNIST', async () => {
    const { page, errors } = await openPlayground(browser, { hash: '#dataset=fashion-mnist&panels=draw,train,labs&widths=64&latent=8&weights=scratch' });
    await page.locator('#labs-panel').scrollIntoViewIfNeeded();
    await page.click('#lab-tab-compression');
    await labComputed(page, 'compression');
    expect(await text(page, '#compression-bytes')).toMatch(/^The code of this model: 32 bytes as float32, 8 bytes in 8 bits, against 784 raw bytes: 98\.0× smaller\.$/);
    const fresh = after(await text(page, '#compression-quality'), 'PSNR');
    // Train one step-batch at a time a few times: the lab follows the new weights.
    await page.locator('#train-panel').scrollIntoViewIfNeeded();
    for (let i = 0; i < 30; i++) await page.click('#step-btn');
    await page.waitForFunction(() => Number($ae('#stat-steps').textContent.replace(/,/g, '')) >= 30);
    await labComputed(page, 'compression');
    await page.waitForFunction((p) => $ae('#labs-panel').dataset.compressionStep !== '0', null, { timeout: 120_000 });
    await page.waitForFunction(() => !$ae('#labs-panel').dataset.busy);
    const trained = after(await text(page, '#compression-quality'), 'PSNR');
    expect(trained).toBeGreaterThan(fresh);
    expect(errors).toEqual([]);
    await page.context().close();
  }, LAB_TIMEOUT);
});

/** The rows of a table body as arrays of cell texts. */
const tableRows = (page, sel) => page.$$eval(`${sel} tr`, (trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent)));
/** A number as the page writes it ("0.0213", "1,000", "77.7 %") → 0.0213, 1000, 77.7. */
const num = (t) => Number(String(t).replace(/[,\s%]/g, ''));

describe('the AE-vs-PCA lab', () => {
  it('puts the model beside PCA with the same k, redraws the probes and a drawing with both, and trains a linear autoencoder that lands on PCA', async () => {
    const { page, errors } = await openPlayground(browser, { hash: '#lesson=pca' });
    await labComputed(page, 'pca');
    const summary = await text(page, '#pca-summary');
    expect(summary).toMatch(/^This model \(k = 20\): test MSE [\d.]+ per pixel\. PCA with the same k: [\d.]+\. The autoencoder’s error is \d+% of PCA’s\.$/);
    const ae = Number(await page.getAttribute('#pca-summary', 'data-ae'));
    const pca = Number(await page.getAttribute('#pca-summary', 'data-pca'));
    // The reference (npm run applications, linear lab): PCA k = 20 has test MSE 0.02354.
    expect(pca).toBeCloseTo(0.0235, 3);
    expect(ae).toBeLessThan(0.5 * pca);
    expect(await text(page, '#pca-chart-note')).toMatch(/^PCA fitted on 60,000 training images \(one fit gives every k up to 64\); errors on 10,000 test images\./);
    // The chart's table: this model's point, with PCA at the same k beside it.
    const rows = await tableRows(page, '#pca-table');
    const mine = rows.find((r) => r[0] === 'this model');
    expect(mine.slice(1).map(num)).toEqual([20, Number(ae.toFixed(4)), Number(pca.toFixed(4))]);
    // Eight test images, redrawn by both: the AE's error below PCA's for most of them.
    expect(await page.$$eval('#pca-probes canvas', (cs) => cs.length)).toBe(24);
    const errs = await page.$$eval('#pca-probes .lab-image-row', (rs) => rs.slice(1).map((r) => [...r.querySelectorAll('figcaption')].map((f) => Number(f.textContent))));
    expect(errs[0].filter((e, i) => e < errs[1][i]).length).toBeGreaterThanOrEqual(6);
    // A drawing, redrawn by both.
    expect(await text(page, '#pca-drawing-text')).toBe('Draw in panel 1 to see your drawing redrawn by the autoencoder and by PCA.');
    await page.locator('#draw-pad').scrollIntoViewIfNeeded();
    await drawStroke(page, ONE);
    await page.waitForFunction(() => /^Left/.test($ae('#pca-drawing-text').textContent));
    expect(await text(page, '#pca-drawing-text')).toMatch(/^Left, the autoencoder: MSE [\d.]+\. Right, PCA with k = 20: MSE [\d.]+\.$/);
    expect(await page.isVisible('#pca-drawing-pca')).toBe(true);
    // The linear autoencoder: trained in the worker, its test error falls towards PCA's.
    await page.locator('#pca-linear-start').scrollIntoViewIfNeeded();
    expect(await text(page, '#pca-linear-start')).toBe('Train a linear autoencoder (k = 20, 5 epochs on 60,000 images)');
    await page.click('#pca-linear-start');
    expect(await page.isVisible('#pca-linear-stop')).toBe(true);
    await page.waitForFunction(() => $ae('#pca-linear-text').dataset.ratio, null, { timeout: 300_000 });
    const linear = await text(page, '#pca-linear-text');
    const ratio = Number(await page.getAttribute('#pca-linear-text', 'data-ratio'));
    console.log(`labs: linear autoencoder: ${linear}`);
    expect(ratio).toBeGreaterThan(0.99); // no linear map with 20 numbers beats PCA
    expect(ratio).toBeLessThan(1.25);
    expect(after(linear, 'is')).toBeLessThan(after(linear, 'after the first epoch:'));
    expect(await page.isVisible('#pca-linear-stop')).toBe(false);
    expect((await tableRows(page, '#pca-table')).some((r) => r[0] === 'linear autoencoder' && r[1] === '20')).toBe(true);
    await page.locator('#labs-panel').scrollIntoViewIfNeeded();
    await nextFrames(page);
    await screenshot(page, 'labs-pca-desktop');
    expect(errors).toEqual([]);
    await page.context().close();
  }, LAB_TIMEOUT);
});

describe('the AE-vs-PCA lab on Fashion-MNIST', () => {
  it('puts the Fashion-MNIST model beside PCA, on a phone in Chinese', async () => {
    const { page, errors } = await openPlayground(browser, { hash: '#lesson=pca&dataset=fashion-mnist&lang=zh', viewport: { width: 390, height: 844 } });
    await labComputed(page, 'pca');
    expect(await text(page, '#lab-tab-pca')).toBe('自编码器与 PCA');
    expect(await text(page, '#pca-summary')).toMatch(/^这个模型（k = 20）：每像素测试 MSE [\d.]+。同样 k 的 PCA：[\d.]+。自编码器的误差是 PCA 的 \d+%。$/);
    const ae = Number(await page.getAttribute('#pca-summary', 'data-ae'));
    const pca = Number(await page.getAttribute('#pca-summary', 'data-pca'));
    console.log(`labs: Fashion-MNIST, test MSE at k = 20: AE ${ae}, PCA ${pca}`);
    expect(ae).toBeLessThan(0.8 * pca);
    // On a phone the three rows of eight images (original, AE, PCA) stay one row each.
    const tops = await page.$$eval('#pca-probes .lab-image-row', (rs) => rs.map((r) => new Set([...r.querySelectorAll('canvas')].map((c) => Math.round(c.getBoundingClientRect().top))).size));
    expect(tops).toEqual([1, 1, 1]);
    await page.locator('#lab-pca').scrollIntoViewIfNeeded();
    await nextFrames(page);
    await screenshot(page, 'labs-pca-fashion-zh-phone');
    expect(errors).toEqual([]);
    await page.context().close();
  }, LAB_TIMEOUT);
});

describe('the features lab', () => {
  it('probes the codes, PCA and pixels with 100, 1,000 and 10,000 labels: the codes win when labels are scarce', async () => {
    const { page, errors } = await openPlayground(browser, { hash: '#lesson=features', viewport: { width: 820, height: 1180 } });
    await labComputed(page, 'features', 360_000);
    const summary = await text(page, '#features-summary');
    expect(summary).toMatch(/^With 100 labelled images: codes [\d.]+ %, PCA [\d.]+ %, pixels [\d.]+ % correct on 10,000 test images \(chance: 10 %\)\.$/);
    const [codes, pca, pixels] = ['codes', 'pca', 'pixels'].map(async (f) => Number(await page.getAttribute('#features-summary', `data-${f}`)));
    const acc = { codes: await codes, pca: await pca, pixels: await pixels };
    console.log(`labs: features with 100 labels: ${JSON.stringify(acc)}`);
    // The reference (npm run applications): 0.777 / 0.727 / 0.723; chance is 0.1.
    expect(acc.codes).toBeGreaterThan(0.7);
    expect(acc.codes).toBeGreaterThan(acc.pca + 0.02);
    expect(acc.codes).toBeGreaterThan(acc.pixels + 0.02);
    // The table: every budget, and more labels help every kind of feature.
    const rows = await tableRows(page, '#features-table');
    expect(rows.map((r) => r[0])).toEqual(['100', '1,000', '10,000', 'kNN, every label']);
    for (const col of [1, 2, 3]) expect(num(rows[2][col])).toBeGreaterThan(num(rows[0][col]) + 5);
    expect(num(rows[0][1])).toBeCloseTo(100 * acc.codes, 1);
    expect(await text(page, '#features-knn')).toMatch(/^k-nearest neighbours \(5 neighbours among all 60,000 labelled training images\), on 1,000 test images: codes [\d.]+ %, PCA [\d.]+ %\.$/);
    expect(num(rows[3][1])).toBeGreaterThan(90);
    await page.locator('#labs-panel').scrollIntoViewIfNeeded();
    await nextFrames(page);
    await screenshot(page, 'labs-features-tablet');
    expect(errors).toEqual([]);
    await page.context().close();
  }, LAB_TIMEOUT);
});

describe('the latent-size lab', () => {
  it('sweeps k, then overfits 1,000 images and closes part of the gap with dropout, on a phone in Chinese', async () => {
    const { page, errors } = await openPlayground(browser, { hash: '#lesson=latent&lang=zh', viewport: { width: 390, height: 844 } });
    await labComputed(page, 'latent');
    expect(await text(page, '#lab-tab-latent')).toBe('编码大小');
    // Before any run: PCA's curve and this model's point.
    expect((await tableRows(page, '#latent-sweep-table')).map((r) => r[0])).toEqual(['这个模型']);
    // The sweep: the model's architecture trained with k = 2 … 64.
    await page.locator('#latent-sweep-start').scrollIntoViewIfNeeded();
    await page.click('#latent-sweep-start');
    await page.waitForFunction(() => $ae('#latent-sweep-text').dataset.done, null, { timeout: 300_000 });
    const sweep = (await tableRows(page, '#latent-sweep-table')).filter((r) => r[0].startsWith('扫描'));
    console.log(`labs: the latent sweep: ${JSON.stringify(sweep)}`);
    expect(sweep.map((r) => num(r[1]))).toEqual([2, 4, 8, 16, 32, 64]);
    const [k2, k64] = [sweep[0], sweep[5]].map((r) => ({ ae: num(r[2]), pca: num(r[3]) }));
    // (measured: k = 2 0.049 against PCA's 0.054, k = 16 0.019 against 0.027, k = 64 0.015 against 0.009)
    expect(k2.ae).toBeLessThan(k2.pca); // with few numbers the nonlinear code beats PCA
    expect(num(sweep[3][2])).toBeLessThan(0.85 * num(sweep[3][3])); // k = 16
    expect(k64.ae).toBeLessThan(k2.ae / 2); // a bigger code redraws far better
    expect(await text(page, '#latent-sweep-start')).toBe('运行扫描：k = 2, 4, 8, 16, 32, 64，每个在 20,000 张图像上训练 3 轮');
    // Overfitting: 20 epochs on 1,000 images, plain; then with dropout 0.5.
    await page.locator('#latent-overfit-start').scrollIntoViewIfNeeded();
    await page.selectOption('#latent-overfit-epochs', '20');
    await page.click('#latent-overfit-start');
    await page.waitForFunction(() => $ae('#latent-overfit-text').dataset.gap, null, { timeout: 300_000 });
    const plain = await text(page, '#latent-overfit-text');
    console.log(`labs: overfitting, plain: ${plain}`);
    const gap = Number(await page.getAttribute('#latent-overfit-text', 'data-gap'));
    const gap1 = Number(await page.getAttribute('#latent-overfit-text', 'data-gap1'));
    expect(gap).toBeGreaterThan(gap1 + 3); // the gap opens over the epochs
    await page.selectOption('#latent-overfit-reg', 'dropout05');
    await page.click('#latent-overfit-start');
    await page.waitForFunction(() => !$ae('#latent-overfit-text').dataset.gap);
    await page.waitForFunction(() => $ae('#latent-overfit-text').dataset.gap, null, { timeout: 300_000 });
    const dropout = await text(page, '#latent-overfit-text');
    console.log(`labs: overfitting, dropout 0.5: ${dropout}`);
    expect(Number(await page.getAttribute('#latent-overfit-text', 'data-gap'))).toBeLessThan(gap - 2);
    const runs = await tableRows(page, '#latent-gap-table');
    expect(runs.map((r) => [r[0], r[1]])).toEqual([['不加正则化', '20'], ['随机失活 0.5', '20']]);
    await page.locator('#lab-latent').scrollIntoViewIfNeeded();
    await nextFrames(page);
    await screenshot(page, 'labs-latent-zh-phone');
    expect(errors).toEqual([]);
    await page.context().close();
  }, 900_000);
});

describe('the labs on a model trained here', () => {
  it('the anomaly lab trains a detector without the chosen digit, in the page, and the digit stands out', async () => {
    // The pretrained seed model saw every digit: the lab says so and offers to train a detector.
    const { page, errors } = await openPlayground(browser, { hash: '#panels=draw,train,labs&lab=anomaly&epochs=1&batch_size=256' });
    await labComputed(page, 'anomaly');
    expect(await text(page, '#anomaly-trained')).toBe('This model trained on every class: nothing is new to it, so no class stands out. Load the anomaly detector, trained without one class, or train one here.');
    await page.selectOption('#anomaly-cls', '7');
    await page.waitForFunction(() => !$ae('#anomaly-train').hidden && /7/.test($ae('#anomaly-train').textContent) && !$ae('#labs-panel').dataset.busy, null, { timeout: 120_000 });
    expect(await text(page, '#anomaly-train')).toBe('Train a detector here without 7');
    await page.click('#anomaly-train');
    // The Train panel's settings say what the model trains on; one epoch from fresh weights.
    await page.waitForFunction(() => $ae('#set-train_on').value === 'except' && $ae('#set-train_class').value === '7');
    expect(await page.isVisible('#set-train_class')).toBe(true);
    expect(new URL(page.url()).hash).toMatch(/train_on=except&train_class=7/);
    await page.waitForFunction(() => $ae('#epoch-label').textContent === 'Done: 1 of 1 epochs', null, { timeout: 240_000 });
    await page.waitForFunction(() => /^This model trained on every class but 7/.test($ae('#anomaly-trained').textContent) && !$ae('#labs-panel').dataset.busy, null, { timeout: 240_000 });
    await labComputed(page, 'anomaly');
    // MNIST has 6,265 training 7s: 53,735 images left.
    expect(await text(page, '#anomaly-trained')).toBe('This model trained on every class but 7 (53,735 training images): 7 is new to it.');
    expect(await page.isVisible('#anomaly-train')).toBe(false);
    expect(await page.isVisible('#anomaly-mismatch')).toBe(false);
    expect(await text(page, '#dataset-status')).toBe('MNIST digits: 60,000 training images; this model trains on the 53,735 that are not 7');
    // Nobody placed the threshold: it followed the new weights to their best F1.
    // (the statistics at the threshold come in their own request: given a moment to arrive)
    const f1s = () => page.evaluate(() => ['#anomaly-stats', '#anomaly-best-text'].map((s) => (/F1\s*(\d+(?:\.\d+)?)/.exec($ae(s).textContent) ?? [])[1] ?? null));
    await page.waitForFunction(() => { const [a, b] = ['#anomaly-stats', '#anomaly-best-text'].map((s) => (/F1\s*(\d+(?:\.\d+)?)/.exec($ae(s).textContent) ?? [])[1]); return a && a === b; }, null, { timeout: 30_000 }).catch(() => {});
    const [atThreshold, best] = await f1s();
    expect(atThreshold).toBe(best);
    const auc = await text(page, '#anomaly-auc');
    console.log(`labs: a detector trained here without 7, one epoch: ${auc}`);
    // PyTorch's reference for a held-out 7 after 5 epochs: MSE AUC 0.641 (the mean over digits 0.78).
    expect(after(auc, 'autoencoder')).toBeGreaterThan(0.55);
    await page.locator('#labs-panel').scrollIntoViewIfNeeded();
    await nextFrames(page);
    await screenshot(page, 'labs-anomaly-trained-here');
    expect(errors).toEqual([]);
    await page.context().close();
  }, LAB_TIMEOUT);

  it('the features and latent-size labs on Fashion-MNIST follow a model trained here', async () => {
    const { page, errors } = await openPlayground(browser, {
      hash: '#dataset=fashion-mnist&panels=train,labs&lab=features&weights=scratch&widths=128&latent=16&epochs=1&batch_size=256',
      viewport: { width: 820, height: 1180 },
    });
    await startTraining(page);
    await page.waitForFunction(() => $ae('#epoch-label').textContent === 'Done: 1 of 1 epochs', null, { timeout: 240_000 });
    await labComputed(page, 'features', 360_000);
    await page.waitForFunction(() => $ae('#labs-panel').dataset.featuresStep !== '0' && !$ae('#labs-panel').dataset.busy, null, { timeout: 240_000 });
    const acc = {};
    for (const f of ['codes', 'pca', 'pixels']) acc[f] = Number(await page.getAttribute('#features-summary', `data-${f}`));
    console.log(`labs: Fashion-MNIST features of a model trained here (784-128-16, one epoch), 100 labels: ${JSON.stringify(acc)}`);
    for (const f of ['codes', 'pca', 'pixels']) expect(acc[f]).toBeGreaterThan(0.5); // chance: 0.1
    const rows = await tableRows(page, '#features-table');
    expect(rows.map((r) => r[0])).toEqual(['100', '1,000', '10,000', 'kNN, every label']);
    for (const col of [1, 2, 3]) expect(num(rows[2][col])).toBeGreaterThan(num(rows[0][col]));
    // The latent-size lab: PCA's curve and this model's point at k = 16.
    await page.click('#lab-tab-latent');
    await labComputed(page, 'latent');
    const mine = (await tableRows(page, '#latent-sweep-table')).find((r) => r[0] === 'this model');
    expect(num(mine[1])).toBe(16);
    expect(num(mine[2])).toBeGreaterThan(0);
    // Overfitting on Fashion-MNIST: 20 epochs on 1,000 images, the gap opens.
    await page.locator('#latent-overfit-start').scrollIntoViewIfNeeded();
    await page.selectOption('#latent-overfit-epochs', '20');
    await page.click('#latent-overfit-start');
    await page.waitForFunction(() => $ae('#latent-overfit-text').dataset.gap, null, { timeout: 300_000 });
    const gap = Number(await page.getAttribute('#latent-overfit-text', 'data-gap'));
    const gap1 = Number(await page.getAttribute('#latent-overfit-text', 'data-gap1'));
    console.log(`labs: Fashion-MNIST overfitting: ${await text(page, '#latent-overfit-text')}`);
    expect(gap).toBeGreaterThan(gap1);
    await page.locator('#labs-panel').scrollIntoViewIfNeeded();
    await nextFrames(page);
    await screenshot(page, 'labs-latent-fashion-trained-here');
    expect(errors).toEqual([]);
    await page.context().close();
  }, 900_000);
});
