// The training session as the page sees it: turns settings changes into engine requests
// (a new model, or training settings applied at once), loads datasets when they are needed,
// and starts, pauses, steps and resets training. It also knows where the current model came
// from (a pretrained model shipped with the page, fresh weights, a file, a saved model or the
// autosave) and loads, saves and downloads models. No DOM: views listen to its events.
//
// Events (on(name, fn)):
//   busy     { busy }                      a request that changes the run is in flight
//   changing { type }                      a request that replaces the model is about to go out:
//                                          forget codes of the current model now
//   running  { running, reason }
//   model    { info, state, model, source, history, trained }  a new model was built, loaded or reset
//            (history: { series, table, progress } for a loaded model, null for fresh weights)
//   train    { train }                     the training config the engine now uses
//   testSet  { dataset, count, classNames, probes, probePixels, probeLabels }
//   status   { key, params }               dataset downloads and similar (a message, i18n/)
//   revert   { state, messages?, keys? }   a proposed change was declined or refused
//   announce { key, params }               for the polite live region
//   error    { error }
//   manifest { models }                    the pretrained models shipped with the page
//   cost     { cost }                      what the current model costs (the engine's estimate), or null
//   target   { total, more }               where the run stops (epochs in all), and Train for
import { DATASETS, classMessage, imagesTrainedOn, modelMessage, pickProbes } from './lib/presets.js';
import { V } from './i18n/values.js';
import { LocalizedError } from './i18n/errors.js';
import { manifestUrl, modelUrl, pretrainedFor, pretrainedOfVariant, pretrainedTitle, readManifest, settingsOf } from './lib/pretrained.js';
import { AUTOSAVE_ID } from './lib/model-store.js';
import { Request } from './protocol.js';
import { FIELDS, SCHEMA, applyKind, applyPatch, defaults, modelConfig, stateFromConfigs, trainConfig, trainDiff } from './state.js';

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

export const PROBES = 8;
export const MAP_POINTS = 1000;

export class Controller {
  /**
   * @param {object} o
   * @param {import('./engine-client.js').EngineClient} o.client
   * @param {import('./state.js').Store} o.store
   * @param {(q: {title: object, message: object, ok: object, cancel: object}) => Promise<boolean>} o.confirm
   *   each a message { key, params }
   * @param {string} [o.baseUrl] the site root (models/ and data/ live there)
   * @param {typeof fetch} [o.fetchImpl]
   */
  constructor({ client, store, confirm, baseUrl = './', fetchImpl = (...a) => fetch(...a) }) {
    Object.assign(this, { client, store, confirm, baseUrl, fetchImpl });
    this.listeners = new Map();
    this.running = false;
    this.step = 0; // steps the current model has trained (in all)
    this.stepAtLoad = 0; // its step when it was built or loaded: later steps are this session's
    this.epoch = 0;
    this.runBase = 0; // the epoch this run's "Train for" counts from (0, or where a fine-tune began)
    this.source = { kind: 'scratch' }; // where the current model came from
    this.trainLoaded = null; // dataset whose training split the engine holds
    this.testLoaded = null;
    this.testCount = 0;
    this.models = []; // the pretrained models (manifest), once read
    this.manifestError = null;
    this.queue = Promise.resolve(); // setting changes apply one after another
    this.waiting = null; // the merged patch of changes not yet started
  }

  /** Subscribes to an event; returns the function that unsubscribes. */
  on(name, fn) {
    if (!this.listeners.has(name)) this.listeners.set(name, new Set());
    this.listeners.get(name).add(fn);
    return () => this.listeners.get(name).delete(fn);
  }

