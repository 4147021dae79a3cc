// The Chromium side of `npm run bench`: a module Web Worker that loads the page's engine
// (web/src/wasm/ae.mjs + ae.wasm, served by scripts/bench/chromium.mjs under /wasm/), gunzips
// the training set as the page does, and trains as the page's worker does (trainSteps(1) per
// step), without the page's snapshots, so the figure is the engine's speed in a worker.
//
// With threads > 1 it loads the threaded engine (/wasm/ae-mt.mjs, Emscripten pthreads: the page
// is cross-origin isolated) with a pool of threads − 1 workers, as web/src/worker/load-engine.js
// does; with relaxed, the relaxed-SIMD build of that kind (ae-rx.mjs, ae-mt-rx.mjs). A worker
// runs one build only.
//
// Request: { model, train, warmup, repeats, batches, label, threads, relaxed }
// Replies: { type: 'repeat', label, repeat, batches, samples, seconds, loss } per repeat,
//          then { type: 'done', label, backend, build, threads }, or { type: 'error', message }.
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

self.onmessage = async ({ data: job }) => {
  try {
    enginePromise ??= loadEngine(job.threads ?? 1, Boolean(job.relaxed));
    const module = await enginePromise;
    trainBytes ??= await gunzipped('/data/mnist-train.aeds.gz');
    const engine = new module.Engine();
    engine.configure(JSON.stringify(job.model), JSON.stringify(job.train));
    engine.loadDataset('train', trainBytes);
    for (let i = 0; i < job.warmup; i++) engine.trainSteps(1);
    for (let r = 1; r <= job.repeats; r++) {
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
    const { backend, build, threads } = engine.info();
    engine.delete();
    self.postMessage({ type: 'done', label: job.label, backend, build, threads });
  } catch (e) {
    self.postMessage({ type: 'error', message: String(e?.message || e) });
  }
};
