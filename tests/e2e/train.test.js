// Panel 2, Train: controls apply at once while training runs, architecture changes ask first,
// start / pause / step / reset, the epoch limit, the readouts, datasets, and settings links
// (shared URL reproduces settings and seed; embed mode for course pages).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { canvasPixels, expectBanner, launch, mean, numberIn, openPlayground, pauseTraining, readNumber, screenshot, startTraining, steps, waitForSteps } from './browser.js';

let browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const chartInk = (page) =>
  page.evaluate(() => {
    const c = $ae('#loss-chart');
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < d.length; i += 4) n += d[i] > 0 ? 1 : 0;
    return n;
  });

describe('training controls', () => {
  it('applies training settings at once while training, and asks before replacing a trained model', async () => {
    const { page, errors } = await openPlayground(browser, { hash: '#widths=128' });
    expect(await page.textContent('#train-summary')).toBe('Adam · learning rate 0.001 · batch 128 · seed 1');
    await startTraining(page);
    await waitForSteps(page, 20);

    // Learning rate: the log slider, four key presses of 10^0.05 each → 0.0016, applied live.
    await page.focus('#set-lr');
    for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowRight');
    await page.waitForFunction(() => $ae('#train-summary').textContent.includes('learning rate 0.0016'));
    expect(await page.getAttribute('#set-lr', 'aria-valuetext')).toBe('0.0016');
    await page.selectOption('#set-batch_size', '64');
    await page.waitForFunction(() => $ae('#train-summary').textContent.includes('batch 64'));
    await page.selectOption('#set-schedule', 'cosine');
    await page.waitForFunction(() => $ae('#train-summary').textContent.includes('cosine schedule'));
    expect(await page.isVisible('#set-cosine_epochs')).toBe(true);
    expect(await page.isVisible('#set-gamma')).toBe(false);
    expect(page.url()).toContain('#widths=128&lr=0.0016&schedule=cosine&batch_size=64');
    // Still the same run: training goes on, and its steps keep counting.
    const before = await steps(page);
    await waitForSteps(page, before + 10);
    expect(await page.getAttribute('#train-btn', 'aria-pressed')).toBe('true');

    // Latent size is architecture: a question first. Keeping the model changes nothing.
    await page.fill('#set-latent', '8');
    await page.press('#set-latent', 'Enter');
    await page.waitForSelector('#confirm-dialog[open]');
    expect(await page.textContent('#confirm-message')).toMatch(/^Changing the latent size needs a new model with fresh weights\. The current model, trained for [\d,]+ steps, will be thrown away\.$/);
    expect(await page.evaluate(() => $aeActive().textContent)).toBe('Keep the trained model');
    await page.click('#confirm-dialog [data-cancel]');
    expect(await page.inputValue('#set-latent')).toBe('20');
    const kept = await steps(page);
    expect(kept).toBeGreaterThan(before);
    expect(await page.textContent('#model-summary')).toContain('→ 20 →');

    // Asked again and accepted: a new model, untrained, paused, with a fresh chart.
    await page.fill('#set-latent', '8');
    await page.press('#set-latent', 'Enter');
    await page.waitForSelector('#confirm-dialog[open]');
    await page.click('#confirm-dialog [data-ok]');
    await page.waitForFunction(() => $ae('#model-summary').textContent.includes('→ 8 →'));
    await page.waitForSelector('#train-btn[aria-pressed="false"]:not([disabled])');
    expect(await steps(page)).toBe(0);
    expect(await page.textContent('#stat-train')).toBe('–');
    expect(page.url()).toContain('latent=8');
    expect(await page.textContent('#live-status')).toContain('New model built');
    expect(await page.textContent('#map-note')).toMatch(/^Latent size 8: /); // the new model's map
    expect(await page.$$eval('#latent-sliders input', (xs) => xs.length)).toBe(8);

    // No training since: no question. Widths set by hand (the link's 128) stay with the new variant.
    await page.selectOption('#set-variant', 'deep');
    await page.waitForFunction(() => $ae('#model-summary').textContent.startsWith('Deep autoencoder 784 → 128 → 8 → 128 → 784'));
    expect(await page.isVisible('#confirm-dialog')).toBe(false);
    await page.fill('#set-widths', '256, 128, 64');
    await page.press('#set-widths', 'Enter');
    await page.waitForFunction(() => $ae('#model-summary').textContent.startsWith('Deep autoencoder 784 → 256 → 128 → 64 → 8 → 64 → 128 → 256 → 784'));
    expect(page.url()).toContain('variant=deep&widths=256,128,64&latent=8');

    // A bad value is refused next to the field, and nothing changes.
    await page.fill('#set-widths', '300, lots');
    await page.press('#set-widths', 'Enter');
    await page.waitForSelector('#set-widths[aria-invalid="true"]');
    expect(await page.textContent('#set-widths-error')).toBe('“Hidden layer widths” (widths) must be up to 6 comma-separated whole numbers from 1 to 2048, got “300, lots”');
    expect(await page.inputValue('#set-widths')).toBe('256, 128, 64');
    expect(await page.textContent('#model-summary')).toContain('256 → 128 → 64');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('steps one batch, starts, pauses and resets, with speed, elapsed time and time left', async () => {
    const { page, errors } = await openPlayground(browser, { hash: '#widths=128' });
    expect(await chartInk(page)).toBeGreaterThan(0); // the empty chart's hint
    const empty = await chartInk(page);
    await page.click('#step-btn');
    await page.waitForFunction(() => $ae('#stat-steps').textContent === '1');
    await page.click('#step-btn');
    await page.waitForFunction(() => $ae('#stat-steps').textContent === '2');
    expect(await readNumber(page, '#stat-train')).toBeGreaterThan(100);
    await page.waitForFunction(() => /One batch trained: step 2, loss \d+\.\d/.test($ae('#live-status').textContent));

    await startTraining(page);
    expect(await page.isDisabled('#step-btn')).toBe(true);
    await waitForSteps(page, 60);
    expect(await page.textContent('#epoch-label')).toBe('Epoch 1 of 10');
    expect(Number(await page.getAttribute('#epoch-progress', 'aria-valuenow'))).toBeGreaterThan(0);
    expect(await page.getAttribute('#epoch-progress', 'aria-valuetext')).toMatch(/^\d+% of epoch 1$/);
    expect(await readNumber(page, '#stat-speed')).toBeGreaterThan(100);
    expect(await page.textContent('#stat-elapsed')).toMatch(/^\d+ sec$/);
    expect(await page.textContent('#stat-left')).toMatch(/^(\d+ sec|\d+ min \d+ sec|\d+ hr \d+ min)$/);
    // The chart redraws at most twice a second: wait for the redraw that shows the run.
    await expect.poll(() => chartInk(page), { timeout: 5_000 }).not.toBe(empty);
    await pauseTraining(page);
    expect(await page.textContent('#train-btn')).toBe('Resume training');
    expect(await page.textContent('#stat-left')).toBe('–');
    const paused = await steps(page);
    await page.waitForTimeout(600);
    expect(await steps(page)).toBe(paused);

    await page.click('#reset-btn');
    await page.waitForFunction(() => $ae('#stat-steps').textContent === '0');
    expect(await page.textContent('#stat-train')).toBe('–');
    expect(await page.textContent('#train-btn')).toBe('Start training');
    expect(await page.textContent('#live-status')).toContain('reset to fresh weights');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('trains the set number of epochs, then stops; test loss per epoch, announced politely', async () => {
    const { page, errors } = await openPlayground(browser, { hash: '#widths=64&latent=8&batch_size=512&epochs=1' });
    expect(await page.textContent('#epoch-label')).toBe('Epoch 1 of 1');
    await startTraining(page);
    await page.waitForFunction(() => $ae('#epoch-label').textContent === 'Done: 1 of 1 epochs', null, { timeout: 90_000 });
    await page.waitForSelector('#train-btn[aria-pressed="false"]:not([disabled])');
    expect(await readNumber(page, '#stat-test')).toBeGreaterThan(10);
    expect(await page.locator('#loss-table-body tr').count()).toBe(1);
    expect(await page.textContent('#loss-table-body tr th')).toBe('1');
    expect(await page.getAttribute('#live-status', 'aria-live')).toBe('polite');
    expect(await page.textContent('#live-status')).toContain('Training finished: 1 epoch.');
    expect(await page.isVisible('#loss-legend [data-series="test"]')).toBe(true);

    // After a finished run, the button offers as many epochs again; "Train for" and the link
    // stay as they are (the next fresh model trains 1 epoch, not 2).
    expect(await page.textContent('#train-btn')).toBe('Train 1 more epoch');
    const hash = new URL(page.url()).hash;
    await startTraining(page);
    await page.waitForFunction(() => $ae('#epoch-label').textContent === 'Epoch 2 of 2');
    expect(await page.inputValue('#set-epochs')).toBe('1');
    expect(new URL(page.url()).hash).toBe(hash);
    await page.waitForFunction(() => $ae('#epoch-label').textContent === 'Done: 2 of 2 epochs', null, { timeout: 90_000 });
    expect(await page.inputValue('#set-epochs')).toBe('1');
    await page.waitForFunction(() => $aeAll('#loss-table-body tr').length === 2); // after the test-set pass
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('switches to Fashion-MNIST: its test images, class names, and training set', async () => {
    const { page, errors } = await openPlayground(browser, { hash: '#widths=64' });
    const digits = await canvasPixels(page, '#probe-grid canvas[data-row="original"]');
    await page.selectOption('#set-dataset', 'fashion-mnist');
    await page.waitForFunction(() => $ae('#dataset-status').textContent === 'Fashion-MNIST: 10,000 test images ready', null, { timeout: 30_000 });
    expect(await canvasPixels(page, '#probe-grid canvas[data-row="original"]')).not.toEqual(digits);
    expect(await page.getAttribute('#probe-grid canvas[data-row="original"]', 'aria-label')).toBe('test image 1: T-shirt/top');
    expect(await page.textContent('#class-legend')).toContain('Ankle boot');
    await startTraining(page);
    await page.waitForFunction(() => $ae('#dataset-status').textContent === 'Fashion-MNIST: 60,000 training images');
    await waitForSteps(page, 10);
    await pauseTraining(page);
    expect(page.url()).toContain('dataset=fashion-mnist');
    await screenshot(page, 'fashion-mnist-desktop');
    expect(errors).toEqual([]);
    await page.context().close();
  });
});

describe('settings links', () => {
  it('a shared link reproduces the settings and the seed', async () => {
    const hash = '#variant=vae&widths=64&lr=0.002&seed=7&epochs=3';
    const a = await openPlayground(browser, { hash });
    const b = await openPlayground(browser, { hash });
    for (const { page } of [a, b]) {
      expect(await page.inputValue('#set-variant')).toBe('vae');
      expect(await page.inputValue('#set-latent')).toBe('2');
      expect(await page.inputValue('#set-seed')).toBe('7');
      expect(await page.textContent('#set-lr + output')).toBe('0.002');
      expect(await page.textContent('#epoch-label')).toBe('Epoch 1 of 3');
      expect(await page.textContent('#model-summary')).toMatch(/^VAE 784 → 64 → 2 → 64 → 784/);
      expect(await page.textContent('#train-summary')).toBe('Adam · learning rate 0.002 · batch 128 · seed 7');
      for (let i = 1; i <= 3; i++) {
        await page.click('#step-btn');
        await page.waitForFunction((n) => $ae('#stat-steps').textContent === String(n), i);
      }
    }
    // Same seed, same settings: the same batches, noise and weights, so the same loss.
    expect(await a.page.textContent('#stat-train')).toBe(await b.page.textContent('#stat-train'));
    await a.page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await a.page.click('#share-btn');
    await a.page.waitForFunction(() => $ae('#share-btn').textContent === 'Link copied');
    expect(await a.page.evaluate(() => navigator.clipboard.readText())).toBe(a.page.url());
    expect(new URL(a.page.url()).hash).toBe('#variant=vae&widths=64&lr=0.002&epochs=3&seed=7'); // schema order
    await a.page.context().close();
    await b.page.context().close();
  });

  it('bad entries in a link are reported and skipped; embed mode shows only the chosen panels', async () => {
    const bad = await openPlayground(browser, { hash: '#lr=banana&latent=6' });
    expectBanner(bad.page, 'Ignored a setting in the link: “Learning rate” (lr) must be a number from 0.00001 to 1, got “banana”.');
    expect(await bad.page.textContent('#error-text')).toBe('Ignored a setting in the link: “Learning rate” (lr) must be a number from 0.00001 to 1, got “banana”.');
    expect(await bad.page.inputValue('#set-latent')).toBe('6');
    await bad.page.context().close();

    const { page, errors } = await openPlayground(browser, { query: '?embed', hash: '#panels=draw,latent', viewport: { width: 820, height: 1000 } });
    expect(await page.isVisible('.site-header')).toBe(false);
    expect(await page.isVisible('#draw-panel')).toBe(true);
    expect(await page.isVisible('#latent-panel')).toBe(true);
    for (const id of ['#train-panel', '#learn-panel', '#interp-panel']) expect(await page.isVisible(id)).toBe(false);
    await page.waitForSelector('#latent-map[data-points="1000"]');
    await screenshot(page, 'embed-draw-latent-tablet');
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
