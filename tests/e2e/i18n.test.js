// Two languages, as a learner meets them: the switch in the page (the choice goes into the link
// and onto the element), the page in Chinese with no English left in it after every panel has
// been used, the Chinese layout at phone, tablet and desktop sizes (screenshots in
// test-results/screenshots/zh-*.png; nothing clipped, nothing overlapping), the guided tour end
// to end in both languages (it acts only on Next or Space, and resumes after a reload), and the
// formulas tied to the chart and to the drawing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ONE, SCREENSHOTS, ZERO, drawStroke, expectBanner, launch, openPlayground, pauseTraining, screenshot, touchStroke, waitForSteps } from './browser.js';

let browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const CJK = /[\u4e00-\u9fff]/;
/** No error banner is showing (in any playground on the page). */
const noBanner = (page) => page.evaluate(() => [...document.querySelectorAll('ae-playground')].every((h) => h.shadowRoot.querySelector('#error-banner').hidden));
const text = (page, sel) => page.evaluate((s) => $ae(s)?.textContent ?? null, sel);

/**
 * The English words left in the playground's shadow root (text and accessible names, hidden
 * parts included), other than names, units and symbols that stay as they are in Chinese.
 */
function englishLeft(page) {
  return page.evaluate(() => {
    // Names, units and symbols that stay as they are (MB, log, Wx, z1…), and the English of a term
    // given in full-width brackets after the Chinese, as the seed tutorials do: 轮（epoch）.
    const KEEP = new Set(['AEMF', 'MB', 'log', 'Wx', 'sigmoid', 'Kullback', 'Leibler', 'MNIST', 'Fashion', 'ReLU', 'Leaky', 'Sigmoid', 'tanh', 'Adam', 'SGD', 'RMSprop', 'BCE', 'MSE', 'KL', 'VAE', 'PCA', 'PNG', 'GIF', 'JPEG',
      'aemf', 'npz', 'WebAssembly', 'Web', 'Worker', 'wasm', 'simd128', 'English', 'NaN', 'Ctrl', 'Esc', 'Enter', 'Tab', 'Space', 'AE', 'L2', 'Dropout', 'json', 'models', 'manifest',
      'PSNR', 'SSIM', 'dB', 'AUC', 'ROC', 'F1', 'float32']);
    const words = new Map();
    const note = (s, where) => {
      // (and the engine's backend names, wasm-simd128 and wasm-relaxed-simd, which are identifiers)
      const t = String(s).replace(/（[A-Za-z\s-]+）/g, '').replace(/\bwasm-relaxed-simd\b/g, '');
      for (const w of t.match(/[A-Za-z][A-Za-z0-9]+/g) ?? []) if (!KEEP.has(w) && !/^z\d+$/.test(w)) words.set(w, where);
    };
    const root = $aeHost().shadowRoot;
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const p = n.parentElement;
      if (!p || p.closest('style, script, .katex, [lang="en"]')) continue; // maths, and the switch's own "English"
      note(n.textContent, p.id || p.className || p.tagName);
    }
    for (const el of root.querySelectorAll('*')) {
      if (el.closest('.katex, [lang="en"]')) continue;
      for (const a of ['aria-label', 'title', 'aria-valuetext', 'aria-roledescription', 'placeholder', 'alt']) if (el.hasAttribute(a)) note(el.getAttribute(a), `${el.id || el.tagName}[${a}]`);
    }
    return Object.fromEntries(words);
  });
}

