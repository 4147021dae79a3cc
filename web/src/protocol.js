// Every message between the page and the training worker, in one place.
//
// Requests (page → worker) carry an `id`; the worker answers each with exactly one Reply
// carrying the same id: { type: 'reply', id, ok: true, result } or
// { type: 'reply', id, ok: false, error: { message, code?, params? } } (code and params: the
// engine's error code, e.g. 'diverged', and its numbers, when it gave them).
// Events (worker → page) carry no id and may arrive at any time.
//
// Shape letters: n images or codes, D = 784 pixels, Z latent size, P probes, F frames, M map points.

export const Request = Object.freeze({
  /** {} → {} at once, even before the engine is ready: the client's heartbeat (engine-client.js). */
  PING: 'ping',
  /**
   * { model, train } (configs, as for CONFIGURE) → { parameters, batchSize, trainFlopsPerSample,
   * reconstructFlopsPerSample, peakBytes, limitBytes, … } what training that model would cost,
   * without building it (the engine's Engine.estimate); refuses what CONFIGURE would refuse.
   */
  ESTIMATE: 'estimate',
  /**
   * { baseUrl (the site root, where data/ and models/ live), storage (the namespace of saved
   * models and the autosave, '' = the standalone playground's) } → { info } once the engine is ready.
   */
  INIT: 'init',
  /**
   * { model, train, dataset } (config objects; dataset: what it will train on, for its files)
   * → { info, train } (train: the config as the engine read it).
   * Fresh weights from train.seed; stops training.
   * Emits SNAPSHOT and LATENT for the new model when the test set is loaded.
   */
  CONFIGURE: 'configure',
  /**
   * { train } (any subset of the training config) → { train } (the whole config as the engine now
   * has it). Applies at the next step.
   * When paused, emits SNAPSHOT (the noisy probes change with the noise settings).
   */
  SET_TRAINING: 'setTraining',
  /** {} → { info }. Fresh weights and optimizer state from the seed; stops training. Emits SNAPSHOT, LATENT. */
  RESET: 'reset',
  /** { dataset, split } → { name, count, height, width, classes }. Emits DATASET_PROGRESS. */
  LOAD_DATASET: 'loadDataset',
  /**
   * { probes: number[] (test indices), mapCount: number (M, test images on the latent map, 0 = none) }
   * → {}. What the worker shows while it trains. Emits SNAPSHOT and LATENT right away.
   */
  WATCH: 'watch',
  /**
   * { maxEpochs, probes? } → { running: true }. Emits PROGRESS after every chunk, SNAPSHOT every ~250 ms,
   * LATENT every few seconds, EPOCH at each epoch's end, STATE when it starts and stops
   * (reason 'done' when maxEpochs epochs are complete).
   */
  START: 'start',
  /** {} → { running: false, step } once the current chunk has finished. */
  PAUSE: 'pause',
  /** { maxEpochs } → { maxEpochs }. Changes where a running or later run stops. */
  SET_LIMIT: 'setLimit',
  /** {} → { stats } one batch, when paused. Emits PROGRESS, SNAPSHOT, LATENT (and EPOCH at an epoch's end). */
  STEP: 'step',
  /**
   * { pixels: Float32Array (n·D), n } → { pixels: Float32Array (n·D), codes: Float32Array (n·Z),
   * points: Float32Array (n·2) | null, posterior: Float32Array (n·2Z) | null } — points: where the
   * codes fall on the latent map; posterior: a VAE's [μ | log σ²] per image (null for other models).
   */
  RECONSTRUCT: 'reconstruct',
  /**
   * { rgba: Uint8ClampedArray (H·W·4), width, height } a drawing (or photo) as the canvas holds it
   * → { input: Float32Array (D) | null, pixels, codes, points } — input: the drawing preprocessed
   * the MNIST way (lib/preprocess.js), null when blank; then as RECONSTRUCT (posterior included). Preprocessing here
   * keeps it off the page's main thread while the pen moves.
   */
  RECONSTRUCT_DRAWING: 'reconstructDrawing',
  /** { pixels: Float32Array (n·D), n } → { codes: Float32Array (n·Z) } */
  ENCODE: 'encode',
  /** { codes: Float32Array (n·Z), n } → { pixels: Float32Array (n·D), points: Float32Array (n·2) | null } */
  DECODE: 'decode',
  /** { points: Float32Array (n·2), n } (map coordinates) → { codes: Float32Array (n·Z), pixels: Float32Array (n·D) } */
  DECODE_POINTS: 'decodePoints',
  /**
   * { a, b, frames: F, path: 'linear' | 'spherical' } where a and b are each
   * { pixels: Float32Array (D) } (encoded now) or { code: Float32Array (Z) }
   * → { codes: Float32Array (F·Z), pixels: Float32Array (F·D), points: Float32Array (F·2) | null }
   */
  INTERPOLATE: 'interpolate',
  /** { n, seed } → { codes: Float32Array (n·Z) from the prior (N(0, I); an aae's own), pixels: Float32Array (n·D), points | null } */
  SAMPLE_PRIOR: 'samplePrior',
  /** { codes: Float32Array (n·Z), n } → { rows: Float32Array (n·D), steps: T, stepSize: W }: the sequence model's decoding, row t from its step t */
  DECODE_STEPS: 'decodeSteps',
  /** { split, indices: number[] } → { pixels: Float32Array, labels: Uint8Array } */
  IMAGES: 'images',
  /** { split, maxN } → { loss } mean per-image loss terms. */
  EVALUATE: 'evaluate',

  // ---- Model files (engine/src/io/FORMAT.md). Each LOAD_* stops training, replaces the model
  // only if the whole file is valid (a refusal rejects with the engine's message and changes
  // nothing), emits SNAPSHOT and LATENT, and answers with a Loaded:
  //   { info, model, train (configs as the engine now has them), dataset (the file's, or null),
  //     source: { kind: 'pretrained' | 'file' | 'saved' | 'autosave', id?, name },
  //     history: { series: { id: { xs, ys } }, table: EPOCH[], progress: PROGRESS },
  //     target (epochs the saved run was heading for, or null), optimizerState, weights: 'f32' | 'f16' | 'u8' }
  /** { bytes: Uint8Array, name } a file the person picked or dropped → Loaded */
  LOAD_MODEL: 'loadModel',
  /** { url, modelId, name } a model shipped with the page, fetched by the worker → Loaded */
  LOAD_PRETRAINED: 'loadPretrained',
  /** { modelId } a model in the browser's storage (lib/model-store.js; 'autosave' for the autosave) → Loaded */
  LOAD_STORED: 'loadStored',
  /** { withOptimizer = true } → { bytes: Uint8Array } the current model as an .aemf file, with its history */
  SAVE_MODEL: 'saveModel',
  /** {} → { bytes: Uint8Array } the current weights as a NumPy .npz archive */
  EXPORT_NPZ: 'exportNpz',
  /** { name } → { meta } stores the current model in the saved-models list ("Save now") */
  STORE_MODEL: 'storeModel',
  /** { reason } → { meta | null } autosaves now if the model trained since its last save (the page is being hidden) */
  AUTOSAVE: 'autosave',

  // ---- The applications lab, "6 · What it's for" (worker/labs/*). Every lab works on the model
  // as it is and needs both splits of the dataset loaded. Long requests run as jobs in slices
  // (worker/labs/jobs.js: a third of the worker while training runs, yielding between slices
  // otherwise), emit LAB_PROGRESS, and are cancelled by a newer request of the same lane, by a
  // model change (lane 'view'), a dataset change (every lane) or LAB_CANCEL: the reply is then
  // an error with code 'cancelled'. Results are kept per model state (and per dataset for what
  // does not depend on the model), so asking again at the same step answers at once.
  // Lanes: 'view' (anomaly, compression, pca, features: the lab on show), 'sweep', 'run'
  // (the overfitting run and the linear autoencoder). Shape letters: N test images, S shown images.
  /**
   * { normal: 'except' | 'only', cls, score: 'mse' | 'bce' | 'kl', bins = 40, extremes = 8, follow = false } (lane 'view';
   *   follow: a model trained on a class-filtered set decides normal and cls itself)
   * → { model: { key, step, stepEnd, k }, trainView: { filter, cls, count } (what the model trains on),
   *   normal, cls, score, images: N, positives, auc: { mse, bce, kl }, best: { mse, bce, kl }
   *   (the best-F1 threshold of each score: { threshold, tp, fp, tn, fn, precision, recall, f1, fpr }),
   *   roc: { fpr, tpr: Float32Array } (the chosen score's, ≤ 400 points), pca: { k, auc, roc, fittedOn },
   *   hist: { lo, hi, bins, normal, anomalous: Uint32Array (bins) }, meanScore: { anomalous, normal },
   *   extremes: { most, least: [{ index, label, score, anomalous }], pixels: Float32Array ((most + least)·D) } }
   * Anomalous = the held-out class (normal 'except': the model should have trained on every
   * class but cls) or every class but cls ('only'); scores: per-image MSE, BCE, BCE − H(x).
   */
  LAB_ANOMALY: 'labAnomaly',
  /** { score, threshold } → { key, score, threshold, tp, fp, tn, fn, precision, recall, f1, fpr } on the last LAB_ANOMALY's scores */
  LAB_THRESHOLD: 'labThreshold',
  /**
   * { samples: number[] (test indices, ≤ 16) } (lane 'view')
   * → { model, bytes: { float32, int8, raw }, test: { images, psnr, ssim, psnrFloat, ssimFloat } (means),
   *   samples: { indices, labels, pixels, decoded, decodedFloat (S·D), codes: Uint8Array (S·k), psnr, ssim, psnrFloat } | null,
   *   curve: { images (the first test images every point is measured on), ae: [{ bytes, psnr, kind: 'int8' | 'float32' }],
   *     pca: [{ k, bytes, psnr, psnrFloat }], jpeg: [{ quality, file, payload, psnr, ssim }] | null (bytes per image),
   *     jpegHeader: { min, max } | null } }
   */
  LAB_COMPRESSION: 'labCompression',
  /**
   * { probes: number[] (test indices, ≤ 16) } (lane 'view')
   * → { model, curve: { mse: Float64Array (K+1: PCA's test MSE per pixel, unclipped, k = 0 … K), explained, fittedOn, images },
   *   ae: { mse, images }, pcaAtK, points: [{ k, mse, kind: 'model' | 'sweep' | 'linear', … }] (the models seen),
   *   probes: { indices, labels, pixels, ae, pca (S·D), aeMse, pcaMse: number[] } | null }
   */
  LAB_PCA: 'labPca',
  /**
   * { k = 20, epochs = 3, trainImages = 60000, deep = false } (lane 'run') a linear autoencoder (no
   * activation, MSE) trained here → { k, deep, epochs: [{ epoch, trainLoss, testMse, … }], trainImages,
   * testImages, pcaMse (PCA's at the same k), ratio }; each epoch is a LAB_PROGRESS partial { epochs }.
   */
  LAB_LINEAR: 'labLinear',
  /**
   * { budgets = [100, 1000, 10000], features = ['codes', 'pca', 'pixels'], knn = ['codes', 'pca'], knnK = 5,
   *   knnImages = 1000, testImages (default all) } (lane 'view')
   * → { model, cells: [{ features, labels, accuracy, tested, iterations, converged }],
   *   knn: [{ features, k, references, tested, accuracy }], tested }; each cell is a partial { cell } / { knn }.
   */
  LAB_FEATURES: 'labFeatures',
  /**
   * { latents = [2, 4, 8, 16, 32, 64], epochs = 3, trainImages = 20000, testImages = 2000 } (lane 'sweep')
   * → { points: [{ k, done, testBce, testMse }], pcaMse: Float64Array (per k, unclipped), epochs, trainImages,
   *   testImages, variant }; partials { points, pcaMse } as each k finishes.
   */
  LAB_SWEEP: 'labSweep',
  /**
   * { epochs = 50, trainImages = 1000, testImages = 2000, latent = 64, dropout = 0, weightDecay = 0 } (lane 'run')
   * → { epochs: [{ epoch, trainLoss, trainBce, testBce, trainMse, testMse }], … }; partials { epochs } per epoch.
   */
  LAB_OVERFIT: 'labOverfit',
  /**
   * { pixels: Float32Array (D) } the person's drawing, preprocessed → { k, scores: { mse, bce, kl },
   *   reconstruction (D), compressed: { code: Uint8Array (k), decoded (D), psnr, ssim, psnrFloat } | null
   *   (null until LAB_COMPRESSION measured this model's code ranges), pca: { k, reconstruction, mse } | null }
   */
  LAB_DRAWING: 'labDrawing',
  /** { lane: 'view' | 'sweep' | 'run' | null (all) } → {} */
  LAB_CANCEL: 'labCancel',
});

