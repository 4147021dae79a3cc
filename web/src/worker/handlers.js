// The worker's request handlers, as plain functions over one engine. worker.js wires them to
// postMessage; tests call them directly against the real WASM build, without a Worker.
import { Event, REPLY, Request, datasetUrl } from '../protocol.js';
import { describeFile } from '../lib/aemf.js';
import { fetchDataset } from '../lib/dataset-file.js';
import { TrainingHistory } from '../lib/history.js';
import { latentPath } from '../lib/latent-path.js';
import { AUTOSAVE_ID, ModelStore, newId } from '../lib/model-store.js';
import { toMnist } from '../lib/preprocess.js';
import { describeModel } from '../lib/presets.js';
import { normalSamples } from '../lib/random.js';
import { Keeper } from './keeper.js';
import { TrainLoop, evaluateInSlices } from './train-loop.js';

const INPUT_SIZE = 28 * 28; // the playground's images

export class WorkerHost {
  /**
   * @param {object} o
   * @param {object} o.module   the instantiated Embind module (has .Engine)
   * @param {(msg: object, transfer?: Transferable[]) => void} o.post
   * @param {string} [o.baseUrl] site root the dataset URLs are relative to (INIT may set it)
   * @param {typeof fetch} [o.fetchImpl]
   * @param {object} [o.loopOptions] passed to TrainLoop (budgetMs, snapshotMs, latentMs, now, yieldFn)
   * @param {object} [o.keeperOptions] passed to Keeper (snapshotEveryMs, autosaveEveryMs, budget, now)
   * @param {() => Promise<ModelStore>} [o.openStore] the browser's model storage (default: IndexedDB)
   */
  constructor({ module, post, baseUrl = '/', fetchImpl = globalThis.fetch?.bind(globalThis), loopOptions = {}, keeperOptions = {}, openStore = (namespace) => ModelStore.open(namespace) }) {
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
      onFailure: (err) => this.#diverged(err),
    });
    this.keeper = new Keeper({
      engine: this.engine,
      elapsedMs: () => this.loop.elapsedMs,
      record: () => this.#record(),
      meta: () => this.#meta(),
      openStore: () => this.#store(),
      post,
      ...keeperOptions,
    });
    this.probeIndices = [];
    this.model = null; // the model config last configured (or loaded)
    this.train = {}; // the training config as sent so far
    this.dataset = null; // what the model trains on (recorded in its files)
    this.source = { kind: 'scratch' }; // where the current weights came from
    this.mapReady = false; // the engine holds a latent-map fit for the current model
    const e = this.engine;
    this.handlers = {
      [Request.INIT]: (m) => {
        if (m.baseUrl) this.baseUrl = m.baseUrl;
        if (typeof m.storage === 'string') this.storage = m.storage;
        return { info: e.info() };
      },
      [Request.CONFIGURE]: (m) => this.configure(m),
      [Request.SET_TRAINING]: (m) => this.setTraining(m),
      [Request.RESET]: async () => {
        await this.loop.pause();
        e.reset();
        this.loop.resetStats();
        this.keeper.forget(0);
        this.source = { kind: 'scratch' };
        this.#showModel();
        return { info: e.info() };
      },
      [Request.LOAD_DATASET]: (m) => this.loadDataset(m),
      [Request.WATCH]: (m) => this.watch(m),
      [Request.START]: (m) => this.start(m),
      [Request.PAUSE]: async () => {
        await this.loop.pause();
        return { running: false, step: e.info().step };
      },
      [Request.SET_LIMIT]: ({ maxEpochs }) => {
        this.loop.maxEpochs = checkEpochs(maxEpochs);
        return { maxEpochs: this.loop.maxEpochs };
      },
      [Request.STEP]: async () => {
        requireTrainingData(e);
        this.keeper.snapshot(); // the state before this step, to go back to if it diverges
        let stats;
        try {
          stats = await this.loop.step();
        } catch (err) {
          if (this.#diverged(err)) return { stats: null, diverged: true };
          throw err;
        }
        this.mapReady = this.loop.mapCount > 0 && e.hasDataset('test');
        if (this.loop.elapsedMs - this.keeper.lastAutosaveMs >= this.keeper.autosaveEveryMs) later(() => this.keeper.autosave('interval'));
        return { stats };
      },
      [Request.RECONSTRUCT]: (m) => {
        const pixels = e.reconstruct(m.pixels, m.n);
        const codes = e.encode(m.pixels, m.n);
        return transfer({ pixels, codes, points: this.#points(codes, m.n) });
      },
      [Request.RECONSTRUCT_DRAWING]: ({ rgba, width, height }) => {
        const { pixels: input, blank } = toMnist({ data: rgba, width, height });
        if (blank) return { input: null, pixels: null, codes: null, points: null };
        const codes = e.encode(input, 1);
        return transfer({ input, pixels: e.reconstruct(input, 1), codes, points: this.#points(codes, 1) });
      },
      [Request.ENCODE]: (m) => transfer({ codes: e.encode(m.pixels, m.n) }),
      [Request.DECODE]: (m) => transfer({ pixels: e.decode(m.codes, m.n), points: this.#points(m.codes, m.n) }),
      [Request.DECODE_POINTS]: (m) => {
        if (!this.mapReady) throw new Error('the latent map is not ready yet: load the test set first');
        const codes = e.unproject(m.points, m.n);
        return transfer({ codes, pixels: e.decode(codes, m.n) });
      },
      [Request.INTERPOLATE]: (m) => this.interpolate(m),
      [Request.SAMPLE_PRIOR]: ({ n, seed }) => {
        if (!Number.isInteger(n) || n < 1 || n > 400) throw new Error(`samplePrior: n must be an integer in [1, 400], got ${n}`);
        const codes = normalSamples(n * e.info().latentSize, seed >>> 0);
        return transfer({ codes, pixels: e.decode(codes, n), points: this.#points(codes, n) });
      },
      [Request.IMAGES]: (m) => transfer({ pixels: e.images(m.split, m.indices), labels: e.labels(m.split, m.indices) }),
      [Request.EVALUATE]: async (m) => ({ loss: await evaluateInSlices(e, m.split) }),
      [Request.LOAD_MODEL]: ({ bytes, name }) => {
        if (!(bytes instanceof Uint8Array)) throw new Error('loadModel: expected the file as a Uint8Array');
        return this.load(bytes, { kind: 'file', name: String(name ?? 'model file') });
      },
      [Request.LOAD_PRETRAINED]: async ({ url, modelId, name }) => {
        let res;
        try {
          res = await this.fetchImpl(url);
        } catch (err) {
          throw new Error(`the pretrained model "${name}" could not be downloaded (${err.message}): check the connection and choose it again`);
        }
        if (!res.ok) throw new Error(`the pretrained model "${name}" could not be downloaded: the server answered ${res.status} for ${url}`);
        const bytes = new Uint8Array(await res.arrayBuffer());
        return this.load(bytes, { kind: 'pretrained', id: modelId, name });
      },
      [Request.LOAD_STORED]: async ({ modelId }) => {
        const store = await this.#store();
        if (!store) throw new Error('this browser offers no storage for saved models here');
        const meta = await store.get(modelId);
        if (!meta) throw new Error(`there is no saved model '${modelId}' in this browser (it may have been deleted in another tab)`);
        const bytes = await store.bytes(modelId);
        return this.load(bytes, { kind: modelId === AUTOSAVE_ID ? 'autosave' : 'saved', id: modelId, name: meta.name });
      },
      [Request.SAVE_MODEL]: ({ withOptimizer = true }) => transfer({ bytes: e.saveModel(JSON.stringify(this.#record()), Boolean(withOptimizer)) }),
      [Request.EXPORT_NPZ]: () => transfer({ bytes: e.exportNpz() }),
      [Request.STORE_MODEL]: async ({ name }) => {
        const store = await this.#store();
        if (!store) throw new Error('this browser offers no storage for saved models here: download the model instead');
        const bytes = e.saveModel(JSON.stringify(this.#record()), true);
        const { step, epoch } = e.info();
        const meta = { ...this.#meta(), id: newId(), kind: 'saved', name: String(name || 'Saved model').slice(0, 200), step, epoch, date: Date.now(), size: bytes.length };
        await store.put(meta, bytes);
        return { meta };
      },
      [Request.AUTOSAVE]: async ({ reason = 'request' }) => ({ meta: await this.keeper.autosave(reason) }),
    };
  }

  /** Handles one request message; always posts exactly one reply. */
  async handle(msg) {
    const fn = this.handlers[msg?.type];
    try {
      if (!fn) throw new Error(`unknown request type '${msg?.type}'`);
      const out = await fn(msg);
      const { result, buffers } = out instanceof Transfer ? out : { result: out, buffers: [] };
      this.post({ type: REPLY, id: msg.id, ok: true, result }, buffers);
    } catch (err) {
      this.post({ type: REPLY, id: msg.id, ok: false, error: { message: messageOf(err) } });
    }
  }

  async configure({ model, train, dataset }) {
    await this.loop.pause();
    this.engine.configure(JSON.stringify(model), JSON.stringify(train));
    this.model = model;
    this.train = { ...train };
    if (dataset) this.dataset = dataset;
    this.source = { kind: 'scratch' };
    this.mapReady = false;
    this.loop.resetStats();
    this.keeper.forget(0);
    this.#updateNoise();
    this.#showModel();
    return { info: this.engine.info(), train: JSON.parse(this.engine.trainConfig()) };
  }

  /**
   * Replaces the model with a model file's, all or nothing: a refused file (the engine's
   * message says why) leaves the current model, its history and training state as they were.
   */
  async load(bytes, source) {
    let described = null;
    try {
      described = describeFile(bytes);
    } catch {
      // Not readable here: the engine's loader says exactly what is wrong below.
    }
    const input = described?.model?.input;
    if (Array.isArray(input) && input.reduce((a, b) => a * b, 1) !== INPUT_SIZE) {
      throw new Error(`model file: this model takes ${input.join('×')} images, but the playground's images are 1×28×28: it cannot be used here`);
    }
    await this.loop.pause();
    const historyText = this.engine.loadModel(bytes); // throws, changing nothing, when refused
    const info = this.engine.info();
    const model = JSON.parse(this.engine.modelConfig());
    const train = JSON.parse(this.engine.trainConfig());
    const rec = this.#adoptHistory(historyText, info);
    this.model = model;
    this.train = { ...train };
    if (rec.dataset) this.dataset = rec.dataset;
    this.source = source;
    this.mapReady = false;
    this.keeper.forget(info.step);
    this.#updateNoise();
    this.#showModel();
    return {
      info,
      model,
      train,
      dataset: rec.dataset,
      source,
      history: this.loop.history.toMessage(),
      target: rec.target,
      optimizerState: described?.optimizerState ?? false,
      weights: described?.weights ?? 'f32',
    };
  }

  /** Makes a file's history the loop's (chart, table, training time, epoch accumulators). */
  #adoptHistory(historyText, info) {
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
  #record() {
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
  #meta() {
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
  #store() {
    this.storePromise ??= Promise.resolve()
      .then(() => this.openStoreImpl(this.storage))
      .catch((err) => {
        this.post({ type: Event.LOG, level: 'warn', message: `models are not saved in this browser: ${err?.message ?? err}` });
        return null;
      });
    return this.storePromise;
  }

  /**
   * A step reported a NaN or infinite loss (the engine refused its update): go back to the
   * last good snapshot with the current training settings, and tell the page. Other failures
   * are not handled here.
   */
  #diverged(err) {
    if (!/^training diverged/.test(err?.message ?? '')) return false;
    const at = /at step (\d+)/.exec(err.message);
    const current = this.engine.trainConfig();
    let restored = null;
    try {
      const r = this.keeper.restore();
      if (r) {
        this.#adoptHistory(r.historyText, this.engine.info());
        this.engine.setTraining(current); // the settings of now (the person will change them), not the snapshot's
        restored = { step: r.step, epoch: r.epoch };
      }
    } catch (e2) {
      this.post({ type: Event.LOG, level: 'error', message: `could not restore the last good state: ${e2.message}` });
    }
    this.mapReady = false;
    this.post({ type: Event.DIVERGED, message: err.message, divergedAt: at ? Number(at[1]) : null, restored, history: this.loop.history.toMessage() });
    this.post({ type: Event.STATE, running: false, reason: 'diverged' });
    this.#showModel();
    return true;
  }

  setTraining({ train }) {
    // New settings are what usually makes a loss diverge: keep the state from before them
    // (at most every 2 s of training, so that dragging a slider costs little).
    if (this.loop.running && this.loop.elapsedMs - (this.keeper.good?.atMs ?? -Infinity) >= 2000) this.keeper.snapshot();
    this.engine.setTraining(JSON.stringify(train));
    Object.assign(this.train, train);
    const noiseChanged = 'noise' in train || 'noise_amount' in train;
    this.#updateNoise();
    if (noiseChanged && !this.loop.running) this.loop.postSnapshot(this.engine.info().step);
    return { train: JSON.parse(this.engine.trainConfig()) };
  }

  async loadDataset({ dataset, split }) {
    const url = datasetUrl(this.baseUrl, dataset, split);
    const bytes = await fetchDataset(url, {
      fetchImpl: this.fetchImpl,
      onProgress: (loaded, total) => this.post({ type: Event.DATASET_PROGRESS, split, loaded, total }),
    });
    const wasRunning = this.loop.running;
    await this.loop.pause(); // a new split replaces the old one under the loop
    try {
      const info = this.engine.loadDataset(split, bytes); // a bad file leaves the old split in place
      if (split === 'test') {
        this.mapReady = false;
        this.#refreshProbes();
      }
      return info;
    } finally {
      if (wasRunning) this.loop.start();
    }
  }

  /** What to show while training: probe images (test indices) and the size of the latent map. */
  watch({ probes = [], mapCount = 0 }) {
    if (!Array.isArray(probes)) throw new Error('watch: probes must be an array of test-set indices');
    if (!Number.isInteger(mapCount) || mapCount < 0 || mapCount > 10000) {
      throw new Error(`watch: mapCount must be an integer in [0, 10000], got ${mapCount}`);
    }
    this.probeIndices = probes;
    this.#refreshProbes();
    this.loop.mapCount = mapCount;
    this.mapReady = false;
    this.#showModel();
    return {};
  }

  start({ maxEpochs = Infinity, probes } = {}) {
    requireTrainingData(this.engine);
    if (Array.isArray(probes)) {
      this.probeIndices = probes;
      this.#refreshProbes();
    }
    const limit = checkEpochs(maxEpochs);
    const done = this.engine.info().epoch;
    if (done >= limit) {
      throw new Error(`the model has already trained ${done} epoch${done === 1 ? '' : 's'}: set "Train for" above ${done} epochs to continue`);
    }
    this.loop.maxEpochs = limit;
    this.keeper.snapshot(); // the state to go back to if the loss diverges
    this.loop.start().then(() => later(() => this.keeper.autosave('stopped')));
    return { running: true };
  }

  interpolate({ a, b, frames = 32, path = 'linear' }) {
    const e = this.engine;
    if (!Number.isInteger(frames) || frames < 2 || frames > 240) throw new Error(`interpolate: frames must be an integer in [2, 240], got ${frames}`);
    const codeOf = (end, name) => {
      if (end?.code) return Float32Array.from(end.code);
      if (end?.pixels) return e.encode(end.pixels, 1);
      throw new Error(`interpolate: endpoint ${name} needs pixels or a code`);
    };
    const za = codeOf(a, 'A'), zb = codeOf(b, 'B');
    const z = e.info().latentSize;
    if (za.length !== z || zb.length !== z) throw new Error(`interpolate: codes must have ${z} values (the model's latent size), got ${za.length} and ${zb.length}`);
    const codes = latentPath(za, zb, frames, path);
    return transfer({ codes, pixels: e.decode(codes, frames), points: this.#points(codes, frames) });
  }

  /** Where codes fall on the latent map (null until there is a map). */
  #points(codes, n) {
    return this.mapReady ? this.engine.project(codes, n) : null;
  }

  #updateNoise() {
    const denoising = this.model?.variant === 'denoising' && this.train.noise && this.train.noise !== 'none';
    this.loop.noise = denoising ? { noise: this.train.noise, amount: this.train.noise_amount ?? 0.5 } : null;
  }

  /** After a new model, a reset or new watch settings: show the model as it is now. */
  #showModel() {
    if (this.loop.running) return;
    const step = this.engine.info().step ?? 0;
    this.loop.postSnapshot(step);
    if (this.loop.mapCount > 0 && this.engine.hasDataset('test')) {
      this.loop.postLatent(step);
      this.mapReady = true;
    }
  }

  #refreshProbes() {
    if (!this.probeIndices.length || !this.engine.hasDataset('test')) return;
    this.loop.setProbes(this.engine.images('test', this.probeIndices), this.probeIndices.length);
  }
}

/** Runs fn after the current message's reply has gone out. */
function later(fn) {
  setTimeout(() => Promise.resolve().then(fn).catch(() => {}), 0);
}

function requireTrainingData(engine) {
  if (!engine.hasDataset('train')) throw new Error('no training data: load a dataset before training');
}

function checkEpochs(n) {
  if (n === Infinity || n === undefined || n === null) return Infinity;
  if (!Number.isInteger(n) || n < 1) throw new Error(`maxEpochs must be an integer >= 1, got ${n}`);
  return n;
}

class Transfer {
  constructor(result, buffers) {
    this.result = result;
    this.buffers = buffers;
  }
}

/** Marks every typed array in `result` for transfer instead of copy. */
function transfer(result) {
  const buffers = Object.values(result)
    .filter((v) => ArrayBuffer.isView(v))
    .map((v) => v.buffer);
  return new Transfer(result, buffers);
}

function messageOf(err) {
  if (err instanceof Error) return err.message;
  if (typeof err === 'number') return `engine error (code ${err})`;
  return String(err);
}
