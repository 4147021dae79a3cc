// Fault injection (issue 10): the worker terminated or closing itself, a reload mid-training, a
// tiny storage quota, overflowing counts sent through the worker, and settings too slow or too
// big for the engine. Each checks what the person sees and what is lost. The page is
// opened with ?debug, which gives window.__aeFault (playground.js): terminate() the worker from
// outside, request(type, payload) anything of it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';

import { ONE, bannersOf, drawStroke, expectBanner, launch, openPlayground, pauseTraining, startTraining, steps, waitForReconstruction, waitForSteps } from './browser.js';

let browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

/** Samples the steps shown every 200 ms: { samples: [{t, step}], stop() }. */
function trackSteps(page) {
  const samples = [];
  let on = true;
  const loop = (async () => {
    while (on) {
      try {
        samples.push({ t: Date.now(), step: await steps(page) });
      } catch {
        // the page is reloading
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  })();
  return {
    samples,
    stop: async () => {
      on = false;
      await loop;
    },
  };
}

/** Seconds of training between the moment the page showed `step` and the moment `at`. */
function secondsLost(samples, step, at) {
  const reached = samples.find((s) => s.step >= step);
  return reached ? Math.max(0, (at - reached.t) / 1000) : 0;
}

/** The autosaves' costs so far (the worker's timing of each), as a line for the report. */
async function saveCosts(page) {
  const saves = await page.evaluate(() => window.__aeFault.saves);
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
  return `${saves.length} autosaves, median ${median(saves.map((s) => s.serializeMs))} ms serialising, ${median(saves.map((s) => s.writeMs))} ms until written`;
}

const RESTARTED = /^The engine stopped \(.*\) and was restarted\. Your model is back /;

describe('a dead worker', () => {
  it('terminated mid-training: noticed, said, restarted, and the model back from its autosave (seconds lost)', async () => {
    const { page } = await openPlayground(browser, { query: '?debug' });
    expectBanner(page, /^The engine stopped \(it stopped answering/, RESTARTED);
    await startTraining(page);
    const track = trackSteps(page);
    await page.waitForFunction(() => /^Autosaved at /.test($ae('#autosave-status').textContent), null, { timeout: 60_000 });
    await waitForSteps(page, (await steps(page)) + 50);
    const costs = await saveCosts(page);
    const killedAt = Date.now();
    await page.evaluate(() => window.__aeFault.terminate());
    await page.waitForSelector('ae-playground[data-engine="restarted"]', { timeout: 60_000 });
    const noticedS = (Date.now() - killedAt) / 1000;
    await track.stop();
    const text = await page.textContent('#error-text');
    expect(text).toMatch(RESTARTED);
    expect(text).toMatch(/from its last autosave, at step [\d,]+: ([\d,]+ steps? of training (was|were) lost|nothing was lost)\. Press Start to continue training\.$/);
    const restored = await steps(page);
    const lostS = secondsLost(track.samples, restored, killedAt);
    console.log(`[faults] terminated worker: noticed and restored after ${noticedS.toFixed(1)} s; restored step ${restored}, ${lostS.toFixed(1)} s of training lost (${costs})`);
    expect(lostS).toBeLessThanOrEqual(5);
    // It works again: drawing reconstructs, and training continues from there.
    await drawStroke(page, ONE);
    await waitForReconstruction(page);
    await startTraining(page);
    await waitForSteps(page, restored + 20);
    await pauseTraining(page);
    await page.context().close();
  });

  it('closing itself: noticed, and the model comes back as it was loaded, nothing lost', async () => {
    const { page } = await openPlayground(browser, { query: '?debug' });
    expectBanner(page, /^The engine stopped \(it stopped answering/, RESTARTED);
    const before = await steps(page);
    const trainer = page.workers().find((w) => /worker/.test(w.url()));
    expect(trainer).toBeDefined();
    await trainer.evaluate(() => self.close());
    await page.waitForSelector('ae-playground[data-engine="restarted"]', { timeout: 60_000 });
    expect(await page.textContent('#error-text')).toMatch(/back as it was loaded, at step [\d,]+: nothing was lost\./);
    expect(await steps(page)).toBe(before);
    expect(await page.inputValue('#model-picker')).toBe('mnist-seed');
    await drawStroke(page, ONE);
    await waitForReconstruction(page);
    await page.context().close();
  });
});

describe('closing or reloading the tab', () => {
  it('loses at most 5 s of training: the resume offer is where training was a few seconds before', async () => {
    const { page } = await openPlayground(browser, { query: '?debug' });
    await startTraining(page);
    const track = trackSteps(page);
    await waitForSteps(page, (await steps(page)) + 100);
    await page.waitForTimeout(6000); // not synchronisation: training goes on past a few autosaves
    const costs = await saveCosts(page);
    const reloadAt = Date.now();
    const shown = await steps(page);
    await page.reload();
    await track.stop();
    await page.waitForSelector('ae-playground[data-resume-offer="1"]', { timeout: 60_000 });
    const offered = Number(/step ([\d,]+)\)$/.exec(await page.textContent('#resume-btn'))[1].replace(/,/g, ''));
    const lostS = secondsLost(track.samples, offered, reloadAt);
    console.log(`[faults] reload: the page showed step ${shown}, the resume offer is step ${offered}: ${shown - offered} steps, ${lostS.toFixed(1)} s of training lost (${costs})`);
    expect(offered).toBeLessThanOrEqual(shown + 50);
    expect(lostS).toBeLessThanOrEqual(5);
    await page.context().close();
  });
});

describe('a full storage quota', () => {
  it('the autosave and "Save now" say what happened and what to do', async () => {
    const origin = new URL(inject('baseURL')).origin;
    const { page } = await openPlayground(browser, {
      before: async (p) => {
        const cdp = await p.context().newCDPSession(p);
        await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: 64 * 1024 });
      },
    });
    const full = /failed: this browser's storage for the playground is full \(its quota is exceeded\)\. Download the model file instead \(Models → “Download model”\), or delete saved models to make room\.$/;
    expectBanner(page, full);
    await startTraining(page);
    await page.waitForFunction(() => $ae('#autosave-status').classList.contains('error'), null, { timeout: 60_000 });
    expect(await page.textContent('#autosave-status')).toMatch(new RegExp(`^The autosave ${full.source}`));
    expect(await page.isVisible('#autosave-status')).toBe(true);
    await pauseTraining(page);
    expect(bannersOf(page).filter((b) => b.startsWith('The autosave')).length).toBe(1); // said once, not every 4 s
    await page.click('#saved-box summary');
    await page.click('#save-now');
    await page.waitForFunction(() => /^Saving “.*” failed: /.test($ae('#error-text').textContent));
    expect(await page.textContent('#error-text')).toMatch(full);
    // The file download still works: that is what the message sends the person to.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-model')]);
    expect(download.suggestedFilename()).toMatch(/\.aemf$/);
    await page.context().close();
  });
});

describe('the engine refuses what it cannot do, and keeps working', () => {
  it('a count that would overflow 32-bit memory, sent through the worker, is refused; later calls work', async () => {
    const { page } = await openPlayground(browser, { query: '?debug' });
    const message = await page.evaluate(() =>
      window.__aeFault.request('reconstruct', { pixels: new Float32Array(784), n: 268_435_457 }).then(
        () => 'accepted',
        (e) => e.message,
      ),
    );
    expect(message).not.toBe('accepted');
    expect(message).not.toMatch(/memory access out of bounds/);
    expect(message).toMatch(/268435457/);
    await drawStroke(page, ONE);
    await waitForReconstruction(page);
    await page.context().close();
  });

  it('a link to a model too slow to follow the pen or train says so, with the numbers, before Start', async () => {
    const { page } = await openPlayground(browser, { hash: '#variant=conv&conv=128,256&widths=256&batch_size=64&weights=scratch' });
    await page.waitForSelector('ae-playground[data-cost="slow"]', { timeout: 60_000 });
    const note = await page.textContent('#cost-note');
    expect(note).toMatch(/^This model is slow here \(\d+ MFLOP per training image\): .* trains about [\d.,]+ images\/s, so one epoch takes about .+\. Fewer channels/);
    expect(await page.isVisible('#cost-note')).toBe(true);
    await page.context().close();
  });

  it('a link to a model that needs more memory than the engine has: refused with its numbers, never "std::bad_alloc", and the page works', async () => {
    const hash = '#variant=conv&conv=256,256,256&widths=2048,2048,2048,2048,2048,2048&batch_size=512&weights=scratch';
    const { page } = await openPlayground(browser, { hash });
    expectBanner(page, /The page opened with the default model instead\.$/);
    await page.waitForFunction(() => /default model instead/.test($ae('#error-text').textContent));
    const text = await page.textContent('#error-text');
    expect(text).not.toMatch(/bad_alloc|out of bounds/);
    expect(text).toMatch(/\d.*(MB|GB)/);
    expect(await page.inputValue('#model-picker')).toBe('mnist-seed');
    await drawStroke(page, ONE);
    await waitForReconstruction(page);
    await page.context().close();
  });
});
