// Course pages (issue 12): the <ae-playground> element on a host page (two at once, from the
// same or another origin), the iframe route and its height messages, lessons, the whole state
// in the URL, offline after a first visit, and the build served from a sub-path. Every embed
// mode is screenshotted at three sizes and checked for overlapping panels.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';

import { drawStroke, expectBanner, expectConsoleError, launch, ONE, openPlayground, pauseTraining, screenshot, startTraining, waitForSteps } from './browser.js';
import { serveStatic } from './static-server.js';

const DIST = fileURLToPath(new URL('../../dist/', import.meta.url));
const SIZES = { phone: { width: 390, height: 844 }, tablet: { width: 820, height: 1180 }, desktop: { width: 1280, height: 900 } };

let browser;
let site; // dist/ under a sub-path, with host pages
let other; // a second origin: a course page loading the element from `site`
beforeAll(async () => {
  browser = await launch();
  site = await serveStatic({
    mounts: { '/course/ap/': DIST },
    cors: true,
    pages: {
      '/course/week3.html': coursePage('/course/ap/'),
      '/course/frame.html': framePage('/course/ap/embed.html?lesson=denoising&frame=f1'),
    },
  });
  other = await serveStatic({ mounts: {}, pages: { '/lesson.html': coursePage(`${site.url}/course/ap/`) } });
});
afterAll(async () => {
  await browser?.close();
  await site?.close();
  await other?.close();
});

/** A course page with two playgrounds, each its own lesson. */
function coursePage(root) {
  return `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,">
<style>/* a host page's CSS that must not reach into the playgrounds */ html { font-size: 10px; } * { font-family: serif !important; font-size: 11px !important; } button { background: red !important; } .panel { display: none !important; } h2 { font-size: 40px; }</style>
<script type="module" src="${root}ae-playground.js"></script></head>
<body><h1>Week 3</h1><p>Two playgrounds.</p>
<ae-playground id="one" lesson="latent-2d" controls="minimal"></ae-playground>
<ae-playground id="two" lesson="meet"></ae-playground>
</body></html>`;
}

/** A platform page that only takes iframes, with the ten-line height snippet of teachers.html. */
function framePage(src) {
  return `<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"></head><body>
<iframe id="f" src="${src}" title="Autoencoder Playground" style="width: 100%; height: 200px; border: 0"></iframe>
<script>
  addEventListener('message', (e) => {
    if (e.data?.type !== 'ae-playground:height') return;
    for (const f of document.querySelectorAll('iframe')) if (f.contentWindow === e.source) f.style.height = e.data.height + 'px';
  });
</script></body></html>`;
}

async function newPage(viewport = SIZES.desktop, options = {}) {
  const context = await browser.newContext({ viewport, serviceWorkers: 'block', ...options });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  return { page, errors };
}

/** Visible panels' boxes in one playground must not overlap, and must fit the playground. */
async function expectNoOverlap(host) {
  const boxes = await host.evaluate((h) =>
    [...h.shadowRoot.querySelectorAll('.panel, .lesson-card')].filter((p) => !p.hidden && p.offsetParent).map((p) => {
      const r = p.getBoundingClientRect();
      return { id: p.id || p.className, l: r.left, r: r.right, t: r.top, b: r.bottom };
    }),
  );
  const hostBox = await host.boundingBox();
  expect(boxes.length).toBeGreaterThan(0);
  for (const a of boxes) {
    expect(a.l).toBeGreaterThanOrEqual(hostBox.x - 1);
    expect(a.r).toBeLessThanOrEqual(hostBox.x + hostBox.width + 1);
    for (const b of boxes) {
      if (a === b) continue;
      const overlap = Math.min(a.r, b.r) - Math.max(a.l, b.l) > 1 && Math.min(a.b, b.b) - Math.max(a.t, b.t) > 1;
      expect(overlap, `${a.id} overlaps ${b.id}`).toBe(false);
    }
  }
}

