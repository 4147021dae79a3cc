// What the worker's handlers share: the one engine, the training loop and its keeper, what the
// current model is (config, dataset, where its weights came from) and what the page watches
// (probe images, the latent map). The handlers themselves are plain functions over this context,
// one module per concern: model-life.js, training.js, inference.js, datasets.js, persistence.js.
import { Event } from '../protocol.js';
import { TrainingHistory } from '../lib/history.js';
import { ModelStore } from '../lib/model-store.js';
import { describeModel } from '../lib/presets.js';
import { Keeper } from './keeper.js';
import { TrainLoop } from './train-loop.js';

export class WorkerContext {
  /**
   * @param {object} o
   * @param {object} o.module   the instantiated Embind module (has .Engine)
   * @param {(msg: object, transfer?: Transferable[]) => void} o.post
   * @param {string} [o.baseUrl] site root the dataset URLs are relative to (INIT may set it)
   * @param {typeof fetch} [o.fetchImpl]
   * @param {object} [o.loopOptions] passed to TrainLoop (budgetMs, snapshotMs, latentMs, now, yieldFn)
   * @param {object} [o.keeperOptions] passed to Keeper (snapshotEveryMs, autosaveEveryMs, budget, saveBudget, now)
   * @param {(namespace: string) => Promise<ModelStore>} [o.openStore] the browser's model storage (default: IndexedDB)
   * @param {(err: Error) => boolean} [o.onFailure] a failed training step: true when handled
   * @param {object} [o.labOptions] passed to the applications lab's LabState (labs/state.js)
   */
  constructor({ module, post, baseUrl = '/', fetchImpl = globalThis.fetch?.bind(globalThis), loopOptions = {}, keeperOptions = {}, labOptions = {}, openStore = (namespace) => ModelStore.open(namespace), onFailure = () => false }) {
    this.module = module;
    this.engine = new module.Engine();
    this.post = post;
    this.baseUrl = baseUrl;
    this.fetchImpl = fetchImpl;
    this.openStoreImpl = openStore;
    this.storePromise = null;
    this.storage = ''; // the storage namespace (INIT may set it): lib/model-store.js
    this.loop = new TrainLoop({
      engine: this.engine,
      post,
      ...loopOptions,
      maintenance: () => this.keeper.maintain(),
      onFailure: (err) => onFailure(err),
    });
    this.keeper = new Keeper({
      engine: this.engine,
      elapsedMs: () => this.loop.elapsedMs,
      record: () => this.record(),
      meta: () => this.meta(),
      openStore: () => this.store(),
      post,
      ...keeperOptions,
    });
    this.probeIndices = [];
    this.model = null; // the model config last configured (or loaded)
    this.train = {}; // the training config as sent so far
    this.dataset = null; // what the model trains on (recorded in its files)
    this.source = { kind: 'scratch' }; // where the current weights came from
    this.mapReady = false; // the engine holds a latent-map fit for the current model
    this.labs = null; // the applications lab's state (labs/state.js), made on first use
    this.labOptions = labOptions;
  }

  /** The model was replaced (built, reset, loaded, rolled back): the labs' work on the old one stops. */
  modelReplaced() {
    this.labs?.modelReplaced();
  }

  /** A split of the dataset was replaced: the labs forget everything measured on the old one. */
  datasetReplaced() {
    this.labs?.datasetReplaced();
  }

  /** Makes a file's history the loop's (chart, table, training time, epoch accumulators). */
  adoptHistory(historyText, info) {
    let json = null;
    try {
      json = JSON.parse(historyText || 'null');
    } catch {
      // the engine checked it is JSON; anything else is a history we do not read
    }
    const rec = TrainingHistory.fromFile(json, info);
    this.loop.restore(rec);
    return rec;
  }

  /** The history JSON the current model's files carry (lib/history.js). */
  record() {
    this.loop.flushProgress(); // the history up to this very step
    const target = Number.isFinite(this.loop.maxEpochs) ? this.loop.maxEpochs : null;
    return this.loop.history.toFile({
      dataset: this.dataset,
      elapsedMs: this.loop.elapsedMs,
      epochLoss: this.loop.epochLoss,
      target,
      probes: this.probeIndices,
      source: this.source,
    });
  }

  /** What the saved-models list shows about the current model. */
  meta() {
    let title = this.model?.variant ?? 'model';
    try {
      title = describeModel(JSON.parse(this.engine.modelConfig()));
    } catch {
      // no model yet
    }
    return {
      dataset: this.dataset,
      variant: this.model?.variant ?? null,
      title,
      epochProgress: this.loop.history.progress?.epochProgress ?? 0,
      target: Number.isFinite(this.loop.maxEpochs) ? this.loop.maxEpochs : null,
      source: this.source,
    };
  }

  /** The browser's model storage, opened on first use; null (with a log line) where there is none. */
  store() {
    this.storePromise ??= Promise.resolve()
      .then(() => this.openStoreImpl(this.storage))
      .catch((err) => {
        this.post({ type: Event.LOG, level: 'error', what: 'storage', message: `Models are not saved in this browser: ${err?.message || err?.name || err}. Download the model file instead (Models → “Download model”).` });
        return null;
      });
    return this.storePromise;
  }

  /** Where codes fall on the latent map (null until there is a map). */
  points(codes, n) {
    return this.mapReady ? this.engine.project(codes, n) : null;
  }

  updateNoise() {
    const denoising = this.model?.variant === 'denoising' && this.train.noise && this.train.noise !== 'none';
    this.loop.noise = denoising ? { noise: this.train.noise, amount: this.train.noise_amount ?? 0.5 } : null;
  }

  /** After a new model, a reset or new watch settings: show the model as it is now. */
  showModel() {
    if (this.loop.running) return;
    const step = this.engine.info().step ?? 0;
    this.loop.postSnapshot(step);
    if (this.loop.mapCount > 0 && this.engine.hasDataset('test')) {
      this.loop.postLatent(step);
      this.mapReady = true;
    }
  }

  refreshProbes() {
    if (!this.probeIndices.length || !this.engine.hasDataset('test')) return;
    this.loop.setProbes(this.engine.images('test', this.probeIndices), this.probeIndices.length);
  }
}

/** Runs fn after the current message's reply has gone out. */
export function later(fn) {
  setTimeout(() => Promise.resolve().then(fn).catch(() => {}), 0);
}

export class Transfer {
  constructor(result, buffers) {
    this.result = result;
    this.buffers = buffers;
  }
}

/** Marks every typed array in `result` for transfer instead of copy. */
export function transfer(result) {
  const buffers = Object.values(result)
    .filter((v) => ArrayBuffer.isView(v))
    .map((v) => v.buffer);
  return new Transfer(result, buffers);
}