describe('languages', () => {
  it('switches in the page; the choice goes into the link, onto the element and survives a reload', async () => {
    const { page, errors } = await openPlayground(browser);
    expect(await text(page, 'h1')).toBe('Autoencoder Playground');
    expect(await page.getAttribute('#lang-switch [data-lang="en"]', 'aria-pressed')).toBe('true');
    await page.click('#lang-switch [data-lang="zh"]');
    await page.waitForFunction(() => $ae('.ae-app').dataset.lang === 'zh');
    expect(await text(page, 'h1')).toBe('自编码器游乐场');
    expect(await page.evaluate(() => $ae('.ae-app').lang)).toBe('zh-Hans');
    expect(await page.evaluate(() => [document.documentElement.lang, document.title])).toEqual(['zh-Hans', '自编码器游乐场']);
    expect(await page.evaluate(() => location.hash)).toContain('lang=zh');
    // Numbers and durations follow the language; texts set while in English were re-rendered.
    expect(await text(page, '#train-btn')).toMatch(CJK);
    expect(await text(page, '#epoch-label')).toMatch(CJK);
    await page.reload();
    await page.waitForSelector('ae-playground[data-ready="1"]');
    await page.waitForFunction(() => $ae('.ae-app').dataset.lang === 'zh');
    expect(await text(page, '#draw-title')).toBe('1绘制');

    // An element on a course page: its lang attribute chooses, and the switch writes it back.
    await page.evaluate(() => document.body.insertAdjacentHTML('beforeend', '<ae-playground id="second" lang="en" panels="draw" storage="i18n-test"></ae-playground>'));
    await page.waitForSelector('#second[data-ready="1"]', { timeout: 30_000 });
    await page.waitForFunction(() => $ae('.ae-app', 1).dataset.lang === 'en');
    expect(await page.evaluate(() => $ae('#draw-title', 1).textContent)).toBe('1Draw');
    await page.evaluate(() => document.querySelector('#second').setAttribute('lang', 'zh'));
    await page.waitForFunction(() => $ae('#draw-title', 1).textContent === '1绘制');
    await page.evaluate(() => $ae('#lang-switch [data-lang="en"]', 1).click());
    await page.waitForFunction(() => document.querySelector('#second').getAttribute('lang') === 'en' && $ae('#draw-title', 1).textContent === '1Draw');
    expect(await noBanner(page)).toBe(true);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('in Chinese, every part of the page speaks Chinese after each panel has been used', async () => {
    const { page, errors } = await openPlayground(browser, { hash: '#lang=zh&variant=vae&widths=256,128' });
    await drawStroke(page, ZERO);
    await page.waitForSelector('#draw-recon[data-filled="1"]');
    await page.click('#test-random');
    await page.evaluate(() => {
      for (const d of $aeAll('details')) d.open = true;
    });
    await page.click('#train-panel .help-btn');
    await page.click('#step-btn');
    await page.waitForSelector('#loss-legend button');
    await page.waitForSelector('#formulas[data-ready="1"]');
    await page.hover('#latent-overlay');
    await page.click('#vae-sample');
    await page.click('#glossary-open');
    await page.waitForSelector('#glossary[open]');
    expect(JSON.stringify(await englishLeft(page))).toBe("{}");
    await page.keyboard.press('Escape');
    // An error from the engine is said in Chinese too: a file that is not a model.
    expectBanner(page, '“笔记.aemf”没有载入：这不是模型文件（.aemf）：它不是以 AEMF 标记开头的');
    await page.setInputFiles('#model-file', { name: '笔记.aemf', mimeType: 'application/octet-stream', buffer: Buffer.from('hello, this is not a model file at all') });
    await page.waitForSelector('#error-banner:not([hidden])');
    expect(await text(page, '#error-text')).toMatch(CJK);
    expect(JSON.stringify(await englishLeft(page))).toBe("{}");
    expect(errors).toEqual([]);
    await page.context().close();
  });
});

const SIZES = [
  { name: 'phone', viewport: { width: 390, height: 844 } },
  { name: 'tablet', viewport: { width: 820, height: 1180 } },
  { name: 'desktop', viewport: { width: 1280, height: 900 } },
];

/** Text cut off or boxes on top of each other, among the playground's visible controls and labels. */
function layoutFaults(page) {
  return page.evaluate(() => {
    const faults = [];
    const visible = (el) => el.offsetParent !== null && el.getClientRects().length > 0;
    const sel = 'button, label, summary, legend, dt, dd, figcaption, h1, h2, h3, option, .readout, .field-help, .stats div, .tour-card p';
    for (const el of $aeAll(sel)) {
      if (!visible(el) || el.closest('.katex')) continue;
      const cs = getComputedStyle(el);
      // Clipped: content wider or taller than the box that hides its overflow.
      if (cs.overflow !== 'visible' && (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 2)) faults.push(`clipped: ${el.id || el.className || el.tagName} “${el.textContent.trim().slice(0, 30)}”`);
    }
    // Overlapping: siblings in a toolbar or a grid drawn over each other.
    for (const box of $aeAll('.toolbar, .stats, .settings-grid, .pipeline, .page-tools, .button-stack, .latent-grid')) {
      const kids = [...box.children].filter(visible).map((k) => [k, k.getBoundingClientRect()]);
      for (let i = 0; i < kids.length; i++) {
        for (let j = i + 1; j < kids.length; j++) {
          const [a, ra] = kids[i];
          const [b, rb] = kids[j];
          const w = Math.min(ra.right, rb.right) - Math.max(ra.left, rb.left);
          const h = Math.min(ra.bottom, rb.bottom) - Math.max(ra.top, rb.top);
          if (w > 2 && h > 2) faults.push(`overlap in ${box.id || box.className}: ${a.id || a.tagName} / ${b.id || b.tagName}`);
        }
      }
    }
    if (document.documentElement.scrollWidth > innerWidth) faults.push(`the page scrolls sideways: ${document.documentElement.scrollWidth} > ${innerWidth}`);
    return faults;
  });
}

describe('the Chinese page at three sizes', () => {
  for (const size of SIZES) {
    it(`lays out in Chinese at ${size.name} size (${size.viewport.width}×${size.viewport.height}), nothing clipped or overlapping`, async () => {
      const { page, errors } = await openPlayground(browser, { viewport: size.viewport, hash: '#lang=zh' });
      if (size.name === 'phone') await touchStroke(page, ONE);
      else await drawStroke(page, ONE);
      await page.waitForSelector('#draw-recon[data-filled="1"]');
      await page.click('#draw-panel .help-btn');
      await page.click('[data-key="lr"] .help-btn');
      // A setting's "?" says why it matters; what it is stays the line under the control, said once.
      const lr = await page.evaluate(() => ({ hint: $ae('[data-key="lr"] .field-help').textContent, tip: $ae('[data-key="lr"] .help-area').textContent }));
      expect(lr.tip).toMatch(/^为什么在这里重要：\s*\S/);
      expect(lr.tip).not.toContain(lr.hint);
      await page.evaluate(() => $ae('#formulas').scrollIntoView());
      await page.waitForSelector('#formulas[data-ready="1"]');
      expect(await layoutFaults(page)).toEqual([]);
      await screenshot(page, `zh-${size.name}`);
      // The tour's card on top of the page, at this size.
      await page.click('#tour-take');
      await page.waitForSelector('#tour:popover-open');
      expect(await layoutFaults(page)).toEqual([]);
      await page.screenshot({ path: `${SCREENSHOTS}zh-${size.name}-tour.png` });
      expect(await noBanner(page)).toBe(true);
    expect(errors).toEqual([]);
      await page.context().close();
    });
  }
});

/** Presses Space in the tour's card (its title has the focus after each step, Next after an action). */
async function space(page) {
  const inCard = await page.evaluate(() => Boolean($aeActive()?.closest('#tour')));
  if (!inCard) await page.focus('#tour-title');
  await page.keyboard.press('Space');
}

describe('the guided tour', () => {
  for (const lang of ['en', 'zh']) {
    it(`runs end to end in ${lang === 'en' ? 'English' : 'Chinese'}, acting only on Next or Space, and resumes after a reload`, async () => {
      const { page, errors } = await openPlayground(browser, { hash: `#lang=${lang}` });
      // The first visit offers the tour.
      await page.waitForSelector('#welcome-offer:not([hidden])');
      await page.click('#welcome-start');
      await page.waitForSelector('#tour:popover-open');
      const steps = ['draw', 'input', 'code', 'recon', 'train', 'loss', 'map', 'interp', 'end'];
      const targets = { draw: 'draw-pad', input: 'model-input-figure', code: 'draw-code-figure', recon: 'draw-recon-figure', train: 'train-controls', loss: 'learn-chart', map: 'latent-map-figure', interp: 'interp-player' };
      for (const [i, id] of steps.entries()) {
        await page.waitForFunction((s) => $ae('#tour').dataset.step === s, id);
        const state = await page.evaluate(() => ({
          count: $ae('#tour-count').textContent,
          title: $ae('#tour-title').textContent,
          text: $ae('#tour-text').textContent,
          focus: $aeActive()?.id,
          targets: [...$aeAll('.tour-target')].map((t) => t.id),
          next: $ae('#tour-next').dataset.action,
        }));
        expect(state.count).toBe(lang === 'en' ? `Step ${i + 1} of ${steps.length}` : `第 ${i + 1} 步，共 ${steps.length} 步`);
        expect(CJK.test(state.title + state.text)).toBe(lang === 'zh');
        expect(state.focus).toBe('tour-title'); // screen readers start at the step's title
        expect(state.targets).toEqual(targets[id] ? [targets[id]] : []);
        if (id === 'draw') {
          // Nothing happens until the learner asks: the pad is still blank.
          await page.waitForTimeout(400);
          expect(await page.evaluate(() => $ae('#draw-recon').dataset.filled)).toBeUndefined();
          expect(state.next).toBe('draw');
          await space(page);
          await page.waitForSelector('#draw-recon[data-filled="1"]');
          await page.waitForSelector('#tour-next[data-action="next"]');
          expect(await page.evaluate(() => $ae('#draw-code').dataset.values.split(',').length)).toBe(20);
        }
        if (id === 'train') {
          expect(await page.getAttribute('#train-btn', 'aria-pressed')).toBe('false');
          await space(page);
          await page.waitForSelector('#train-btn[aria-pressed="true"]', { timeout: 60_000 });
          await page.waitForSelector('#tour-next[data-action="next"]');
        }
        if (id === 'interp') {
          await space(page);
          await page.waitForSelector('#interp-play[aria-pressed="true"]');
          await page.waitForSelector('#tour-next[data-action="next"]');
        }
        if (id === 'loss') await waitForSteps(page, 20);
        await space(page);
      }
      await page.waitForFunction(() => !$ae('#tour').matches(':popover-open'));
      expect(await page.evaluate(() => $aeAll('.tour-target').length)).toBe(0);
      expect(await text(page, '#tour-take')).toBe(lang === 'en' ? 'Take the tour' : '开始导览');
      await pauseTraining(page);

      // Resumable: leave at step 3 with Escape; after a reload the header offers to resume there.
      await page.click('#tour-take');
      await page.waitForSelector('#tour:popover-open');
      await space(page); // draws the 3 again…
      await page.waitForSelector('#tour-next[data-action="next"]');
      await space(page); // …then moves on
      await page.waitForFunction(() => $ae('#tour').dataset.step === 'input');
      await page.click('#tour-next');
      await page.waitForFunction(() => $ae('#tour').dataset.step === 'code');
      await page.keyboard.press('Escape');
      await page.waitForFunction(() => !$ae('#tour').matches(':popover-open'));
      const resume = lang === 'en' ? 'Resume the tour (step 3 of 9)' : '继续导览（第 3 步，共 9 步）';
      expect(await text(page, '#tour-take')).toBe(resume);
      await page.reload();
      await page.waitForSelector('ae-playground[data-ready="1"]');
      await page.waitForFunction((r) => $ae('#tour-take').textContent === r, resume);
      expect(await page.evaluate(() => $ae('#welcome-offer').hidden)).toBe(true); // seen: not offered again
      await page.click('#tour-take');
      await page.waitForFunction(() => $ae('#tour').dataset.step === 'code');
      await page.click('#tour-skip');
      expect(await noBanner(page)).toBe(true);
    expect(errors).toEqual([]);
      await page.context().close();
    });
  }
});

describe('formulas tied to what moves', () => {
  it('a loss term and its chart line pick each other out; a VAE shows the drawing’s μ and σ', async () => {
    const { page, errors } = await openPlayground(browser, { hash: '#variant=vae&widths=256,128' });
    await page.evaluate(() => $ae('#formulas').scrollIntoView());
    await page.waitForSelector('#formulas[data-ready="1"]');
    // The VAE's loss: reconstruction + KL, each term in its line's colour.
    expect(await page.$$eval('#formula-loss .fterm', (ts) => ts.map((t) => t.dataset.series))).toEqual(['total', 'recon', 'kl']);
    await page.click('#step-btn');
    await page.waitForSelector('#loss-legend [data-series="kl"]');
    await page.hover('#formula-loss .fterm[data-series="kl"]');
    await page.waitForFunction(() => $ae('#loss-chart').dataset.highlight === 'kl' && $ae('#loss-legend [data-series="kl"]').classList.contains('hl'));
    await page.hover('#loss-legend [data-series="recon"]');
    await page.waitForFunction(() => $ae('#formula-loss .fterm[data-series="recon"]').classList.contains('hl'));
    // The drawing's μ is its code; σ is positive.
    await drawStroke(page, ONE);
    await page.waitForSelector('#formula-reparam[data-mu]');
    const { mu, sigma, code } = await page.evaluate(() => ({
      mu: $ae('#formula-reparam').dataset.mu.split(',').map(Number),
      sigma: $ae('#formula-reparam').dataset.sigma.split(',').map(Number),
      code: $ae('#draw-code').dataset.values.split(',').map(Number),
    }));
    expect(mu.length).toBe(2);
    for (let j = 0; j < 2; j++) expect(mu[j]).toBeCloseTo(code[j], 2);
    for (const s of sigma) expect(s).toBeGreaterThan(0);
    // The layers with the current sizes: 784 → 256 → 128 → [μ, log σ²] of 2 → 128 → 256 → 784.
    expect(await page.$$eval('#model-diagram .mlabel', (ls) => ls.map((l) => l.textContent))).toEqual(['784', '256', '128', '2', '128', '256', '784']);
    expect(await noBanner(page)).toBe(true);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('the Draw panel names both error measures, and for squared error they agree (sum = 784 × mean)', async () => {
    const { page, errors } = await openPlayground(browser, { hash: '#loss=mse&widths=64&weights=scratch' });
    await drawStroke(page, ONE);
    await page.waitForSelector('#draw-recon[data-filled="1"]');
    const { loss, mse, relation } = await page.evaluate(() => ({
      loss: Number($ae('#draw-loss-text').dataset.value),
      mse: Number($ae('#draw-mse-text').dataset.value),
      relation: $ae('#draw-relation').textContent,
    }));
    expect(mse).toBeGreaterThan(0);
    expect(loss).toBeCloseTo(784 * mse, 3);
    expect(relation).toContain('784');
    expect(await text(page, '#draw-loss-text')).toContain('squared error summed over the 784 pixels');
    expect(await noBanner(page)).toBe(true);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
