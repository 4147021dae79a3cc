// The Chromium side of `npm run bench`: a module Web Worker that loads the page's engine
// (web/src/wasm/ae.mjs + ae.wasm, served by scripts/bench/chromium.mjs under /wasm/), gunzips
// the training set as the page does, and trains as the page's worker does (trainSteps(1) per
// step), without the page's snapshots, so the figure is the engine's speed in a worker.
//
// Request: { model, train, warmup, repeats, batches, label }
// Replies: { type: 'repeat', label, repeat, batches, samples, seconds, loss } per repeat,
//          then { type: 'done', label, backend }, or { type: 'error', message }.
import createAeModule from '/wasm/ae.mjs';

let enginePromise = null;
let trainBytes = null;

async function gunzipped(url) {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`could not fetch ${url}: HTTP ${res.status}`);
  const stream = res.body.pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

self.onmessage = async ({ data: job }) => {
  try {
    enginePromise ??= createAeModule();
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
    const backend = engine.info().backend;
    engine.delete();
    self.postMessage({ type: 'done', label: job.label, backend });
  } catch (e) {
    self.postMessage({ type: 'error', message: String(e?.message || e) });
  }
};