export const Event = Object.freeze({
  /** { step, epoch, epochProgress, samplesPerSec, loss, elapsedMs, lr? } about every 250 ms while training (worker/train-loop.js). */
  PROGRESS: 'progress',
  /**
   * { step, probes: Float32Array (P·D) } current reconstructions of the probe images; for
   * denoising models also noisy: Float32Array (P·D) (the corrupted probes) and denoised (P·D).
   */
  SNAPSHOT: 'snapshot',
  /**
   * { events: [event, …] } events of one moment, in order: a chunk's PROGRESS and the SNAPSHOT that
   * goes with it. The client hands them on one by one in one task, so the page draws them in one
   * frame (posted apart, the second waited 15–20 ms behind a frame drawn for the first).
   */
  BATCH: 'batch',
  /**
   * { step, method: 'axes' | 'pca', projected: Float32Array (M·2), labels: Uint8Array (M),
   *   codes: Float32Array (M·Z), explainedVariance: [number, number], variance: [number, number],
   *   mean: Float32Array (Z), components: Float32Array (2·Z) } the latent map of the first M test images.
   */
  LATENT: 'latent',
  /** { epoch, step, trainLoss, testLoss } when an epoch ends and the test set is evaluated. */
  EPOCH: 'epoch',
  /** { running, reason? } when training starts or stops (reason: 'paused' | 'done' | 'error' | 'diverged'). */
  STATE: 'state',
  /** { split, loaded, total } while a dataset downloads (total is 0 when unknown). */
  DATASET_PROGRESS: 'datasetProgress',
  /** { message } an error not tied to a request. */
  ERROR: 'error',
  /**
   * { message (the engine's, for logs), divergedAt (step), value: 'nan' | 'inf', term (the loss
   *   term that went first, or 'weights'), train: { optimizer, lr, clip_norm } (what the model
   *   trained with: lr is the step's own learning rate), restored: { step, epoch } | null,
   *   history (as in Loaded) }
   * the loss became NaN or infinite: training stopped and the model went back to its last good
   * state (restored, null when there was none). STATE { running: false, reason: 'diverged' } follows.
   */
  DIVERGED: 'diverged',
  /**
   * { kind: 'autosave', reason, meta, timing: { serializeMs, writeMs } } a model was written to the
   * browser's storage by the worker (autosaves every ~3 s of wall time while training: keeper.js).
   */
  SAVED: 'saved',
  /**
   * { level: 'warn' | 'error', message, what? } diagnostics; level 'error' is something the person
   * must hear (what: 'autosave' | 'storage', a failed write, the message says what to do).
   */
  LOG: 'log',
  /**
   * { request (the lab request's id), lab, phase, done, total, partial? } a lab job's progress, at
   * most every 100 ms; partial: results so far (a probe's cell, the sweep's points, a run's epochs).
   */
  LAB_PROGRESS: 'labProgress',
});

export const REPLY = 'reply';

/** Where the prepared datasets live, relative to the site root (see datasets/README.md). */
export function datasetUrl(base, dataset, split) {
  return `${base}data/${dataset}-${split}.aeds.gz`;
}
