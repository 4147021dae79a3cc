// The walking skeleton, as a user meets it: load the page, train, pause and resume, draw,
// and stay smooth and usable when something goes wrong.
import { readFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ONE, ZERO, canvasPixels, drawStroke, expectBanner, launch, mean, meanAbsDiff, openPlayground, readNumber, screenshot, touchStroke, waitForReconstruction } from './browser.js';

let browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const steps = (page) => readNumber(page, '#stat-steps');
const waitForSteps = (page, n) =>
  page.waitForFunction((min) => Number($ae('#stat-steps').textContent.replace(/\D/g, '')) >= min, n, {
    timeout: 60_000,
  });

describe('training in a worker', () => {
  it('loads, trains with a falling loss, pauses, resumes, and reconstructs drawings', async () => {
    // Fresh weights (not the pretrained model the page opens with), to watch the loss fall.
    // (How smooth the main thread stays while training is measured by `npm run bench`, not here.)
    const { page, errors } = await openPlayground(browser, { hash: '#weights=scratch' });
    // Chromium has relaxed SIMD: the engine's GEMM runs on its fused multiply-add.
    expect(await page.textContent('#engine-status')).toContain('wasm-relaxed-simd');
    // The probe grid shows real test digits before any training.
    const probe = await canvasPixels(page, '#probe-grid canvas[data-row="original"]');
    expect(mean(probe)).toBeGreaterThan(10);

    // Start: the training set downloads, then the loss falls.
    await page.click('#train-btn');
    await page.waitForSelector('#train-btn[aria-pressed="true"]', { timeout: 60_000 });
    await waitForSteps(page, 40);
    const early = await readNumber(page, '#stat-train');
    await waitForSteps(page, 400);
    const later = await readNumber(page, '#stat-train');
    expect(early).toBeGreaterThan(0);
    expect(later).toBeLessThan(early * 0.8);
    expect(await readNumber(page, '#stat-speed')).toBeGreaterThan(0);

    // Draw while training: a "1" and a "0" give two different, non-blank reconstructions.
    await drawStroke(page, ONE);
    await waitForReconstruction(page);
    const one = await canvasPixels(page, '#draw-recon');
    await page.click('#clear-btn');
    expect(await page.getAttribute('#draw-recon', 'data-filled')).toBeNull();
    await drawStroke(page, ZERO);
    await waitForReconstruction(page);
    const zero = await canvasPixels(page, '#draw-recon');
    expect(mean(one)).toBeGreaterThan(5);
    expect(mean(zero)).toBeGreaterThan(5);
    expect(meanAbsDiff(one, zero)).toBeGreaterThan(10);
    // The "0" reconstruction has ink where a ring is and little in its middle.
    const centre = zero[14 * 28 + 14];
    const ring = zero[14 * 28 + 8] + zero[14 * 28 + 20];
    expect(ring / 2).toBeGreaterThan(centre);
    expect(await page.textContent('#draw-mse-text')).toMatch(/Mean squared error per pixel: \d\.\d{4}/);

    // Pause stops progress; resume continues it.
    await page.click('#train-btn');
    await page.waitForSelector('#train-btn[aria-pressed="false"]:not([disabled])');
    const pausedAt = await steps(page);
    await page.waitForTimeout(1000); // not synchronisation: a second in which nothing may change
    expect(await steps(page)).toBe(pausedAt);
    await page.click('#train-btn');
    await waitForSteps(page, pausedAt + 20);
    await page.click('#train-btn');
    await page.waitForSelector('#train-btn[aria-pressed="false"]:not([disabled])');
    expect(await steps(page)).toBeGreaterThan(pausedAt);

    await screenshot(page, 'skeleton-desktop');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('lays out for a phone, and a finger draws', async () => {
    const { page } = await openPlayground(browser, { viewport: { width: 390, height: 844 } });
    const box = await page.locator('#draw-pad').boundingBox();
    expect(box.width).toBeLessThanOrEqual(390);
    await touchStroke(page, ONE);
    await page.waitForSelector('#draw-recon[data-filled="1"]');
    expect(mean(await canvasPixels(page, '#model-input'))).toBeGreaterThan(5);
    await screenshot(page, 'skeleton-phone');
    await page.context().close();
  });
});

describe('bad data', () => {
  it('a corrupt training file shows an error, and the page keeps working', async () => {
    const { page } = await openPlayground(browser, {
      before: (p) =>
        p.route('**/data/mnist-train.aeds.gz', (route) => route.fulfill({ status: 200, body: Buffer.from('this is not a dataset at all') })),
    });
    expectBanner(page, /mnist-train\.aeds\.gz.*(gzip|AEDS)/);
    await page.click('#train-btn');
    await page.waitForSelector('#error-banner:not([hidden])');
    expect(await page.textContent('#error-text')).toMatch(/mnist-train\.aeds\.gz.*(gzip|AEDS)/);
    await page.waitForSelector('#train-btn[aria-pressed="false"]:not([disabled])');
    // Drawing still works with the model the page already has.
    await drawStroke(page, ONE);
    await page.waitForSelector('#draw-recon[data-filled="1"]');
    await page.click('#error-close');
    expect(await page.isHidden('#error-banner')).toBe(true);
    await page.context().close();
  });

  it('a truncated test file is refused with a message that says so', async () => {
    const real = gunzipSync(readFileSync(new URL('../../web/public/data/mnist-test.aeds.gz', import.meta.url)));
    const truncated = gzipSync(real.subarray(0, 100_000));
    const { page } = await openPlayground(browser, {
      waitForTestSet: false,
      before: (p) => p.route('**/data/mnist-test.aeds.gz', (route) => route.fulfill({ status: 200, body: truncated })),
    });
    expectBanner(page, /mnist-test\.aeds\.gz.*truncated/);
    await page.waitForSelector('ae-playground[data-test-set="missing"]');
    expect(await page.textContent('#error-text')).toMatch(/mnist-test\.aeds\.gz.*truncated/);
    expect(await page.textContent('#dataset-status')).toContain('training still works');
    await drawStroke(page, ZERO);
    await page.waitForSelector('#draw-recon[data-filled="1"]');
    expect(await page.isEnabled('#train-btn')).toBe(true);
    await page.context().close();
  });
});
