// For everyone: the same page on a desktop, a tablet and a phone (it reflows, nothing
// overflows sideways, a finger draws), every control has an accessible name, and the colours
// are the colour-blind-safe palette. Screenshots of each size land in test-results/screenshots.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { formatDuration, formatInt, formatLoss } from '../../web/src/lib/format.js';
import { ONE, ZERO, canvasPixels, drawStroke, launch, mean, openPlayground, pauseTraining, screenshot, startTraining, touchStroke, waitForSteps } from './browser.js';

let browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const SIZES = [
  { name: 'desktop', viewport: { width: 1280, height: 900 }, columns: 2 },
  { name: 'tablet', viewport: { width: 820, height: 1180 }, columns: 1 },
  { name: 'phone', viewport: { width: 390, height: 844 }, columns: 1 },
];

describe('layouts', () => {
  for (const size of SIZES) {
    it(`works and fits at ${size.name} size (${size.viewport.width}×${size.viewport.height})`, async () => {
      const { page, errors } = await openPlayground(browser, { viewport: size.viewport, hash: '#widths=256' });
      // Nothing scrolls sideways; every panel fits the width.
      const fit = await page.evaluate(() => ({
        scroll: document.documentElement.scrollWidth,
        width: innerWidth,
        panels: [...$aeAll('.panel')].map((p) => p.getBoundingClientRect()).map((r) => [Math.round(r.left), Math.round(r.right)]),
      }));
      expect(fit.scroll).toBeLessThanOrEqual(fit.width);
      for (const [l, r] of fit.panels) expect(l >= 0 && r <= fit.width).toBe(true);
      const columns = new Set(fit.panels.map(([l]) => l)).size;
      expect(columns).toBe(size.columns);

      // The pad is big enough for a finger and draws with one on a phone.
      const pad = await page.locator('#draw-pad').boundingBox();
      expect(pad.width).toBeGreaterThanOrEqual(250);
      if (size.name === 'phone') await touchStroke(page, ZERO);
      else await drawStroke(page, ONE);
      await page.waitForSelector('#draw-recon[data-filled="1"]');
      expect(mean(await canvasPixels(page, '#model-input'))).toBeGreaterThan(5);

      await startTraining(page);
      await waitForSteps(page, 150);
      await pauseTraining(page);
      await page.waitForSelector('#interp-strip[data-filled="1"]');
      // Buttons are comfortable targets.
      // (Glossary terms inside sentences are text links, exempt like inline links.)
      const small = await page.$$eval('button:not(.term)', (bs) => bs.filter((b) => b.offsetParent && b.getBoundingClientRect().height < 30).map((b) => b.textContent));
      expect(small).toEqual([]);
      await screenshot(page, `playground-${size.name}`);
      // The training stats hold their longest values whole (a long run's time left, a fast
      // machine's speed, the steps of many epochs): nothing ellipsized.
      const longest = { 'stat-left': formatDuration(3_599_000), 'stat-elapsed': formatDuration(3_599_000), 'stat-speed': formatInt(123_456), 'stat-steps': formatInt(4_690_000), 'stat-train': formatLoss(543.21) };
      const cut = await page.evaluate((values) => Object.entries(values).flatMap(([id, text]) => {
        const el = $ae(`#${id}`);
        el.textContent = text;
        return el.scrollWidth > el.clientWidth + 1 ? [`${id}: “${text}” ${el.scrollWidth} > ${el.clientWidth} px`] : [];
      }), longest);
      expect(cut).toEqual([]);
      // The latent map's inspector keeps its contents inside it: its class legend, ten digits in a
      // row, once ran into the sliders beside it at desktop width.
      const spill = await page.evaluate(() => {
        const box = $ae('.inspector').getBoundingClientRect();
        return [...$ae('.inspector').querySelectorAll('*')]
          .filter((e) => e.getClientRects().length)
          .map((e) => [e.id || e.textContent.trim().slice(0, 20), e.getBoundingClientRect()])
          .filter(([, r]) => r.right > box.right + 1 || r.left < box.left - 1)
          .map(([what, r]) => `${what}: ${Math.round(r.left)}–${Math.round(r.right)} outside ${Math.round(box.left)}–${Math.round(box.right)}`);
      });
      expect(spill).toEqual([]);
      // The drawing's four pictures (what the model sees, the code, the reconstruction, the
      // difference) sit two by two at every size: three to a row left the difference alone on a
      // phone.
      const rows = await page.evaluate(() => {
        const tops = [...$aeAll('#draw-panel .pipeline figure')].map((f) => Math.round(f.getBoundingClientRect().top));
        return [...new Set(tops)].map((t) => tops.filter((x) => x === t).length);
      });
      expect(rows).toEqual([2, 2]);
      // A checkbox setting reads like the others: its help line under it, not squeezed beside it
      // (in Chinese on a phone its label broke in two).
      await page.evaluate(() => $aeAll('#settings details').forEach((d) => (d.open = true)));
      const beside = await page.evaluate(() =>
        [...$aeAll('.field-check')].flatMap((f) => {
          const head = f.querySelector('.field-head').getBoundingClientRect(), help = f.querySelector('.field-help').getBoundingClientRect();
          return help.top >= head.bottom - 1 ? [] : [`${f.querySelector('input').name}: help at ${Math.round(help.top)}, above the head's bottom ${Math.round(head.bottom)}`];
        }),
      );
      expect(beside).toEqual([]);
      expect(errors).toEqual([]);
      await page.context().close();
    });
  }
});

