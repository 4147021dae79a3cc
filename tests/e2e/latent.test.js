// Panel 4, The latent space: the map of 1,000 test codes (PCA in the engine above 2-D, said
// so), updating while training runs; hovering and clicking decode points; the drawing's own
// marker moves as the person draws; per-dimension sliders decode live; and for VAEs the
// manifold grid and samples from the prior.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ONE, canvasPixels, drawStroke, launch, mean, openPlayground, pauseTraining, screenshot, startTraining, waitForCanvasChange, waitForSteps } from './browser.js';

let browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const updates = (page) => page.evaluate(() => Number($ae('#latent-map').dataset.updates || 0));

describe('the latent map', () => {
  it('maps 1,000 test codes by class, says it uses PCA for 20-d codes, and updates while training', async () => {
    const { page, errors } = await openPlayground(browser, { hash: '#widths=128' });
    await page.waitForSelector('#latent-map[data-points="1000"][data-method="pca"]');
    expect(await page.textContent('#map-note')).toMatch(/^Latent size 20: .*principal components, computed in the engine\)\. They hold \d+% of the codes’ variance/);
    expect(await page.textContent('#axis-x')).toMatch(/^principal component 1 \(\d+% of variance\)$/);
    expect(await page.$$eval('#class-legend li', (lis) => lis.length)).toBe(10);
    // The points are drawn: class colours on the base layer.
    const ink = await page.evaluate(() => {
      const c = $ae('#latent-map');
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 3; i < d.length; i += 4) n += d[i] > 0 ? 1 : 0;
      return n / (d.length / 4);
    });
    expect(ink).toBeGreaterThan(0.02);
    const first = await updates(page);
    await startTraining(page);
    await waitForSteps(page, 50);
    await page.waitForFunction((n) => Number($ae('#latent-map').dataset.updates) >= n + 2, first, { timeout: 30_000 });
    await pauseTraining(page);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('hovering decodes a point, clicking picks it; the drawing is a marker that moves as it changes', async () => {
    const { page, errors } = await openPlayground(browser, { hash: '#widths=128' });
    await page.waitForSelector('#latent-map[data-points="1000"]');
    await drawStroke(page, ONE);
    await page.waitForFunction(() => $ae('#latent-overlay').dataset.marker);
    const one = await page.getAttribute('#latent-overlay', 'data-marker');
    await drawStroke(page, [[0.3, 0.2], [0.7, 0.2]]); // a bar on top: the code changes, and so does the marker
    await page.waitForFunction((m) => $ae('#latent-overlay').dataset.marker !== m, one);

    await page.locator('#latent-overlay').scrollIntoViewIfNeeded();
    const box = await page.locator('#latent-overlay').boundingBox();
    await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.4);
    await page.waitForFunction(() => $ae('#map-caption').textContent.startsWith('Pointing at: '));
    await page.waitForSelector('#map-decoded[data-filled="1"]');
    const hovered = await canvasPixels(page, '#map-decoded');
    await page.mouse.move(box.x + box.width * 0.7, box.y + box.height * 0.6);
    await waitForCanvasChange(page, '#map-decoded', hovered);
    await page.mouse.click(box.x + box.width * 0.5, box.y + box.height * 0.5);
    await page.waitForFunction(() => $ae('#map-caption').textContent.startsWith('Picked: '));
    const picked = (await page.textContent('#map-caption')).replace('Picked: ', '');
    expect(picked).toMatch(/^(Test image #\d+ \(\d\)|Map point \(-?\d+\.\d\d, -?\d+\.\d\d\))$/);

    // The picked point feeds the sliders and the interpolation.
    await page.click('#map-explore');
    expect(await page.textContent('#slider-source')).toBe(`Starting from: ${picked}`);
    expect(await page.isVisible('#slider-follow')).toBe(true);
    await page.click('#map-use-b');
    await page.waitForFunction((p) => $ae('#interp-b-label').textContent === p, picked);
    await screenshot(page, 'latent-desktop');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('per-dimension sliders change the code and decode live', async () => {
    const { page, errors } = await openPlayground(browser, { hash: '#widths=128&latent=6' });
    await page.waitForSelector('#latent-map[data-points="1000"]');
    expect(await page.$$eval('#latent-sliders input[type="range"]', (xs) => xs.map((x) => x.getAttribute('aria-label')))).toEqual(
      [1, 2, 3, 4, 5, 6].map((k) => `Latent dimension ${k}`),
    );
    await drawStroke(page, ONE);
    await page.waitForFunction(() => $ae('#slider-source').textContent === 'Starting from: Your drawing');
    await page.waitForSelector('#slider-decoded[data-filled="1"]');
    const before = await canvasPixels(page, '#slider-decoded');
    const value = await page.textContent('#latent-dim-0 + output');
    await page.focus('#latent-dim-0');
    await page.keyboard.press('End');
    await waitForCanvasChange(page, '#slider-decoded', before);
    expect(await page.textContent('#latent-dim-0 + output')).not.toBe(value);
    expect(mean(await canvasPixels(page, '#slider-decoded'))).toBeGreaterThan(0);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});

describe('VAE generation', () => {
  it('a 2-d VAE shows its codes directly, the manifold grid, and samples from the prior', async () => {
    const { page, errors } = await openPlayground(browser, { hash: '#variant=vae&widths=256' });
    await page.waitForSelector('#latent-map[data-points="1000"][data-method="axes"]');
    expect(await page.textContent('#map-note')).toBe('Latent size 2: the map shows each code exactly, its first number across and its second up.');
    expect(await page.isVisible('#vae-block')).toBe(true);
    expect(await page.isVisible('#vae-note')).toBe(false);
    await page.waitForSelector('#vae-manifold[data-filled="100"]');
    expect(await page.textContent('#vae-manifold-note')).toMatch(/^10×10 codes spaced by the quantiles of N\(0, 1\), from −1\.6 to \+1\.6 on each axis/);
    await page.click('#step-btn');
    await page.waitForFunction(() => $ae('#stat-steps').textContent === '1');
    await startTraining(page);
    await waitForSteps(page, 200);
    await pauseTraining(page);
    await page.selectOption('#vae-side', '6');
    await page.waitForSelector('#vae-manifold[data-filled="36"]');
    await page.click('#vae-sample');
    await page.waitForSelector('#vae-samples[data-filled="16"]');
    const a = await canvasPixels(page, '#vae-samples');
    expect(mean(a)).toBeGreaterThan(5);
    await page.click('#vae-sample');
    await waitForCanvasChange(page, '#vae-samples', a);
    await screenshot(page, 'vae-desktop');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('other models say why they cannot sample', async () => {
    const { page } = await openPlayground(browser);
    expect(await page.isVisible('#vae-block')).toBe(false);
    expect(await page.textContent('#vae-note')).toContain('Only a variational autoencoder');
    await page.context().close();
  });
});
