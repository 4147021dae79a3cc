// Shared helpers for the end-to-end tests: Debian's Chromium through playwright-core, and
// the few gestures and readings a user makes (draw a stroke, read a canvas, read a number).
//
// Every page opened with openPlayground is watched: each error banner the playground shows
// (its ae-error event), each console error and each uncaught page error is recorded, and after
// every test (tests/e2e/setup.js) checkPages() fails the test on any that it did not declare
// with expectBanner / expectConsoleError. An unexpected banner cannot pass the suite unseen.
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

/**
 * The playground lives in the shadow root of an <ae-playground> element, which
 * document.querySelector does not enter (Playwright's own selectors do). Functions the tests run
 * in the page use these instead: $ae(sel) and $aeAll(sel) search the first playground's shadow
 * root (or the n-th's: $ae(sel, n)), $aeActive() is the focused element inside it, $aeHost()
 * the element itself (it carries data-ready, data-test-set, …).
 */
function SHADOW_HELPERS() {
  const host = (n = 0) => document.querySelectorAll('ae-playground')[n] ?? null;
  const root = (n) => host(n)?.shadowRoot ?? document;
  window.$aeHost = host;
  window.$ae = (sel, n) => root(n).querySelector(sel);
  window.$aeAll = (sel, n) => root(n).querySelectorAll(sel);
  window.$aeActive = (n) => {
    let a = document.activeElement;
    while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
    return a === host(n) ? null : a;
  };
}

/** Pages opened since the last check, with what they showed and what the test expects. */
const watched = [];

function recordOf(page) {
  const r = watched.find((w) => w.page === page);
  if (!r) throw new Error('this page was not opened with openPlayground');
  return r;
}

/** Declares banners the test expects on `page` (strings: exact text; RegExps: a match). */
export function expectBanner(page, ...patterns) {
  recordOf(page).expectedBanners.push(...patterns);
}

/** Declares console or page errors the test expects on `page` (a refused download, …). */
export function expectConsoleError(page, ...patterns) {
  recordOf(page).expectedErrors.push(...patterns);
}

/** Banners the page has shown so far (texts, in order). */
export const bannersOf = (page) => [...recordOf(page).banners];

const matches = (text, patterns) => patterns.some((p) => (typeof p === 'string' ? text === p : p.test(text)));

/**
 * After each test: throws when a watched page showed a banner, or logged an error, that the
 * test did not declare. Forgets the pages either way.
 */
export function checkPages() {
  const problems = [];
  for (const w of watched.splice(0)) {
    for (const b of w.banners) if (!matches(b, w.expectedBanners)) problems.push(`unexpected banner: ${b.slice(0, 300)}`);
    for (const e of w.errors) if (!matches(e, w.expectedErrors)) problems.push(`unexpected console or page error: ${e.slice(0, 300)}`);
  }
  if (problems.length) throw new Error(problems.join('\n'));
}

export async function launch() {
  return chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ARGS });
}

/**
 * Opens the playground and waits until the engine is ready.
 * @returns {Promise<{page: import('playwright-core').Page, errors: string[]}>}
 */
export async function openPlayground(
  browser,
  { viewport = { width: 1280, height: 900 }, waitForTestSet = true, before, hash = '', query = '', reducedMotion = 'no-preference', acceptDownloads = false, serviceWorkers = 'block' } = {},
) {
  // The offline service worker stays out of the way unless a test is about it: routes a test
  // sets up (a missing or corrupt file) must see every request the page makes.
  const context = await browser.newContext({ viewport, hasTouch: viewport.width < 600, reducedMotion, acceptDownloads, serviceWorkers });
  await context.addInitScript(SHADOW_HELPERS);
  const page = await context.newPage();
  const errors = [];
  const record = { page, banners: [], errors, expectedBanners: [], expectedErrors: [] };
  watched.push(record);
  await context.exposeBinding('__aeBannerShown', (_source, message) => record.banners.push(message));
  await context.addInitScript(() => document.addEventListener('ae-error', (e) => window.__aeBannerShown(e.detail.message)));
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  if (before) await before(page);
  await page.goto(`${inject('baseURL')}${query}${hash}`);
  await page.waitForSelector('ae-playground[data-ready="1"]', { timeout: 30_000 });
  if (waitForTestSet) await page.waitForSelector('ae-playground[data-test-set="ready"]', { timeout: 30_000 });
  return { page, errors };
}

