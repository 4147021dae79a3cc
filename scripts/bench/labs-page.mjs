// Issue 11's other speed target: "no main-thread task over 50 ms while a lab computes". The built
// page (dist/, served by `vite preview` as the e2e tests serve it) opens panel 6 in headless
// Chromium; each of the five labs is shown in turn and computes on the shipped seed model (the
// anomaly lab on its detector, as its lesson opens it) while a Chromium trace records the main
// thread. Reported per lab: its wall time, the most CPU time one main-thread task used (the
// page's own work, apart from waiting for a core on a busy machine) and the long tasks (over
// 50 ms of wall time) the page saw.
import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { ROOT } from './common.mjs';
import { BROWSER_ARGS, mainThreadTaskCpu } from './quality.mjs';

const LABS = ['anomaly', 'compression', 'pca', 'features', 'latent'];

function watchLongTasks() {
  window.__longtasks = [];
  new PerformanceObserver((list) => window.__longtasks.push(...list.getEntries().map((e) => ({ start: e.startTime, duration: e.duration })))).observe({ type: 'longtask', buffered: true });
}

/** → [{ lab, wallS, maxTaskCpuMs, longTasks: { count, maxMs } }] */
export async function measureLabsInPage({ timeoutS = 600 } = {}) {
  if (!existsSync(join(ROOT, 'dist/index.html'))) throw new Error('dist/ is missing: run `npm run setup` first');
  const { preview } = await import('vite');
  const { chromium } = await import('playwright-core');
  const server = await preview({ configFile: join(ROOT, 'web/vite.config.js'), preview: { port: 0, host: '127.0.0.1', strictPort: false }, logLevel: 'error' });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: BROWSER_ARGS });
  try {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    const pageErrors = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.addInitScript(watchLongTasks);
    await page.goto(`http://127.0.0.1:${server.httpServer.address().port}/#lesson=anomaly`);
    await page.waitForSelector('ae-playground[data-source="file"]', { timeout: 120_000, state: 'attached' }); // the detector
    const rows = [];
    for (const lab of LABS) {
      const t0 = await page.evaluate(() => performance.now());
      await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'] });
      if (lab !== 'anomaly') await page.click(`#lab-tab-${lab}`);
      await page.waitForFunction(
        (id) => {
          const p = document.querySelector('ae-playground').shadowRoot.querySelector('#labs-panel');
          return p.dataset.lab === id && p.dataset[`${id}Step`] !== undefined && !p.dataset.busy;
        },
        lab,
        { timeout: timeoutS * 1000, polling: 200 },
      );
      const t1 = await page.evaluate(() => performance.now());
      const maxTaskCpuMs = mainThreadTaskCpu(JSON.parse((await browser.stopTracing()).toString()));
      const tasks = await page.evaluate(([a, b]) => window.__longtasks.filter((e) => e.start >= a && e.start <= b), [t0, t1]);
      if (pageErrors.length) throw new Error(`the page reported: ${pageErrors.join('; ')}`);
      rows.push({ lab, wallS: (t1 - t0) / 1000, maxTaskCpuMs, longTasks: { count: tasks.length, maxMs: tasks.reduce((m, x) => Math.max(m, x.duration), 0) } });
    }
    return rows;
  } finally {
    await browser.close().catch(() => {});
    await server.close();
  }
}
