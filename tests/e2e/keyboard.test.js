// One whole session with the keyboard only: draw a digit on the pad, train, change the
// learning rate while it trains, pause, explore the latent map, choose A, play and scrub the
// interpolation. Every step is reached with Tab and worked with keys; nothing is clicked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { canvasPixels, launch, mean, openPlayground, screenshot, tabTo, waitForSteps } from './browser.js';

let browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const press = async (page, key, times = 1) => {
  for (let i = 0; i < times; i++) await page.keyboard.press(key);
};
const focusRing = (page) => page.evaluate(() => getComputedStyle($aeActive()).outlineStyle);

describe('keyboard only', () => {
  it('draws, trains, tunes, explores and interpolates without a pointer', async () => {
    const { page, errors } = await openPlayground(browser, { hash: '#widths=256' });
    await press(page, 'Tab');
    expect(await page.evaluate(() => $aeActive().textContent)).toBe('Skip to the drawing pad');

    // Draw a "1": the pen starts in the middle; up, pen down, down, pen up.
    await tabTo(page, '#draw-pad');
    expect(await page.isVisible('#pad-cursor')).toBe(true);
    expect(await focusRing(page)).not.toBe('none');
    await press(page, 'ArrowUp', 7);
    await press(page, ' ');
    await press(page, 'ArrowDown', 14);
    await press(page, ' ');
    await page.waitForSelector('#draw-recon[data-filled="1"]');
    expect(await page.textContent('#draw-source')).toBe('Your drawing');
    const input = await canvasPixels(page, '#model-input');
    expect(mean(input)).toBeGreaterThan(10);
    // A vertical stroke: the model input's ink sits in the middle columns.
    const columns = Array.from({ length: 28 }, (_, x) => input.filter((_, i) => i % 28 === x).reduce((a, b) => a + b, 0));
    expect(columns.slice(12, 16).reduce((a, b) => a + b, 0)).toBeGreaterThan(0.6 * columns.reduce((a, b) => a + b, 0));
    await press(page, 'Control+z');
    await page.waitForFunction(() => !$ae('#draw-recon').dataset.filled);
    await press(page, 'ArrowUp', 7); // the cursor stayed at the stroke's end: back to the top
    await press(page, ' ');
    await press(page, 'ArrowDown', 14);
    await press(page, 'Escape'); // Escape lifts the pen too
    await page.waitForSelector('#draw-recon[data-filled="1"]');

    // Train, and speed up the learning rate while it runs.
    await tabTo(page, '#train-btn');
    expect(await focusRing(page)).not.toBe('none');
    await press(page, 'Enter');
    await page.waitForSelector('#train-btn[aria-pressed="true"]', { timeout: 60_000 });
    await waitForSteps(page, 80);
    expect(await page.textContent('#live-status')).toBe('Training started.');
    await tabTo(page, '#set-lr');
    await press(page, 'ArrowRight', 2);
    await page.waitForFunction(() => $ae('#train-summary').textContent.includes('learning rate 0.0013'));
    await tabTo(page, '#train-btn', { shift: true });
    await press(page, ' ');
    await page.waitForSelector('#train-btn[aria-pressed="false"]:not([disabled])');
    await page.waitForFunction(() => $ae('#live-status').textContent.startsWith('Training paused after'));
    expect(await page.textContent('#draw-mse-text')).toMatch(/^Mean squared error per pixel: \d\.\d{4}/);

    // The latent map: a cursor in the middle, moved with arrows, Enter picks.
    await tabTo(page, '#latent-overlay');
    await press(page, 'ArrowLeft', 3);
    await page.waitForFunction(() => $ae('#map-caption').textContent.startsWith('Pointing at: Map point'));
    await press(page, 'Enter');
    await page.waitForFunction(() => $ae('#map-caption').textContent.startsWith('Picked: Map point'));
    const picked = (await page.textContent('#map-caption')).replace('Picked: ', '');
    await tabTo(page, '#map-use-a');
    await press(page, 'Enter');
    await page.waitForFunction((p) => $ae('#interp-a-label').textContent === p, picked);

    // Interpolation: play and pause with Space, scrub with End and Home.
    await tabTo(page, '#interp-play');
    await press(page, ' ');
    expect(await page.getAttribute('#interp-play', 'aria-pressed')).toBe('true');
    await page.waitForFunction(() => Number($ae('#interp-frame').dataset.frame) > 5);
    await press(page, ' ');
    expect(await page.getAttribute('#interp-play', 'aria-pressed')).toBe('false');
    await tabTo(page, '#interp-scrub');
    await press(page, 'End');
    await page.waitForFunction(() => $ae('#interp-frame').dataset.frame === '47');
    await press(page, 'Home');
    await page.waitForFunction(() => $ae('#interp-frame').dataset.frame === '0');
    await screenshot(page, 'keyboard-session-desktop');
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
