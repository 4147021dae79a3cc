// The two families issue 14 adds: the adversarial autoencoder (its prior in the settings, its
// discriminator's and generator's losses as lines of the chart, samples decoded from its prior)
// and the recurrent (sequence) autoencoder (its decoding replayed row by row).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ONE, canvasPixels, drawStroke, launch, mean, openPlayground, pauseTraining, screenshot, startTraining, waitForSteps } from './browser.js';

let browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const legend = (page) => page.$$eval('#loss-legend button', (bs) => bs.map((b) => b.textContent));

describe('the adversarial autoencoder', () => {
  it('trains with its prior, plots the discriminator and the generator apart, and samples from the prior', async () => {
    const { page, errors } = await openPlayground(browser, { hash: '#variant=aae&widths=128&weights=scratch' });
    await page.waitForSelector('#latent-map[data-points="1000"][data-method="axes"]');
    expect(await page.inputValue('#set-prior')).toBe('mixture');
    expect(await page.isVisible('#set-prior_labels')).toBe(true);
    expect(await page.isVisible('#set-adversarial_lr')).toBe(true);
    expect(await page.isVisible('#vae-block')).toBe(true);
    await startTraining(page);
    await waitForSteps(page, 60);
    await pauseTraining(page);
    await page.waitForFunction(() => $aeAll('#loss-legend button[data-series="disc"], #loss-legend button[data-series="gen"]').length === 2);
    // The reconstruction is the whole training loss here (a single term gets no line of its own);
    // the two players' losses are not terms of it, so they have their own lines.
    expect(await legend(page)).toEqual(expect.arrayContaining(['train loss', 'discriminator (AAE)', 'generator (AAE)']));
    await page.waitForSelector('#vae-manifold[data-filled="100"]');
    expect(await page.textContent('#vae-manifold-note')).toMatch(/^10×10 codes spaced by the codes’ own spread along each axis/);
    await page.click('#vae-sample');
    await page.waitForSelector('#vae-samples[data-filled="16"]');
    expect(mean(await canvasPixels(page, '#vae-samples'))).toBeGreaterThan(5);
    // The normal prior is another model: a rebuild, with the same lines once it trains.
    await page.selectOption('#set-prior', 'normal');
    await page.waitForSelector('#confirm-dialog[open]'); // the trained weights would be thrown away
    await page.click('#confirm-dialog [data-ok]');
    await page.waitForFunction(() => $ae('#stat-steps').textContent === '0');
    expect(new URL(page.url()).hash).toContain('prior=normal');
    expect(await page.isVisible('#set-prior_labels')).toBe(false);
    await screenshot(page, 'aae-desktop');
    expect(errors).toEqual([]);
    await page.context().close();
  });
});

describe('the shipped adversarial autoencoder', () => {
  it('choosing "Adversarial autoencoder" on pretrained weights loads the trained 2-D AAE, maps its codes on the plane and samples from its prior', async () => {
    const fetched = [];
    const { page, errors } = await openPlayground(browser, { before: (p) => p.on('request', (r) => r.url().includes('/models/') && fetched.push(r.url().split('/models/')[1])) });
    await page.waitForFunction(() => $ae('#model-picker').value === 'mnist-seed');
    expect(fetched).not.toContain('mnist-aae2d.aemf');
    await page.selectOption('#set-variant', 'aae');
    await page.waitForFunction(() => $ae('#model-picker').value === 'mnist-aae2d', null, { timeout: 60_000 });
    expect(fetched).toContain('mnist-aae2d.aemf');
    expect(await page.isVisible('#confirm-dialog')).toBe(false); // nothing trained here: nothing to lose
    expect(await page.inputValue('#set-latent')).toBe('2');
    expect(await page.inputValue('#set-prior')).toBe('mixture');
    await page.waitForSelector('#latent-map[data-points="1000"][data-method="axes"]');
    await page.click('#vae-sample');
    await page.waitForSelector('#vae-samples[data-filled="16"]');
    expect(mean(await canvasPixels(page, '#vae-samples'))).toBeGreaterThan(5);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});

describe('the recurrent autoencoder', () => {
  it('trains and replays its decoding row by row', async () => {
    const { page, errors } = await openPlayground(browser, { hash: '#variant=sequence&widths=32&latent=8' });
    await page.waitForSelector('#latent-map[data-points="1000"]');
    expect(await page.isVisible('#seq-block')).toBe(true);
    expect(await page.isVisible('#vae-block')).toBe(false);
    // No batch norm or dropout for its recurrent layers: the form does not offer them.
    expect(await page.$eval('#set-batchnorm', (el) => el.closest('.field').hidden)).toBe(true);
    expect(await page.$eval('#set-dropout', (el) => el.closest('.field').hidden)).toBe(true);
    await startTraining(page);
    await waitForSteps(page, 20);
    await pauseTraining(page);
    await drawStroke(page, ONE);
    await page.waitForFunction(() => $ae('#slider-source').textContent === 'Starting from: Your drawing');
    await page.click('#seq-play');
    // Rows appear one step at a time: a partial image first, then all 28 rows.
    await page.waitForFunction(() => Number($ae('#seq-decoded').dataset.rows) > 0 && Number($ae('#seq-decoded').dataset.rows) < 28);
    await page.waitForSelector('#seq-decoded[data-rows="28"]');
    expect(await page.textContent('#seq-step')).toBe('Step 28 of 28: row 28 written');
    expect(mean(await canvasPixels(page, '#seq-decoded'))).toBeGreaterThan(0);
    await screenshot(page, 'sequence-desktop');
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
