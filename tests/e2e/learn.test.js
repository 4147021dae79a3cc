// Panel 3, Watch it learn: the loss chart (train loss as it goes, test loss per epoch, one
// line per loss term, legend toggles, table), probe reconstructions that change while
// training runs, and the denoising triptych with its live noise level.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { canvasPixels, gridPixels, launch, meanAbsDiff, nextFrames, openPlayground, pauseTraining, screenshot, startTraining, waitForCanvasChange, waitForSteps } from './browser.js';

let browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const chartPixels = (page) =>
  page.evaluate(() => {
    const c = $ae('#loss-chart');
    return Array.from(c.getContext('2d').getImageData(0, 0, c.width, c.height).data.filter((_, i) => i % 4 === 3));
  });
const legend = (page) => page.$$eval('#loss-legend button', (bs) => bs.map((b) => b.textContent));
const rows = (page, row) => gridPixels(page, `#denoise-grid canvas[data-row="${row}"]`);

describe('the loss chart', () => {
  it('plots the train loss and each of its terms, a test dot per epoch, and toggles lines', async () => {
    const { page, errors } = await openPlayground(browser, { hash: '#variant=sparse&widths=64&weight_decay_l2=0.0005&batch_size=512&epochs=1' });
    expect(await legend(page)).toEqual([]);
    await startTraining(page);
    await page.waitForFunction(() => $ae('#epoch-label').textContent === 'Done: 1 of 1 epochs', null, { timeout: 90_000 });
    await page.waitForFunction(() => $aeAll('#loss-legend button').length === 5);
    expect(await legend(page)).toEqual(['train loss', 'reconstruction', 'sparsity', 'weight decay', 'test loss (per epoch)']);
    expect(await page.textContent('#loss-table-count')).toBe('(1 epoch)');
    const cells = await page.$$eval('#loss-table-body td', (tds) => tds.map((t) => t.textContent));
    expect(cells[2]).not.toBe('–'); // test reconstruction
    expect(cells[4]).not.toBe('–'); // sparsity
    expect(cells[5]).not.toBe('–'); // weight decay

    const all = await chartPixels(page);
    await page.click('#loss-legend button[data-series="sparsity"]');
    expect(await page.getAttribute('#loss-legend button[data-series="sparsity"]', 'aria-pressed')).toBe('false');
    await nextFrames(page);
    const without = await chartPixels(page);
    expect(meanAbsDiff(all, without)).toBeGreaterThan(0);
    await page.click('#loss-legend button[data-series="sparsity"]');
    await screenshot(page, 'learn-sparse-terms-desktop');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("a VAE's KL term gets its own line", async () => {
    const { page } = await openPlayground(browser, { hash: '#variant=vae&widths=64' });
    await page.click('#step-btn');
    await page.waitForFunction(() => $aeAll('#loss-legend button').length === 3);
    expect(await legend(page)).toEqual(['train loss', 'reconstruction', 'KL']);
    await page.context().close();
  });
});

describe('probe images', () => {
  it('the reconstructions change while training runs and approach the originals', async () => {
    const { page, errors } = await openPlayground(browser, { hash: '#widths=128' });
    const originals = await canvasPixels(page, '#probe-grid canvas[data-row="original"]');
    const untrained = await canvasPixels(page, '#probe-grid canvas[data-row="reconstruction"]');
    await startTraining(page);
    await waitForSteps(page, 40);
    await waitForCanvasChange(page, '#probe-grid canvas[data-row="reconstruction"]', untrained);
    const early = await canvasPixels(page, '#probe-grid canvas[data-row="reconstruction"]');
    await waitForSteps(page, 300);
    await waitForCanvasChange(page, '#probe-grid canvas[data-row="reconstruction"]', early);
    const later = await canvasPixels(page, '#probe-grid canvas[data-row="reconstruction"]');
    await pauseTraining(page);
    expect(meanAbsDiff(later, originals)).toBeLessThan(meanAbsDiff(untrained, originals) * 0.5);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});

describe('denoising', () => {
  it('shows noisy input, clean target and output, with the noise level adjustable live', async () => {
    const { page, errors } = await openPlayground(browser, { hash: '#variant=denoising&widths=128' });
    expect(await page.isVisible('#denoise-block')).toBe(true);
    expect(await page.textContent('#train-summary')).toContain('Gaussian noise 0.5');
    const clean = await rows(page, 'clean');
    expect(clean).toEqual(await gridPixels(page, '#probe-grid canvas[data-row="original"]'));
    const noisy = await rows(page, 'noisy');
    expect(meanAbsDiff(noisy, clean)).toBeGreaterThan(40);

    await startTraining(page);
    await waitForSteps(page, 150);
    const output = await rows(page, 'denoised');
    expect(meanAbsDiff(output, clean)).toBeLessThan(meanAbsDiff(noisy, clean));
    // Quieter noise, applied at once: the noisy row moves towards the clean one.
    await page.focus('#denoise-amount');
    for (let i = 0; i < 6; i++) await page.keyboard.press('ArrowLeft');
    await page.waitForFunction(() => $ae('#train-summary').textContent.includes('Gaussian noise 0.2'));
    await page.waitForFunction(() => $ae('#denoise-amount-out').textContent === '0.2');
    expect(await page.inputValue('#set-noise_amount')).toBe('0.2');
    await waitForCanvasChange(page, '#denoise-grid canvas[data-row="noisy"]', noisy.slice(0, 784));
    const quieter = await rows(page, 'noisy');
    expect(meanAbsDiff(quieter, clean)).toBeLessThan(meanAbsDiff(noisy, clean));
    expect(await page.getAttribute('#train-btn', 'aria-pressed')).toBe('true');

    // Masking drops pixels: every noisy pixel is either the clean one or black.
    await page.selectOption('#set-noise', 'masking');
    await page.waitForFunction(() => $ae('#train-summary').textContent.includes('masking noise 0.2')); // the level set by hand stays
    await page.waitForFunction(() => {
      const noisy = [...$aeAll('#denoise-grid canvas[data-row="noisy"]')];
      const clean = [...$aeAll('#denoise-grid canvas[data-row="clean"]')];
      return noisy.every((c, k) => {
        const a = c.getContext('2d').getImageData(0, 0, 28, 28).data;
        const b = clean[k].getContext('2d').getImageData(0, 0, 28, 28).data;
        for (let i = 0; i < a.length; i += 4) if (a[i] !== 0 && a[i] !== b[i]) return false;
        return true;
      });
    });
    await pauseTraining(page);
    await screenshot(page, 'denoising-desktop');
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