const stepsOf = async (host) => Number((await host.locator('#stat-steps').textContent()).replace(/\D/g, ''));

describe('the <ae-playground> element', () => {
  it('two on one page train at once, independently, untouched by the page’s CSS', async () => {
    const { page, errors } = await newPage();
    await page.goto(`${site.url}/course/week3.html`);
    const one = page.locator('#one');
    const two = page.locator('#two');
    await page.waitForSelector('#one[data-test-set="ready"]', { timeout: 60_000 });
    await page.waitForSelector('#two[data-test-set="ready"]', { timeout: 60_000 });
    // Each its own lesson and model.
    expect(await one.locator('#lesson-title').textContent()).toBe('A 2-D latent space');
    expect(await two.locator('#lesson-title').textContent()).toBe('Meet the autoencoder');
    expect(await one.evaluate((h) => h.settings.latent)).toBe(2);
    expect(await two.evaluate((h) => h.settings.latent)).toBe(20);
    // The host page's CSS reaches neither (its rules hide .panel and paint buttons red).
    expect(await one.locator('#draw-panel').isVisible()).toBe(true);
    expect(await one.locator('#train-btn').evaluate((b) => getComputedStyle(b).backgroundColor)).not.toBe('rgb(255, 0, 0)');
    const type = await one.locator('#draw-title').evaluate((h) => [getComputedStyle(h).fontFamily, getComputedStyle(h).fontSize]);
    expect(type[0]).not.toBe('serif');
    expect(type[1]).toBe('17.92px'); // its own size, not the page's 40px, 11px or 10px root
    // Events reach the host page.
    await page.evaluate(() => {
      window.events = [];
      for (const t of ['ae-train-start', 'ae-train-pause', 'ae-epoch']) document.addEventListener(t, (e) => window.events.push([e.target.id, t, e.detail]));
    });
    // Both train at once: two workers, both advancing.
    await one.locator('#train-btn').click();
    await two.locator('#train-btn').click();
    await page.waitForFunction(() => ['one', 'two'].every((id) => Number(document.getElementById(id).shadowRoot.querySelector('#stat-steps').textContent.replace(/\D/g, '')) > 200), null, { timeout: 90_000 });
    // Both stay responsive: drawing on one reconstructs while both train.
    await drawStroke(page, ONE, '#one >> #draw-pad');
    await one.locator('#draw-recon[data-filled="1"]').waitFor();
    // Pausing one leaves the other running.
    await one.locator('#train-btn').click();
    await page.waitForSelector('#one >> #train-btn[aria-pressed="false"]:not([disabled])');
    const paused = await stepsOf(one);
    const before = await stepsOf(two);
    await page.waitForFunction((n) => Number(document.getElementById('two').shadowRoot.querySelector('#stat-steps').textContent.replace(/\D/g, '')) > n + 100, before, { timeout: 60_000 });
    expect(await stepsOf(one)).toBe(paused);
    const events = await page.evaluate(() => window.events);
    expect(events.filter(([, t]) => t === 'ae-train-start').map(([id]) => id).sort()).toEqual(['one', 'two']);
    expect(events.some(([id, t, d]) => id === 'one' && t === 'ae-train-pause' && d.step === paused)).toBe(true);
    // Saved models and autosaves: one database each.
    await two.locator('#train-btn').click();
    await page.waitForSelector('#two >> #train-btn[aria-pressed="false"]:not([disabled])');
    const dbs = await page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name).sort());
    expect(dbs).toEqual(['autoencoder-playground:one', 'autoencoder-playground:two']);
    await screenshot(page, 'course-page-two-elements');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('loads from another origin (a course page on one site, the playground on another)', async () => {
    const { page, errors } = await newPage();
    await page.goto(`${other.url}/lesson.html`);
    await page.waitForSelector('#one[data-test-set="ready"]', { timeout: 60_000 });
    await page.waitForSelector('#two[data-ready="1"]', { timeout: 60_000 });
    await drawStroke(page, ONE, '#two >> #draw-pad');
    await page.locator('#two >> #draw-recon[data-filled="1"]').waitFor();
    // A course page is not cross-origin isolated: the single-threaded engine runs, as before.
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(false);
    for (const id of ['#one', '#two']) {
      expect(await page.getAttribute(id, 'data-engine-build')).toBe('single');
      expect(await page.getAttribute(id, 'data-engine-threads')).toBe('1');
    }
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('methods drive it: setLesson, setSettings, start and pause', async () => {
    const { page, errors } = await newPage();
    await page.goto(`${site.url}/course/week3.html`);
    await page.waitForSelector('#two[data-test-set="ready"]', { timeout: 60_000 });
    await page.evaluate(async () => {
      const two = document.getElementById('two');
      await two.setSettings({ lr: 0.002, epochs: 1 });
      await two.start();
    });
    await page.waitForFunction(() => Number(document.getElementById('two').shadowRoot.querySelector('#stat-steps').textContent.replace(/\D/g, '')) > 50);
    await page.evaluate(() => document.getElementById('two').pause());
    expect(await page.evaluate(() => document.getElementById('two').settings.lr)).toBe(0.002);
    await page.evaluate(() => document.getElementById('two').setLesson('interpolation'));
    await page.waitForFunction(() => document.getElementById('two').shadowRoot.querySelector('#lesson-title').textContent === 'Walking between codes');
    await page.locator('#two >> #interp-panel').waitFor();
    expect(await page.locator('#two >> #draw-panel').isVisible()).toBe(true);
    expect(await page.locator('#two >> #latent-panel').isVisible()).toBe(false);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});

describe('the iframe route', () => {
  it('grows its host iframe to the playground’s height and links to the full playground', async () => {
    const { page, errors } = await newPage();
    await page.goto(`${site.url}/course/frame.html`);
    const frame = page.frameLocator('#f');
    await frame.locator('ae-playground[data-test-set="ready"]').waitFor({ timeout: 60_000 });
    await page.waitForFunction(() => document.getElementById('f').getBoundingClientRect().height > 900);
    const inner = await page.frames()[1].evaluate(() => document.documentElement.getBoundingClientRect().height);
    const outer = (await page.locator('#f').boundingBox()).height;
    expect(Math.abs(outer - inner)).toBeLessThanOrEqual(2);
    // The lesson is the query's; the full playground opens in a new tab with its settings.
    expect(await frame.locator('#lesson-title').textContent()).toBe('Denoising');
    const link = frame.locator('#open-full');
    expect(await link.getAttribute('target')).toBe('_blank');
    expect(await link.getAttribute('href')).toMatch(/\/course\/ap\/index\.html#lesson=denoising/);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});

describe('lessons', () => {
  const cases = {
    meet: { title: 'Meet the autoencoder', panels: ['draw', 'train', 'learn'], source: 'pretrained', check: async (page) => expect(await page.isVisible('#settings')).toBe(false) },
    'latent-2d': { title: 'A 2-D latent space', panels: ['draw', 'train', 'latent'], source: 'scratch', check: async (page) => expect(await page.evaluate(() => $aeHost().settings.latent)).toBe(2) },
    denoising: { title: 'Denoising', panels: ['draw', 'learn'], source: 'pretrained', check: async (page) => expect(await page.isVisible('#denoise-block')).toBe(true) },
    'vae-vs-ae': {
      title: 'VAE vs plain autoencoder',
      panels: ['draw', 'latent'],
      source: 'pretrained',
      check: async (page) => {
        await page.waitForFunction(() => $ae('#map-caption').textContent.startsWith('Picked: Map point (0.00, 0.00)'));
        expect(await page.isVisible('#vae-block')).toBe(true);
      },
    },
    interpolation: {
      title: 'Walking between codes',
      panels: ['draw', 'interp'],
      source: 'pretrained',
      check: async (page) => {
        await page.waitForFunction(() => $ae('#interp-a-label').textContent === 'Test image #3 (0)' && $ae('#interp-b-label').textContent === 'Test image #2 (1)');
      },
    },
  };
  for (const [id, want] of Object.entries(cases)) {
    it(`"${id}" opens as described`, async () => {
      const { page, errors } = await openPlayground(browser, { hash: `#lesson=${id}` });
      expect(await page.textContent('#lesson-title')).toBe(want.title);
      const shown = await page.evaluate(() => [...$aeAll('.panel')].filter((p) => !p.hidden).map((p) => p.dataset.panel));
      expect(shown).toEqual(want.panels);
      await page.waitForSelector(`ae-playground[data-source="${want.source}"]`);
      await want.check(page);
      expect(await page.evaluate(() => location.hash)).toBe(`#lesson=${id}`);
      expect(errors).toEqual([]);
      await page.context().close();
    });
  }

  it('locks settings a lesson or link names, and the hidden introduction stays hidden', async () => {
    const { page } = await openPlayground(browser, { hash: '#lesson=meet&controls=full&lock=lr,epochs' });
    expect(await page.isDisabled('#set-lr')).toBe(true);
    expect(await page.isDisabled('#set-epochs')).toBe(true);
    expect(await page.isDisabled('#set-batch_size')).toBe(false);
    expect(await page.isVisible('#set-lr-locked')).toBe(true);
    await page.click('#lesson-hide');
    expect(await page.isVisible('#lesson-card')).toBe(false);
    await page.context().close();
  });
});

describe('the state in the URL', () => {
  it('settings and view state round-trip: what the person changes is written back, a reload restores it', async () => {
    const hash = '#dataset=fashion-mnist&variant=deep&latent=8&lr=0.003&epochs=4&panels=draw,latent,interp&a=5&b=9&point=0.25,-0.5';
    const { page, errors } = await openPlayground(browser, { hash });
    expect(await page.evaluate(() => location.hash)).toBe(hash);
    await page.waitForFunction(() => $ae('#interp-a-label').textContent.startsWith('Test image #5 ') && $ae('#interp-b-label').textContent.startsWith('Test image #9 '));
    await page.waitForFunction(() => $ae('#map-caption').textContent.startsWith('Picked: Map point (0.25, -0.50)'));
    // A new B, picked by the person, goes into the link.
    await page.click('#interp-b-random');
    await page.waitForFunction(() => !/&b=9(&|$)/.test(location.hash) && /&b=\d+/.test(location.hash));
    const changed = await page.evaluate(() => location.hash);
    const b = /&b=(\d+)/.exec(changed)[1];
    await page.reload();
    await page.waitForSelector('ae-playground[data-test-set="ready"]');
    expect(await page.evaluate(() => location.hash)).toBe(changed);
    await page.waitForFunction((n) => $ae('#interp-b-label').textContent.startsWith(`Test image #${n} `), b);
    expect(await page.evaluate(() => $aeHost().settings)).toMatchObject({ dataset: 'fashion-mnist', variant: 'deep', latent: 8, lr: 0.003, epochs: 4, a: 5, point: [0.25, -0.5] });
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('reports every bad value of a link, not only the first', async () => {
    const { page } = await openPlayground(browser, { hash: '#lr=9&a=-3&point=1&controls=some&lesson=x' });
    expectBanner(page, /^Ignored a setting in the link: /);
    const text = await page.textContent('#error-text');
    for (const key of ['lr', 'a', 'point', 'controls', 'lesson']) expect(text).toContain(`(${key})`);
    await page.context().close();
  });
});

describe('offline and sub-paths', () => {
  it('after a first visit, the page works offline (drawing, the pretrained model, the test set)', async () => {
    const { page, errors } = await newPage(SIZES.desktop, { serviceWorkers: 'allow' });
    await page.goto(`${site.url}/course/ap/index.html`);
    await page.waitForSelector('ae-playground[data-test-set="ready"]', { timeout: 60_000 });
    // The service worker has installed, with everything a first visit needs.
    await page.waitForFunction(async () => (await navigator.serviceWorker.getRegistration())?.active?.state === 'activated', null, { timeout: 60_000 });
    await page.context().setOffline(true);
    await page.reload();
    await page.waitForSelector('ae-playground[data-test-set="ready"]', { timeout: 60_000 });
    await drawStroke(page, ONE);
    await page.waitForSelector('#draw-recon[data-filled="1"]');
    expect(await page.textContent('#engine-status')).toContain('Engine ready');
    // Served by the service worker, the standalone page is cross-origin isolated on this static
    // host too, and runs the threaded engine, precached with the rest: the relaxed-SIMD build,
    // the kind this Chromium runs (the plain builds are left out of its precache).
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    expect(await page.getAttribute('ae-playground', 'data-engine-build')).toBe('threads');
    expect(await page.getAttribute('ae-playground', 'data-engine-backend')).toBe('wasm-relaxed-simd');
    const cached = await page.evaluate(async () => {
      const names = [];
      for (const key of await caches.keys()) if (!key.endsWith('-runtime')) for (const r of await (await caches.open(key)).keys()) names.push(new URL(r.url).pathname);
      return names;
    });
    expect(cached.some((n) => /\/assets\/ae-mt-rx-[\w-]{8}\.wasm$/.test(n))).toBe(true);
    expect(cached.some((n) => /\/assets\/ae(-mt)?-[\w-]{8}\.wasm$/.test(n))).toBe(false);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('runs from a sub-path with no special headers: the page, the iframe route and the teachers’ page', async () => {
    const { page, errors } = await newPage();
    for (const path of ['index.html', 'embed.html?panels=draw', 'teachers.html']) {
      await page.goto(`${site.url}/course/ap/${path}`);
      await page.waitForSelector('ae-playground[data-ready="1"]', { timeout: 60_000 });
      // Without the isolation headers (and without the service worker): one thread.
      expect(await page.getAttribute('ae-playground', 'data-engine-build')).toBe('single');
    }
    // The teachers' snippets name this very site.
    expect(await page.textContent('pre')).toContain(`${site.url}/course/ap/ae-playground.js`);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});

describe('embed modes at three sizes', () => {
  const modes = {
    'element-two': { url: () => `${site.url}/course/week3.html`, hosts: ['#one', '#two'] },
    'iframe-denoising': { url: () => `${site.url}/course/ap/embed.html?lesson=denoising`, hosts: ['ae-playground'] },
    'embed-draw-latent': { url: () => `${site.url}/course/ap/index.html?embed#panels=draw,latent`, hosts: ['ae-playground'] },
    'embed-draw-only': { url: () => `${site.url}/course/ap/embed.html?panels=draw`, hosts: ['ae-playground'] },
  };
  for (const [name, mode] of Object.entries(modes)) {
    for (const [size, viewport] of Object.entries(SIZES)) {
      it(`${name} at ${size} width: no panel overlaps another`, async () => {
        const { page, errors } = await newPage(viewport);
        await page.goto(mode.url());
        for (const h of mode.hosts) {
          await page.waitForSelector(`${h}[data-test-set="ready"]`, { timeout: 60_000 });
          await expectNoOverlap(page.locator(h));
        }
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width);
        await screenshot(page, `embed-${name}-${size}`);
        expect(errors).toEqual([]);
        await page.context().close();
      });
    }
  }
});

describe('threads where the page may use them', () => {
  it('the standalone page, served with COOP/COEP (npm start), trains with the threaded engine and says so', async () => {
    const { page, errors } = await openPlayground(browser, { waitForTestSet: false });
    const cores = await page.evaluate(() => Math.min(8, navigator.hardwareConcurrency));
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    expect(await page.getAttribute('ae-playground', 'data-engine-build')).toBe('threads');
    expect(await page.getAttribute('ae-playground', 'data-engine-threads')).toBe(String(cores));
    // Chromium validates relaxed SIMD: the GEMM's fused multiply-add runs, and the page says so.
    expect(await page.getAttribute('ae-playground', 'data-engine-backend')).toBe('wasm-relaxed-simd');
    expect(await page.textContent('#engine-status')).toContain('wasm-relaxed-simd');
    expect(await page.textContent('#engine-status')).toContain(cores > 1 ? `${cores} threads` : 'one thread');
    await startTraining(page);
    await waitForSteps(page, 20);
    await pauseTraining(page);
    await drawStroke(page, ONE);
    await page.waitForSelector('#draw-recon[data-filled="1"]');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('an epoch trains to the same losses, bit for bit, on the threaded engine and on the single-threaded one', async () => {
    // The same link on two servers: vite preview (isolated: threads) and a plain static host
    // (not isolated: one thread). Both start from the pretrained model with the settings' seed.
    const hash = '#epochs=1&seed=7';
    const firstEpoch = async (page) => {
      await page.addInitScript(() => {
        window.__epochs = [];
        document.addEventListener('ae-epoch', (e) => window.__epochs.push(e.detail));
      });
      return async () => {
        await page.waitForSelector('ae-playground[data-test-set="ready"]', { timeout: 60_000 });
        await startTraining(page);
        await page.waitForFunction(() => window.__epochs.length > 0, null, { timeout: 120_000 });
        return {
          backend: await page.getAttribute('ae-playground', 'data-engine-backend'),
          build: await page.getAttribute('ae-playground', 'data-engine-build'),
          threads: Number(await page.getAttribute('ae-playground', 'data-engine-threads')),
          epoch: await page.evaluate(() => window.__epochs[0]),
        };
      };
    };
    let finish;
    const threaded = await openPlayground(browser, { hash, waitForTestSet: false, before: async (p) => (finish = await firstEpoch(p)) });
    const a = await finish();
    expect(threaded.errors).toEqual([]);
    await threaded.page.context().close();

    const single = await newPage(SIZES.desktop);
    finish = await firstEpoch(single.page);
    await single.page.goto(`${site.url}/course/ap/index.html${hash}`);
    const b = await finish();
    expect(single.errors).toEqual([]);
    await single.page.context().close();

    expect([a.build, b.build]).toEqual(['threads', 'single']);
    expect([a.backend, b.backend]).toEqual(['wasm-relaxed-simd', 'wasm-relaxed-simd']);
    expect(a.threads).toBeGreaterThan(1);
    expect(b.threads).toBe(1);
    expect(a.epoch.epoch).toBeGreaterThan(0);
    expect(Number.isFinite(a.epoch.trainLoss)).toBe(true);
    expect(a.epoch).toEqual(b.epoch);
  });

  it('where the relaxed-SIMD engine cannot start, the plain one runs: the page says which, trains and reconstructs', async () => {
    // Chromium always has relaxed SIMD, so the relaxed builds are made to fail to load.
    const warnings = [];
    const { page, errors } = await openPlayground(browser, {
      waitForTestSet: false,
      before: async (p) => {
        p.on('console', (m) => m.type() === 'warning' && warnings.push(m.text()));
        await p.context().route(/\/assets\/ae(-mt)?-rx[-.]/, (route) => route.abort());
      },
    });
    expectConsoleError(page, /ERR_FAILED/);
    expect(await page.getAttribute('ae-playground', 'data-engine-build')).toBe('threads');
    expect(await page.getAttribute('ae-playground', 'data-engine-backend')).toBe('wasm-simd128');
    expect(await page.textContent('#engine-status')).toContain('wasm-simd128');
    expect(warnings.filter((w) => /relaxed SIMD could not start/.test(w))).toHaveLength(1);
    await startTraining(page);
    await waitForSteps(page, 20);
    await pauseTraining(page);
    await drawStroke(page, ONE);
    await page.waitForSelector('#draw-recon[data-filled="1"]');
    expect(errors.filter((e) => !/ERR_FAILED/.test(e))).toEqual([]);
    await page.context().close();
  });
});
