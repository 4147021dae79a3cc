// Every message between the page and the training worker, in one place.
//
// Requests (page → worker) carry an `id`; the worker answers each with exactly one Reply
// carrying the same id: { type: 'reply', id, ok: true, result } or
// { type: 'reply', id, ok: false, error: { message } }.
// Events (worker → page) carry no id and may arrive at any time.

export const Request = Object.freeze({
  /** { baseUrl } (the page's base URL, where data/ lives) → { info } once the engine is ready. */
  INIT: 'init',
  /** { model, train } (config objects) → { info }. Fresh weights from train.seed; stops training. */
  CONFIGURE: 'configure',
  /** { train } (any subset of the training config) → { train }. Applies at the next step. */
  SET_TRAINING: 'setTraining',
  /** {} → { info }. Fresh weights and optimizer state from the seed; stops training. */
  RESET: 'reset',
  /** { dataset, split } → { name, count, height, width, classes }. Emits DATASET_PROGRESS. */
  LOAD_DATASET: 'loadDataset',
  /** { probes: number[] } (test indices) → { running: true }. Emits PROGRESS, SNAPSHOT, EPOCH. */
  START: 'start',
  /** {} → { running: false, step } once the current chunk has finished. */
  PAUSE: 'pause',
  /** { pixels: Float32Array (n·D), n } → { pixels: Float32Array (n·D), codes: Float32Array (n·Z) } */
  RECONSTRUCT: 'reconstruct',
  /** { pixels: Float32Array (n·D), n } → { codes: Float32Array (n·Z) } */
  ENCODE: 'encode',
  /** { codes: Float32Array (n·Z), n } → { pixels: Float32Array (n·D) } */
  DECODE: 'decode',
  /** { split, indices: number[] } → { pixels: Float32Array, labels: Uint8Array } */
  IMAGES: 'images',
  /** { split, maxN } → { loss } mean per-image loss terms. */
  EVALUATE: 'evaluate',
});

export const Event = Object.freeze({
  /** { step, epoch, epochProgress, samplesPerSec, loss, elapsedMs } after every chunk. */
  PROGRESS: 'progress',
  /** { step, probes: Float32Array (P·D) } current reconstructions of the probe images. */
  SNAPSHOT: 'snapshot',
  /** { epoch, step, trainLoss, testLoss } when an epoch ends and the test set is evaluated. */
  EPOCH: 'epoch',
  /** { running, reason? } when training starts or stops (reason: 'paused' | 'error'). */
  STATE: 'state',
  /** { split, loaded, total } while a dataset downloads (total is 0 when unknown). */
  DATASET_PROGRESS: 'datasetProgress',
  /** { message } an error not tied to a request (training diverged mid-run). */
  ERROR: 'error',
  /** { level, message } diagnostics. */
  LOG: 'log',
});

export const REPLY = 'reply';

/** Where the prepared datasets live, relative to the site root (see datasets/README.md). */
export function datasetUrl(base, dataset, split) {
  return `${base}data/${dataset}-${split}.aeds.gz`;
}