describe('accessibility', () => {
  it('every control has an accessible name, and every picture a description', async () => {
    const { page } = await openPlayground(browser, { hash: '#variant=denoising&widths=64' });
    await page.click('#step-btn');
    await page.waitForSelector('#loss-legend button');
    const unnamed = await page.evaluate(() => {
      const text = (el) => (el?.textContent ?? '').trim();
      const name = (el) => {
        if (el.getAttribute('aria-label')) return el.getAttribute('aria-label');
        const by = el.getAttribute('aria-labelledby');
        if (by) return by.split(' ').map((id) => text($ae(`#${id}`))).join(' ');
        if (el.labels?.length) return [...el.labels].map(text).join(' ');
        if (['BUTTON', 'SUMMARY', 'A'].includes(el.tagName)) return text(el);
        return el.title ?? '';
      };
      const controls = $aeAll('button, input, select, textarea, summary, a[href], [tabindex="0"], canvas[role="img"], [role="group"]');
      return [...controls].filter((el) => !name(el).trim()).map((el) => el.outerHTML.slice(0, 80));
    });
    expect(unnamed).toEqual([]);
    // The live region for training progress is polite; the error banner is an alert.
    expect(await page.getAttribute('#live-status', 'aria-live')).toBe('polite');
    expect(await page.getAttribute('#error-banner', 'role')).toBe('alert');
    await page.context().close();
  });

  it('draws classes and loss lines in the colour-blind-safe palette', async () => {
    const { page } = await openPlayground(browser);
    const okabeIto = ['#000000', '#e69f00', '#56b4e9', '#009e73', '#f0e442', '#0072b2', '#d55e00', '#cc79a7'];
    const extra = ['#8a7a00', '#7f7f7f', '#882255', '#1b2130']; // darkened yellow, grey, wine, ink
    const vars = await page.evaluate(() => {
      const cs = getComputedStyle($aeHost());
      const names = [...Array(10).keys()].map((k) => `--class-${k}`).concat(['--series-total', '--series-recon', '--series-kl', '--series-sparsity', '--series-wd', '--series-test']);
      const ctx = document.createElement('canvas').getContext('2d');
      return names.map((n) => {
        ctx.fillStyle = cs.getPropertyValue(n).trim(); // normalises #825 to #882255, as canvas code sees it
        return ctx.fillStyle;
      });
    });
    for (const v of vars) expect([...okabeIto, ...extra]).toContain(v);
    expect(new Set(vars.slice(0, 10)).size).toBe(10);
    await page.context().close();
  });
});
