// Our engine in a module Web Worker of headless Chromium (Debian's /usr/bin/chromium through
// playwright-core, with the flags of tests/e2e/browser.js). A small server on 127.0.0.1 serves
// a blank page, scripts/bench/browser-worker.mjs, the page's engines (web/src/wasm/ae.{mjs,wasm},
// the threaded ae-mt.{mjs,wasm,worker.js}, and both with relaxed SIMD, ae-rx and ae-mt-rx) and
// the training set, with the same cross-origin
// isolation headers as the page's server, so the page may use SharedArrayBuffer and threads.
// Each "process" is a fresh browser context, so a fresh renderer process, as a fresh Node
// process is for the Node measurements.
import { readFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';

import { ROOT, TRAIN_SET, machineLoad } from './common.mjs';

const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const FILES = {
  '/': { file: null, type: 'text/html; charset=utf-8' },
  '/bench-worker.mjs': { file: join(ROOT, 'scripts/bench/browser-worker.mjs'), type: 'text/javascript' },
  ...Object.fromEntries(
    ['ae', 'ae-rx', 'ae-mt', 'ae-mt-rx'].flatMap((b) =>
      [
        [`${b}.mjs`, 'text/javascript'],
        [`${b}.wasm`, 'application/wasm'],
        ...(b.startsWith('ae-mt') ? [[`${b}.worker.js`, 'text/javascript']] : []),
      ].map(([f, type]) => [`/wasm/${f}`, { file: join(ROOT, 'web/src/wasm', f), type }]),
    ),
  ),
  '/data/mnist-train.aeds.gz': { file: TRAIN_SET, type: 'application/gzip' },
};
const PAGE = '<!doctype html><meta charset="utf-8"><title>engine bench</title><p>bench</p>';

function serve() {
  const server = createServer((req, res) => {
    const entry = FILES[new URL(req.url, 'http://x').pathname];
    if (!entry) {
      res.writeHead(404).end('not found');
      return;
    }
    const body = entry.file ? readFileSync(entry.file) : PAGE;
    res.writeHead(200, {
      'Content-Type': entry.type,
      'Content-Length': Buffer.byteLength(body),
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Embedder-Policy': 'require-corp',
      'Cache-Control': 'no-store',
    });
    res.end(body);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** CPU seconds of a process and all its descendants (Linux /proc), or null. */
export function treeCpuSeconds(rootPid) {
  try {
    const stats = new Map(); // pid → { ppid, cpu }
    for (const name of readdirSync('/proc')) {
      if (!/^\d+$/.test(name)) continue;
      let text;
      try {
        text = readFileSync(`/proc/${name}/stat`, 'utf8');
      } catch {
        continue; // gone meanwhile
      }
      const f = text.slice(text.lastIndexOf(')') + 2).split(' '); // fields from 3 (state) on
      stats.set(Number(name), { ppid: Number(f[1]), cpu: (Number(f[11]) + Number(f[12])) / 100 });
    }
    const children = new Map();
    for (const [pid, s] of stats) children.set(s.ppid, [...(children.get(s.ppid) ?? []), pid]);
    let cpu = 0;
    const todo = [rootPid];
    while (todo.length) {
      const pid = todo.pop();
      cpu += stats.get(pid)?.cpu ?? 0;
      todo.push(...(children.get(pid) ?? []));
    }
    return cpu;
  } catch {
    return null;
  }
}

/** A running headless Chromium: run(jobs, onRepeat) in a fresh context, then close(). */
export async function openChromium() {
  const server = await serve();
  const url = `http://127.0.0.1:${server.address().port}/`;
  const { chromium } = await import('playwright-core');
  const browserServer = await chromium.launchServer({ executablePath: '/usr/bin/chromium', headless: true, args: ARGS });
  const browser = await chromium.connect(browserServer.wsEndpoint());
  const pid = browserServer.process().pid;
  const version = browser.version();

  return {
    version,
    /**
     * Runs the jobs (see browser-worker.mjs) in one page of a new context, one worker per build
     * (threads × relaxed). Jobs with the same label are measured together, repeat by repeat in
     * turn (A's repeat 1, B's repeat 1, A's repeat 2, …), so that every build meets the same
     * moments of a shared, drifting machine and the ratios between builds compare like with
     * like; the labels follow each other in the jobs' order. Two jobs of one label must be on
     * different builds.
     * onRepeat({ job, label, repeat, batches, samples, seconds, loss, cpu_seconds, other_cores }),
     * job being the index in jobs; cpu_seconds is the whole browser's CPU time during the repeat
     * (worker, page, browser: only one worker trains at a time).
     * Returns { jobs: [{ backend, build, threads }] in the jobs' order, crossOriginIsolated }.
     */
    async run(jobs, onRepeat) {
      const context = await browser.newContext();
      try {
        const page = await context.newPage();
        const errors = [];
        page.on('pageerror', (e) => errors.push(e.message));
        let probe = null;
        await page.exposeFunction('__benchEvent', (m) => {
          if (m.type === 'start') probe = { load: machineLoad(), cpu: treeCpuSeconds(pid) };
          if (m.type === 'repeat') {
            const cpuNow = treeCpuSeconds(pid);
            const cpu = probe && probe.cpu !== null && cpuNow !== null ? cpuNow - probe.cpu : null;
            onRepeat({ ...m, cpu_seconds: cpu, other_cores: probe ? probe.load(cpu ?? 0) : null });
          }
        });
        await page.goto(url);
        const results = await page.evaluate(async (list) => {
          const workers = new Map();
          const workerOf = (job) => {
            const key = `${job.threads ?? 1}${job.relaxed ? '-rx' : ''}`;
            if (!workers.has(key)) workers.set(key, new Worker('/bench-worker.mjs', { type: 'module' }));
            return workers.get(key);
          };
          // One request to job i's worker; resolves with the reply of type `until`.
          const ask = (i, msg, until) =>
            new Promise((resolve, reject) => {
              const worker = workerOf(list[i]);
              worker.onerror = (e) => reject(new Error(`worker failed: ${e.message || 'could not load'}`));
              worker.onmessage = ({ data }) => {
                if (data.type === 'error') return reject(new Error(`${list[i].label}: ${data.message}`));
                window.__benchEvent({ ...data, job: i });
                if (data.type === until) resolve(data);
              };
              worker.postMessage(msg);
            });
          const out = [];
          try {
            for (const label of new Set(list.map((job) => job.label))) {
              const group = list.flatMap((job, i) => (job.label === label ? [i] : []));
              if (new Set(group.map((i) => workerOf(list[i]))).size !== group.length) throw new Error(`two ${label} jobs on one build`);
              for (const i of group) await ask(i, { cmd: 'begin', job: list[i] }, 'ready');
              const most = Math.max(...group.map((i) => list[i].repeats));
              for (let r = 1; r <= most; r++) for (const i of group) if (r <= list[i].repeats) await ask(i, { cmd: 'repeat', repeat: r }, 'repeat');
              for (const i of group) {
                const { backend, build, threads } = await ask(i, { cmd: 'end' }, 'done');
                out[i] = { backend, build, threads };
              }
            }
          } finally {
            for (const worker of workers.values()) worker.terminate();
          }
          return out;
        }, jobs);
        if (errors.length) throw new Error(`page errors: ${errors.join('; ')}`);
        return { jobs: results, crossOriginIsolated: await page.evaluate(() => crossOriginIsolated) };
      } finally {
        await context.close();
      }
    },
    async close() {
      await browser.close().catch(() => {});
      await browserServer.close();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
