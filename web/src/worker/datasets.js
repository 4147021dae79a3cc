// Datasets in the worker: downloading and loading a split (with progress), and what the page
// watches while training (probe images from the test set, the size of the latent map). Plain
// handler functions over the WorkerContext (context.js).
import { Event, Request, datasetUrl } from '../protocol.js';
import { fetchDataset } from '../lib/dataset-file.js';

/** LOAD_DATASET: fetches a split and loads it; a bad file leaves the old split in place. */
export async function loadDataset(ctx, { dataset, split }) {
  const url = datasetUrl(ctx.baseUrl, dataset, split);
  const bytes = await fetchDataset(url, {
    fetchImpl: ctx.fetchImpl,
    // lib/dataset-file.js reports { received, total } (total null when unknown); the page gets
    // { loaded, total } with total 0 when unknown (protocol.js DATASET_PROGRESS).
    onProgress: ({ received, total }) => ctx.post({ type: Event.DATASET_PROGRESS, split, loaded: received, total: total ?? 0 }),
  });
  const wasRunning = ctx.loop.running;
  await ctx.loop.pause(); // a new split replaces the old one under the loop
  try {
    const info = ctx.engine.loadDataset(split, bytes);
    ctx.datasetReplaced();
    if (split === 'test') {
      ctx.mapReady = false;
      ctx.refreshProbes();
    }
    return info;
  } finally {
    if (wasRunning) ctx.loop.start();
  }
}

/** WATCH: probe images (test indices) and the size of the latent map. */
export function watch(ctx, { probes = [], mapCount = 0 }) {
  if (!Array.isArray(probes)) throw new Error('watch: probes must be an array of test-set indices');
  if (!Number.isInteger(mapCount) || mapCount < 0 || mapCount > 10000) {
    throw new Error(`watch: mapCount must be an integer in [0, 10000], got ${mapCount}`);
  }
  ctx.probeIndices = probes;
  ctx.refreshProbes();
  ctx.loop.mapCount = mapCount;
  ctx.mapReady = false;
  ctx.showModel();
  return {};
}

export const datasetHandlers = {
  [Request.LOAD_DATASET]: loadDataset,
  [Request.WATCH]: watch,
};
