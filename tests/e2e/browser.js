// Shared helpers for the end-to-end tests: Debian's Chromium through playwright-core, and
// the few gestures and readings a user makes (draw a stroke, read a canvas, read a number).
import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { inject } from 'vitest';

export const SCREENSHOTS = new URL('../../test-results/screenshots/', import.meta.url).pathname;

const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function launch() {
  return chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ARGS });
}

/**
 * Opens the playground and waits until the engine is ready.
 * @returns {Promise<{page: import('playwright-core').Page, errors: string[]}>}
 */
export async function openPlayground(browser, { viewport = { width: 1280, height: 900 }, waitForTestSet = true, before } = {}) {
  const context = await browser.newContext({ viewport, hasTouch: viewport.width < 600 });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  if (before) await before(page);
  await page.goto(inject('baseURL'));
  await page.waitForSelector('body[data-ready="1"]', { timeout: 30_000 });
  if (waitForTestSet) await page.waitForSelector('body[data-test-set="ready"]', { timeout: 30_000 });
  return { page, errors };
}

/** Draws a polyline given in fractions of the pad, as a mouse user would. */
export async function drawStroke(page, points, selector = '#draw-pad') {
  const box = await page.locator(selector).boundingBox();
  const at = ([fx, fy]) => [box.x + fx * box.width, box.y + fy * box.height];
  await page.mouse.move(...at(points[0]));
  await page.mouse.down();
  for (let i = 1; i < points.length; i++) {
    const [x0, y0] = at(points[i - 1]);
    const [x1, y1] = at(points[i]);
    for (let k = 1; k <= 4; k++) await page.mouse.move(x0 + ((x1 - x0) * k) / 4, y0 + ((y1 - y0) * k) / 4);
  }
  await page.mouse.up();
}

/** Draws a polyline with a finger: real touch input through the DevTools protocol. */
export async function touchStroke(page, points, selector = '#draw-pad') {
  const box = await page.locator(selector).boundingBox();
  const cdp = await page.context().newCDPSession(page);
  const at = ([fx, fy]) => ({ x: box.x + fx * box.width, y: box.y + fy * box.height, id: 1 });
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [at(points[0])] });
  for (let i = 1; i < points.length; i++) {
    const [x0, y0] = points[i - 1];
    const [x1, y1] = points[i];
    for (let k = 1; k <= 4; k++)
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [at([x0 + ((x1 - x0) * k) / 4, y0 + ((y1 - y0) * k) / 4])] });
  }
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  await cdp.detach();
}

export const ONE = [
  [0.52, 0.18],
  [0.5, 0.5],
  [0.48, 0.82],
];
export const ZERO = Array.from({ length: 25 }, (_, i) => {
  const a = (i / 24) * 2 * Math.PI;
  return [0.5 + 0.22 * Math.sin(a), 0.5 - 0.32 * Math.cos(a)];
});

/** Grey levels (0–255) of a canvas, read the way the page drew them. */
export function canvasPixels(page, selector) {
  return page.evaluate((sel) => {
    const c = document.querySelector(sel);
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    const out = [];
    for (let i = 0; i < d.length; i += 4) out.push(d[i]);
    return out;
  }, selector);
}

export const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
export const meanAbsDiff = (a, b) => mean(a.map((v, i) => Math.abs(v - b[i])));

/** Reads a number shown in the page ("8,947" → 8947). */
export async function readNumber(page, selector) {
  const text = await page.textContent(selector);
  return Number(text.replace(/[^0-9.\-e]/g, ''));
}

export async function screenshot(page, name) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOTS}${name}.png`, fullPage: true });
}