  #emit(name, payload) {
    for (const fn of this.listeners.get(name) ?? []) fn(payload);
  }

  /** The worker reported progress (PROGRESS) or a state change (STATE). */
  noteProgress(p) {
    this.step = p.step;
    this.epoch = p.epoch;
  }

  noteState(s) {
    this.running = s.running;
    this.#emit('running', { running: s.running, reason: s.reason });
  }

  /** The model went back to an earlier state (the loss diverged). */
  noteRestored({ step, epoch }) {
    this.step = step;
    this.epoch = epoch;
  }

  /**
   * What the current model costs (the engine's estimate: FLOPs per sample, peak bytes of a
   * batch), for the page to say when it cannot follow the pen or train in reasonable time.
   * Emits 'cost' { cost } (null when the engine cannot tell).
   */
  async estimate() {
    const s = this.store.state;
    try {
      this.cost = await this.client.request(Request.ESTIMATE, { model: modelConfig(s), train: trainConfig(s) });
    } catch {
      this.cost = null; // a model the engine refuses says why when it is built
    }
    this.#emit('cost', { cost: this.cost });
  }

  /** The worker autosaved the current model (SAVED): a dead worker's model comes back from there. */
  noteAutosaved(meta) {
    this.autosaved = { step: meta.step, date: meta.date };
  }

  /**
   * The worker died and a new, empty one has started (EngineClient.restart; INIT done): puts the
   * model back as it was at its last autosave, or, when it has not trained since it was built or
   * loaded, as it came (the pretrained model, the same file, fresh weights from the same seed),
   * with the datasets it had. Training stays paused.
   * @returns {Promise<{step: number, lostSteps: number, from: 'autosave' | 'origin'}>}
   */
  async recover() {
    const stepBefore = this.step;
    this.trainLoaded = this.testLoaded = null;
    this.running = false;
    this.waiting = null;
    this.queue = Promise.resolve();
    this.#emit('running', { running: false, reason: 'error' });
    let from = 'origin';
    if (this.autosaved) {
      await this.loadStored(AUTOSAVE_ID, 'the autosave');
      from = 'autosave';
    } else if (this.origin?.type === Request.LOAD_MODEL || this.origin?.type === Request.LOAD_STORED) {
      const { type, payload, label } = this.origin;
      const copy = payload.bytes ? { ...payload, bytes: payload.bytes.slice() } : payload;
      await this.#loadWith(type, copy, copy.bytes ? [copy.bytes.buffer] : [], label);
    } else {
      await this.#rebuild(this.store.state, this.store.state);
    }
    if (!this.testLoaded) await this.#loadTestSet(this.store.state.dataset);
    return { step: this.step, lostSteps: Math.max(0, stepBefore - this.step), from };
  }

  /** Where the current run stops: "Train for" epochs past the epoch it started from (see start()). */
  get targetEpochs() {
    return this.runBase + this.store.state.epochs;
  }

  #setRunBase(epoch) {
    this.runBase = epoch;
    this.#emit('target', { total: this.targetEpochs, more: this.store.state.epochs });
  }

  /** Has the current model trained in this session (so that discarding it loses work)? */
  get trainedHere() {
    return this.step > this.stepAtLoad;
  }

  // ---- pretrained models ----------------------------------------------------------------

  /** Reads models/manifest.json (once). A missing manifest leaves the list empty, with a reason. */
  async loadManifest() {
    try {
      const res = await this.fetchImpl(manifestUrl(this.baseUrl));
      if (!res.ok) throw new LocalizedError('error.serverStatus', { status: res.status }, `the server answered ${res.status}`);
      this.models = readManifest(await res.json());
      this.manifestError = null;
    } catch (err) {
      this.models = [];
      this.manifestError = { key: 'models.manifestError', params: { reason: V.err(err) } };
    }
    this.#emit('manifest', { models: this.models, error: this.manifestError });
    return this.models;
  }

  /** The manifest entry of the pretrained model these settings would start from, or null. */
  pretrainedOf(state = this.store.state) {
    if (state.weights !== 'pretrained') return null;
    const id = pretrainedFor(state);
    return (id && this.models.find((m) => m.id === id)) ?? null;
  }

  /** The first model, from the settings the page opened with: pretrained when there is one. */
  async buildFirstModel() {
    const s = this.store.state;
    const entry = this.pretrainedOf(s);
    if (entry) {
      try {
        await this.#loadPretrained(entry);
        await this.client.request(Request.SET_LIMIT, { maxEpochs: this.targetEpochs });
        return;
      } catch (error) {
        // Drawing must work anyway: fresh weights, and say why.
        this.#emit('error', { error: new LocalizedError('error.firstModel', { reason: V.err(error) }, `${error.message}. The page started with fresh weights instead.`) });
      }
    }
    let built;
    try {
      built = await this.#replaceModel(Request.CONFIGURE, { model: modelConfig(s), train: trainConfig(s), dataset: s.dataset });
    } catch (error) {
      // Settings the engine refuses (a link's model too big for its memory, …): say why, and open
      // with the default model of the dataset, so that the page works.
      const d = defaults();
      const fallback = Object.fromEntries(SCHEMA.map((f) => [f.key, (f.apply === 'rebuild' || f.apply === 'live') && f.key !== 'dataset' ? d[f.key] : s[f.key]]));
      if (error.code === 'worker-dead' || SCHEMA.every((f) => same(s[f.key], fallback[f.key]))) throw error;
      this.#emit('error', { error: new LocalizedError('error.defaultModel', { reason: V.err(error) }, `${error.message} The page opened with the default model instead.`) });
      this.store.set(fallback);
      return this.buildFirstModel();
    }
    await this.client.request(Request.SET_LIMIT, { maxEpochs: this.targetEpochs });
    this.#modelBuilt(built.info, { kind: 'scratch' });
    this.#emit('train', { train: built.train });
  }

  /**
   * The model picker: a pretrained model's id, or 'scratch'. Applies even when the settings
   * do not change (going back from a loaded file to the pretrained model it started from).
   */
  chooseWeights(value) {
    const patch = value === 'scratch' ? { weights: 'scratch' } : { ...settingsOf(value), weights: 'pretrained' };
    return this.propose(patch, { force: true });
  }

  /** The test set of the current dataset: probes, the latent map, test loss. */
  loadTestSet() {
    return this.#loadTestSet(this.store.state.dataset);
  }

  /**
   * A change proposed by a control: applied, applied after a question, or refused. Changes
   * apply one after another; those that arrive while one is applying merge into the next
   * (a slider dragged during a request sends only its latest value).
   * @param {object} patch
   * @param {{force?: boolean}} [o] force: rebuild the model even if no setting changes
   */
  propose(patch, { force = false } = {}) {
    patch = this.#withPretrained(patch);
    if (this.waiting) {
      Object.assign(this.waiting.patch, patch);
      this.waiting.force ||= force;
      return this.queue;
    }
    this.waiting = { patch: { ...patch }, force };
    this.queue = this.queue
      .then(() => {
        const next = this.waiting;
        this.waiting = null;
        return this.#apply(next.patch, next.force);
      })
      .catch((error) => this.#emit('error', { error }));
    return this.queue;
  }

  /**
   * Choosing a kind of model while on pretrained weights means its pretrained model when one is
   * shipped for the dataset (the page sends learners to the VAE to generate images: they get
   * the trained 2-D VAE, not an untrained one). Any other patch is left as it is.
   */
  #withPretrained(patch) {
    const keys = Object.keys(patch);
    if (keys.length !== 1 || keys[0] !== 'variant' || this.store.state.weights !== 'pretrained') return patch;
    const id = pretrainedOfVariant(this.store.state.dataset, patch.variant, this.models.map((m) => m.id));
    return id ? { ...settingsOf(id), weights: 'pretrained' } : patch;
  }

  async #apply(patch, force) {
    const prev = this.store.state;
    const { state: next, changed, errors, messages } = applyPatch(prev, patch);
    if (errors.length) {
      this.#emit('revert', { state: prev, errors, messages, keys: Object.keys(patch) });
      return;
    }
    if (!changed.length && !force) return;
    const kind = force ? 'rebuild' : applyKind(changed);
    if (kind === 'rebuild') {
      if (this.trainedHere) {
        const entry = this.pretrainedOf(next);
        const what = changed.filter((k) => FIELDS[k].apply === 'rebuild' && k !== 'weights').map((k) => V.lower(V.msg(`setting.${k}.label`)));
        const becomes = entry ? V.msg('confirm.becomesPretrained', { title: pretrainedTitle(entry) }) : V.msg('confirm.becomesFresh');
        const trained = this.stepAtLoad ? V.msg('confirm.fineTuned', { n: this.step - this.stepAtLoad }) : V.msg('confirm.trained', { n: this.step });
        const and = { $: 'msg', k: 'confirm.and' };
        const ok = await this.confirm({
          title: { key: entry ? 'confirm.titlePretrained' : 'confirm.titleNew' },
          message: {
            key: 'confirm.message',
            params: { what: what.length ? V.msg('confirm.changing', { fields: V.join(what.flatMap((w, i) => (i ? [and, w] : [w])), '') }) : V.msg('confirm.thisNeeds'), becomes, trained },
          },
          ok: { key: entry ? 'confirm.okPretrained' : 'confirm.okNew' },
          cancel: { key: 'confirm.keep' },
        });
        if (!ok) {
          this.#emit('revert', { state: prev, errors: [] });
          return;
        }
      }
      this.store.set(patch);
      await this.#rebuild(prev, next);
      return;
    }
    this.store.set(patch);
    try {
      if (kind === 'live') {
        const train = trainDiff(prev, next);
        if (Object.keys(train).length) {
          const r = await this.client.request(Request.SET_TRAINING, { train });
          this.#emit('train', { train: r.train });
          if ('batch_size' in train) this.estimate(); // a batch's memory and speed change with it
        }
      }
      if (changed.includes('epochs')) await this.client.request(Request.SET_LIMIT, { maxEpochs: this.targetEpochs });
    } catch (error) {
      this.store.set(Object.fromEntries(changed.map((k) => [k, prev[k]])));
      this.#emit('revert', { state: this.store.state, errors: [] });
      throw error;
    }
  }

  async #rebuild(prev, next) {
    this.#emit('busy', { busy: true });
    const back = () => {
      // The engine refused: go back to the settings of the model it still has.
      this.store.set(Object.fromEntries(Object.keys(next).map((k) => [k, prev[k]])));
      this.#emit('revert', { state: this.store.state, errors: [] });
    };
    try {
      const entry = this.pretrainedOf(next);
      if (entry) {
        try {
          await this.#loadPretrained(entry);
        } catch (error) {
          back();
          throw error;
        }
      } else {
        let info, train;
        try {
          ({ info, train } = await this.#replaceModel(Request.CONFIGURE, { model: modelConfig(next), train: trainConfig(next), dataset: next.dataset }));
        } catch (error) {
          back();
          throw error;
        }
        this.#modelBuilt(info, { kind: 'scratch' });
        this.#emit('train', { train });
        this.#emit('announce', { key: 'announce.newModel' });
      }
      await this.client.request(Request.SET_LIMIT, { maxEpochs: this.targetEpochs });
      if (this.store.state.dataset !== this.testLoaded) await this.#loadTestSet(this.store.state.dataset);
    } finally {
      this.#emit('busy', { busy: false });
    }
  }

  /** Fetches (in the worker) and loads a pretrained model; the page's training settings apply on top. */
  async #loadPretrained(entry) {
    this.#emit('status', { key: 'status.loadingPretrained', params: { title: pretrainedTitle(entry) } });
    const loaded = await this.#replaceModel(Request.LOAD_PRETRAINED, { url: modelUrl(this.baseUrl, entry.file), modelId: entry.id, name: entry.title });
    // Its training settings are the recipe's; the person's own (learning rate, …) win.
    const train = trainDiff(this.#stateOfConfigs(loaded.model, loaded.train), this.store.state);
    const applied = Object.keys(train).length ? (await this.client.request(Request.SET_TRAINING, { train })).train : loaded.train;
    this.#modelBuilt(loaded.info, loaded.source, loaded.history);
    this.#emit('train', { train: applied });
    this.#emit('announce', { key: 'announce.pretrainedLoaded', params: { title: pretrainedTitle(entry), epochs: V.int(loaded.info.epoch) } });
    return loaded;
  }

  /** The page settings of a loaded model's configs (for comparing training settings). */
  #stateOfConfigs(model, train) {
    return applyPatch(this.store.state, stateFromConfigs(model, train).patch).state;
  }

  /**
   * Sends a request that replaces the model (CONFIGURE, LOAD_*). Views holding codes of the
   * current model are told first ('changing'): a code of the old latent size sent after this
   * request would reach the new model (the VAE's "expected 1 x 2 = 2 values, got 20").
   */
  #replaceModel(type, payload, transfer = []) {
    this.#emit('changing', { type });
    return this.client.request(type, payload, transfer);
  }

  #modelBuilt(info, source, history = null) {
    this.step = info.step ?? 0;
    this.epoch = info.epoch ?? 0;
    this.stepAtLoad = this.step;
    this.source = source;
    this.origin = null; // what the model came from, when it is a file or a saved model (set by the loaders)
    this.autosaved = null; // this model's last autosave
    this.#setRunBase(0);
    this.estimate();
    const state = this.store.state;
    this.#emit('model', { state, model: modelConfig(state), info, source, history });
    this.#announceTrainSet();
  }

  // ---- files, saved models, the autosave --------------------------------------------------

  /**
   * Loads a model file the person picked or dropped. A refused file rejects with the engine's
   * message (truncated, corrupted, newer version, tensors that do not match…) and the current
   * model stays.
   * @param {File|Blob} file
   */
  async loadFile(file) {
    const name = file.name ?? 'model file';
    if (file.size > 512 * 1024 * 1024) {
      throw new LocalizedError('error.tooLarge', { name: V.raw(name), size: V.mb(file.size) }, `"${name}" is ${Math.round(file.size / 1e6)} MB: far larger than any model the playground can train; it is not loaded`);
    }
    const bytes = new Uint8Array(await file.arrayBuffer());
    const kept = bytes.slice(); // the worker takes `bytes`; a restarted worker gets this copy (recover)
    const label = V.msg('label.file', { name: V.raw(name) });
    const loaded = await this.#loadWith(Request.LOAD_MODEL, { bytes, name }, [bytes.buffer], label);
    this.origin = { type: Request.LOAD_MODEL, payload: { bytes: kept, name }, label };
    return loaded;
  }

  /**
   * Loads a model from the browser's storage: a saved model's id, or 'autosave'.
   * @param {object} [label] how messages name it (a typed message value)
   */
  async loadStored(id, label = V.msg('label.savedModel')) {
    const loaded = await this.#loadWith(Request.LOAD_STORED, { modelId: id }, [], label);
    this.origin = { type: Request.LOAD_STORED, payload: { modelId: id }, label };
    return loaded;
  }

  async #loadWith(type, payload, transfer, label) {
    await this.queue;
    this.#emit('busy', { busy: true });
    try {
      let loaded;
      try {
        loaded = await this.#replaceModel(type, payload, transfer);
      } catch (error) {
        throw Object.assign(new LocalizedError('error.notLoaded', { label, reason: V.err(error) }, `${plainLabel(label)} was not loaded: ${error.message}`), {
          cause: error,
        });
      }
      // The page's settings become the model's, without building anything.
      const { patch, unshown, unshownValues } = stateFromConfigs(loaded.model, loaded.train);
      if (loaded.dataset && DATASETS[loaded.dataset]) patch.dataset = loaded.dataset;
      if (Number.isInteger(loaded.target) && loaded.target > loaded.info.epoch) patch.epochs = loaded.target;
      this.store.set(patch);
      await this.client.request(Request.SET_LIMIT, { maxEpochs: this.targetEpochs });
      this.#modelBuilt(loaded.info, { ...loaded.source, optimizerState: loaded.optimizerState, weights: loaded.weights }, loaded.history);
      this.#emit('train', { train: loaded.train });
      if (unshown.length) this.#emit('status', { key: 'status.unshown', params: { list: V.join(unshownValues, '; ') } });
      if (this.store.state.dataset !== this.testLoaded) await this.#loadTestSet(this.store.state.dataset);
      this.#emit('announce', { key: 'announce.loaded', params: { label, model: modelMessage(loaded.model), step: V.int(loaded.info.step) } });
      return loaded;
    } finally {
      this.#emit('busy', { busy: false });
    }
  }

  /** The current model as an .aemf file (weights, optimizer state, history) → { bytes, filename }. */
  async saveFile() {
    const { bytes } = await this.client.request(Request.SAVE_MODEL, { withOptimizer: true });
    return { bytes, stem: this.#fileStem(), ext: '.aemf' };
  }

  /** The current weights as a NumPy archive → { bytes, stem (a message), ext }. */
  async exportNpz() {
    const { bytes } = await this.client.request(Request.EXPORT_NPZ);
    return { bytes, stem: this.#fileStem(), ext: '.npz' };
  }

  /** "Save now": into the saved-models list, under `name`. */
  async saveNow(name) {
    const { meta } = await this.client.request(Request.STORE_MODEL, { name });
    this.#emit('announce', { key: 'announce.saved', params: { name: V.raw(meta.name) } });
    return meta;
  }

  /** A name for a saved copy of the current model: a message (the page names it in its language). */
  suggestName() {
    const s = this.store.state;
    return { key: 'files.savedName', params: { variant: V.msg(`variant.${s.variant}`), dataset: V.msg(`dataset.${s.dataset}`), step: V.int(this.step) } };
  }

  /** The words of a downloaded file's name: a message. */
  #fileStem() {
    const s = this.store.state;
    return { key: 'files.stem', params: { dataset: s.dataset, variant: s.variant, step: this.step } };
  }

  // ---- datasets and training -----------------------------------------------------------------

  async #loadTestSet(dataset) {
    const meta = DATASETS[dataset];
    this.#emit('status', { key: 'status.loadingTest', params: { dataset: V.msg(`dataset.${dataset}`) } });
    const test = await this.client.request(Request.LOAD_DATASET, { dataset, split: 'test' });
    this.testLoaded = dataset;
    this.testCount = test.count;
    const first = await this.client.request(Request.IMAGES, { split: 'test', indices: [...Array(Math.min(300, test.count)).keys()] });
    const probes = pickProbes(Array.from(first.labels), PROBES);
    const shown = await this.client.request(Request.IMAGES, { split: 'test', indices: probes });
    this.#emit('testSet', { dataset, count: test.count, classNames: meta.classNames, probes, probePixels: shown.pixels, probeLabels: shown.labels });
    await this.client.request(Request.WATCH, { probes, mapCount: Math.min(MAP_POINTS, test.count) });
    this.#emit('status', { key: 'status.testReady', params: { dataset: V.msg(`dataset.${dataset}`), count: V.int(test.count) } });
  }

  /** Loads the training set of the current dataset, if not yet (the applications lab needs it). */
  async ensureTrainingSet() {
    await this.queue;
    await this.#ensureTrainingSet();
  }

  #ensureTrainingSet() {
    const dataset = this.store.state.dataset;
    if (this.trainLoaded === dataset) return Promise.resolve();
    // One download at a time per dataset (training and the applications lab may both ask).
    if (this.trainLoading?.dataset !== dataset) {
      const loading = { dataset, promise: this.#loadTrainingSet(dataset).finally(() => this.trainLoading === loading && (this.trainLoading = null)) };
      this.trainLoading = loading;
    }
    return this.trainLoading.promise;
  }

  async #loadTrainingSet(dataset) {
    const info = await this.client.request(Request.LOAD_DATASET, { dataset, split: 'train' });
    this.trainLoaded = dataset;
    this.trainCount = info.count;
    this.#announceTrainSet();
  }

  /** Says how many training images the model trains on (all, or its class filter's). */
  #announceTrainSet() {
    const { dataset, train_on: on, train_class: cls } = this.store.state;
    if (this.trainLoaded !== dataset) return;
    const params = { dataset: V.msg(`dataset.${dataset}`), count: V.int(this.trainCount) };
    if (on === 'all') this.#emit('status', { key: 'status.trainReady', params });
    else this.#emit('status', { key: on === 'except' ? 'status.trainReadyExcept' : 'status.trainReadyOnly', params: { ...params, n: V.int(imagesTrainedOn(dataset, on, cls)), cls: classMessage(dataset, cls) } });
    this.#emit('trainSet', { count: on === 'all' ? this.trainCount : imagesTrainedOn(dataset, on, cls) });
  }

  async start() {
    this.#emit('busy', { busy: true });
    try {
      await this.queue;
      await this.#ensureTrainingSet();
      // A model that already has "Train for" epochs (a pretrained one, a finished run) trains
      // that many more: this run's target moves, the setting (and the link) stays as it is.
      if (this.epoch >= this.targetEpochs) this.#setRunBase(this.epoch);
      await this.client.request(Request.START, { maxEpochs: this.targetEpochs });
      this.#emit('announce', this.step > 0 && !this.trainedHere ? { key: 'announce.startedFrom', params: { step: V.int(this.step) } } : { key: 'announce.started' });
    } finally {
      this.#emit('busy', { busy: false });
    }
  }

  async pause() {
    this.#emit('busy', { busy: true });
    try {
      const r = await this.client.request(Request.PAUSE);
      this.#emit('announce', { key: 'announce.paused', params: { step: V.int(r.step) } });
    } finally {
      this.#emit('busy', { busy: false });
    }
  }

  async stepOnce() {
    this.#emit('busy', { busy: true });
    try {
      await this.queue;
      await this.#ensureTrainingSet();
      const { stats } = await this.client.request(Request.STEP);
      if (stats) this.#emit('announce', { key: 'announce.stepped', params: { step: V.int(stats.step), loss: V.loss(stats.loss.total) } });
    } finally {
      this.#emit('busy', { busy: false });
    }
  }

  async reset() {
    this.#emit('busy', { busy: true });
    try {
      const { info } = await this.client.request(Request.RESET);
      // Fresh weights: the settings now say so too (the picker, and a shared link).
      if (this.store.state.weights === 'pretrained' && pretrainedFor(this.store.state)) this.store.set({ weights: 'scratch' });
      this.#modelBuilt(info, { kind: 'scratch' });
      this.#emit('announce', { key: 'announce.reset' });
    } finally {
      this.#emit('busy', { busy: false });
    }
  }
}

/** A typed label in English, for the English message of an error. */
function plainLabel(label) {
  if (label?.$ === 'msg' && label.k === 'label.file') return `“${label.p?.name?.v ?? ''}”`;
  if (label?.$ === 'msg' && label.k === 'label.savedModel') return 'the saved model';
  if (label?.$ === 'msg' && label.k === 'resume.autosaveLabel') return 'your autosave';
  return label?.v ?? String(label);
}