/** Draws a polyline given in fractions of the pad, as a mouse user would. */
export async function drawStroke(page, points, selector = '#draw-pad') {
  await page.locator(selector).scrollIntoViewIfNeeded();
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
    const c = $ae(sel);
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

/** Grey levels of every canvas matching `selector`, one after another. */
export function gridPixels(page, selector) {
  return page.$$eval(selector, (cs) =>
    cs.flatMap((c) => {
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      const out = [];
      for (let i = 0; i < d.length; i += 4) out.push(d[i]);
      return out;
    }),
  );
}

/** Resolves after the page has drawn two more frames. */
export const nextFrames = (page) => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));

/** Steps shown in the Train panel. */
export const steps = (page) => readNumber(page, '#stat-steps');

export const waitForSteps = (page, n, timeout = 60_000) =>
  page.waitForFunction((min) => Number($ae('#stat-steps').textContent.replace(/\D/g, '')) >= min, n, { timeout });

/** Starts training with the Train panel's button and waits until it runs. */
export async function startTraining(page) {
  await page.click('#train-btn');
  await page.waitForSelector('#train-btn[aria-pressed="true"]', { timeout: 60_000 });
}

export async function pauseTraining(page) {
  await page.click('#train-btn');
  await page.waitForSelector('#train-btn[aria-pressed="false"]:not([disabled])', { timeout: 30_000 });
}

/** Presses Tab until the element matching `selector` has the focus (keyboard only). */
export async function tabTo(page, selector, { max = 120, shift = false } = {}) {
  for (let i = 0; i < max; i++) {
    if (await page.evaluate((sel) => $aeActive()?.matches(sel), selector)) return;
    await page.keyboard.press(shift ? 'Shift+Tab' : 'Tab');
  }
  throw new Error(`Tab never reached ${selector}`);
}

/** Waits until the reconstruction shown is the one of the pad's latest drawing (the pen's last position). */
export function waitForReconstruction(page, timeout = 30_000) {
  return page.waitForFunction(() => $ae('#draw-pad').dataset.drawing === $ae('#draw-recon').dataset.drawing && $ae('#draw-recon').dataset.filled === '1', null, { timeout });
}

/** Waits until a canvas's grey levels are exactly `expected` (a redraw that is due). */
export function waitForCanvas(page, selector, expected, timeout = 10_000) {
  return page.waitForFunction(
    ({ sel, want }) => {
      const c = $ae(sel);
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      if (d.length / 4 !== want.length) return false;
      for (let i = 0, k = 0; i < d.length; i += 4, k++) if (d[i] !== want[k]) return false;
      return true;
    },
    { sel: selector, want: expected },
    { timeout },
  );
}

/** Waits until a canvas's pixels differ from `before` (grey levels from canvasPixels). */
export function waitForCanvasChange(page, selector, before, timeout = 30_000) {
  return page.waitForFunction(
    ({ sel, prev }) => {
      const c = $ae(sel);
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      if (d.length / 4 !== prev.length) return true;
      for (let i = 0, k = 0; i < d.length; i += 4, k++) if (d[i] !== prev[k]) return true;
      return false;
    },
    { sel: selector, prev: before },
    { timeout },
  );
}

/** The first number in a text: "error: 0.0123 (per pixel)" → 0.0123. */
export const numberIn = (text) => Number(String(text).match(/-?\d+(\.\d+)?(e-?\d+)?/)[0]);
