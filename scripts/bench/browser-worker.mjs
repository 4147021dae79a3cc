// The Chromium side of `npm run bench`: a module Web Worker that loads the page's engine
// (web/src/wasm/ae.mjs + ae.wasm, served by scripts/bench/chromium.mjs under /wasm/), gunzips
// the training set as the page does, and trains as the page's worker does (trainSteps(1) per
// step), without the page's snapshots, so the figure is the engine's speed in a worker.
//
// With threads > 1 it loads the threaded engine (/wasm/ae-mt.mjs, Emscripten pthreads: the page
// is cross-origin isolated) with a pool of threads − 1 workers, as web/src/worker/load-engine.js
// does; with relaxed, the relaxed-SIMD build of that kind (ae-rx.mjs, ae-mt-rx.mjs). A worker
// runs one build only, and one job at a time; the page (scripts/bench/chromium.mjs) drives the
// repeats, so that it can alternate several builds' workers repeat by repeat.
//
// Requests and replies ({ type: 'error', message } instead, for any of them):
//   { cmd: 'begin', job }   job = { model, train, warmup, repeats, batches, label, threads, relaxed }:
//                           loads the build (once), configures the model, loads the training set,
//                           trains the warm-up batches → { type: 'ready', label }
//   { cmd: 'repeat', repeat } times job.batches steps → { type: 'start', label, repeat }, then
//                           { type: 'repeat', label, repeat, batches, samples, seconds, loss }
//   { cmd: 'end' }          → { type: 'done', label, backend, build, threads }
let enginePromise = null;
let trainBytes = null;

async function loadEngine(threads, relaxed) {
  const rx = relaxed ? '-rx' : '';
  if (threads > 1) {
    if (!self.crossOriginIsolated) throw new Error('the threaded engine needs a cross-origin isolated page');
    const { default: create } = await import(`/wasm/ae-mt${rx}.mjs`);
    const module = await create({ aeThreads: threads });
    const got = module.setThreads(threads);
    if (got !== threads) throw new Error(`the threaded engine started ${got} of ${threads} threads`);
    return module;
  }
  const { default: create } = await import(`/wasm/ae${rx}.mjs`);
  return create();
}

async function gunzipped(url) {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`could not fetch ${url}: HTTP ${res.status}`);
  const stream = res.body.pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

let current = null; // { job, engine } between 'begin' and 'end'

async function begin(job) {
  if (current) throw new Error(`job ${current.job.label} has not ended`);
  enginePromise ??= loadEngine(job.threads ?? 1, Boolean(job.relaxed));
  const module = await enginePromise;
  trainBytes ??= await gunzipped('/data/mnist-train.aeds.gz');
  const engine = new module.Engine();
  engine.configure(JSON.stringify(job.model), JSON.stringify(job.train));
  engine.loadDataset('train', trainBytes);
  for (let i = 0; i < job.warmup; i++) engine.trainSteps(1);
  current = { job, engine };
  self.postMessage({ type: 'ready', label: job.label });
}

function repeat(r) {
  if (!current) throw new Error('no job: begin one first');
  const { job, engine } = current;
  self.postMessage({ type: 'start', label: job.label, repeat: r });
  let samples = 0;
  let loss = NaN;
  const t0 = performance.now();
  for (let i = 0; i < job.batches; i++) {
    const s = engine.trainSteps(1);
    samples += s.samples;
    loss = s.loss.total;
  }
  const seconds = (performance.now() - t0) / 1000;
  self.postMessage({ type: 'repeat', label: job.label, repeat: r, batches: job.batches, samples, seconds, loss });
}

function end() {
  if (!current) throw new Error('no job: begin one first');
  const { job, engine } = current;
  const { backend, build, threads } = engine.info();
  engine.delete();
  current = null;
  self.postMessage({ type: 'done', label: job.label, backend, build, threads });
}

self.onmessage = async ({ data: msg }) => {
  try {
    if (msg.cmd === 'begin') await begin(msg.job);
    else if (msg.cmd === 'repeat') repeat(msg.repeat);
    else if (msg.cmd === 'end') end();
    else throw new Error(`unknown request ${JSON.stringify(msg.cmd)}`);
  } catch (e) {
    self.postMessage({ type: 'error', message: String(e?.message || e) });
  }
};
