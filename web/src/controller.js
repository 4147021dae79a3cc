// The training session as the page sees it: turns settings changes into engine requests
// (a new model, or training settings applied at once), loads datasets when they are needed,
// and starts, pauses, steps and resets training. No DOM: views listen to its events.
//
// Events (on(name, fn)):
//   busy     { busy }                      a request that changes the run is in flight
//   running  { running }
//   model    { info, state, model }        a new model was built (or reset)
//   train    { train }                     the training config the engine now uses
//   testSet  { dataset, count, classNames, probes, probePixels, probeLabels }
//   status   { text }                      dataset downloads and similar
//   revert   { state }                     a proposed change was declined or refused
//   announce { text }                      for the polite live region
//   error    { error }
import { DATASETS, pickProbes } from './lib/presets.js';
import { formatInt } from './lib/format.js';
import { Request } from './protocol.js';
import { FIELDS, applyKind, applyPatch, modelConfig, trainConfig, trainDiff } from './state.js';

export const PROBES = 8;
export const MAP_POINTS = 1000;

export class Controller {
  /**
   * @param {object} o
   * @param {import('./engine-client.js').EngineClient} o.client
   * @param {import('./state.js').Store} o.store
   * @param {(q: {title: string, message: string, ok: string, cancel: string}) => Promise<boolean>} o.confirm
   */
  constructor({ client, store, confirm }) {
    Object.assign(this, { client, store, confirm });
    this.listeners = new Map();
    this.running = false;
    this.step = 0; // steps the current model has trained
    this.epoch = 0;
    this.trainLoaded = null; // dataset whose training split the engine holds
    this.testLoaded = null;
    this.testCount = 0;
    this.queue = Promise.resolve(); // setting changes apply one after another
    this.waiting = null; // the merged patch of changes not yet started
  }

  on(name, fn) {
    if (!this.listeners.has(name)) this.listeners.set(name, new Set());
    this.listeners.get(name).add(fn);
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

  /** The first model, from the settings the page opened with. */
  async buildFirstModel() {
    const s = this.store.state;
    const { info, train } = await this.client.request(Request.CONFIGURE, { model: modelConfig(s), train: trainConfig(s) });
    await this.client.request(Request.SET_LIMIT, { maxEpochs: s.epochs });
    this.#modelBuilt(info);
    this.#emit('train', { train });
  }

  /** The test set of the current dataset: probes, the latent map, test loss. */
  loadTestSet() {
    return this.#loadTestSet(this.store.state.dataset);
  }

  /**
   * A change proposed by a control: applied, applied after a question, or refused. Changes
   * apply one after another; those that arrive while one is applying merge into the next
   * (a slider dragged during a request sends only its latest value).
   */
  propose(patch) {
    if (this.waiting) {
      Object.assign(this.waiting, patch);
      return this.queue;
    }
    this.waiting = { ...patch };
    this.queue = this.queue
      .then(() => {
        const next = this.waiting;
        this.waiting = null;
        return this.#apply(next);
      })
      .catch((error) => this.#emit('error', { error }));
    return this.queue;
  }

  async #apply(patch) {
    const prev = this.store.state;
    const { state: next, changed, errors } = applyPatch(prev, patch);
    if (errors.length) {
      this.#emit('revert', { state: prev, errors, keys: Object.keys(patch) });
      return;
    }
    if (!changed.length) return;
    const kind = applyKind(changed);
    if (kind === 'rebuild') {
      if (this.step > 0) {
        const what = changed.filter((k) => FIELDS[k].apply === 'rebuild').map((k) => FIELDS[k].label.toLowerCase());
        const ok = await this.confirm({
          title: 'Start a new model?',
          message: `Changing the ${what.join(' and ')} needs a new model with fresh weights. The current model, trained for ${formatInt(this.step)} step${this.step === 1 ? '' : 's'}, will be thrown away.`,
          ok: 'Start a new model',
          cancel: 'Keep the trained model',
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
        }
      }
      if (changed.includes('epochs')) await this.client.request(Request.SET_LIMIT, { maxEpochs: next.epochs });
    } catch (error) {
      this.store.set(Object.fromEntries(changed.map((k) => [k, prev[k]])));
      this.#emit('revert', { state: this.store.state, errors: [] });
      throw error;
    }
  }

  async #rebuild(prev, next) {
    this.#emit('busy', { busy: true });
    try {
      let info, train;
      try {
        ({ info, train } = await this.client.request(Request.CONFIGURE, { model: modelConfig(next), train: trainConfig(next) }));
      } catch (error) {
        // The engine refused the new settings: go back to the ones it accepted.
        this.store.set(Object.fromEntries(Object.keys(next).map((k) => [k, prev[k]])));
        this.#emit('revert', { state: this.store.state, errors: [] });
        throw error;
      }
      this.#modelBuilt(info);
      this.#emit('train', { train });
      this.#emit('announce', { text: 'New model built with fresh weights.' });
      if (next.dataset !== this.testLoaded) await this.#loadTestSet(next.dataset);
    } finally {
      this.#emit('busy', { busy: false });
    }
  }

  #modelBuilt(info) {
    this.step = 0;
    this.epoch = 0;
    const state = this.store.state;
    this.#emit('model', { state, model: modelConfig(state), info });
  }

  async #loadTestSet(dataset) {
    const meta = DATASETS[dataset];
    this.#emit('status', { text: `Loading ${meta.label} test images…` });
    const test = await this.client.request(Request.LOAD_DATASET, { dataset, split: 'test' });
    this.testLoaded = dataset;
    this.testCount = test.count;
    const first = await this.client.request(Request.IMAGES, { split: 'test', indices: [...Array(Math.min(300, test.count)).keys()] });
    const probes = pickProbes(Array.from(first.labels), PROBES);
    const shown = await this.client.request(Request.IMAGES, { split: 'test', indices: probes });
    this.#emit('testSet', { dataset, count: test.count, classNames: meta.classNames, probes, probePixels: shown.pixels, probeLabels: shown.labels });
    await this.client.request(Request.WATCH, { probes, mapCount: Math.min(MAP_POINTS, test.count) });
    this.#emit('status', { text: `${meta.label}: ${formatInt(test.count)} test images ready` });
  }

  async #ensureTrainingSet() {
    const dataset = this.store.state.dataset;
    if (this.trainLoaded === dataset) return;
    const info = await this.client.request(Request.LOAD_DATASET, { dataset, split: 'train' });
    this.trainLoaded = dataset;
    this.trainCount = info.count;
    this.#emit('status', { text: `${DATASETS[dataset].label}: ${formatInt(info.count)} training images` });
    this.#emit('trainSet', { count: info.count });
  }

  async start() {
    this.#emit('busy', { busy: true });
    try {
      await this.queue;
      await this.#ensureTrainingSet();
      await this.client.request(Request.START, { maxEpochs: this.store.state.epochs });
      this.#emit('announce', { text: 'Training started.' });
    } finally {
      this.#emit('busy', { busy: false });
    }
  }

  async pause() {
    this.#emit('busy', { busy: true });
    try {
      const r = await this.client.request(Request.PAUSE);
      this.#emit('announce', { text: `Training paused after ${formatInt(r.step)} steps.` });
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
      this.#emit('announce', { text: `One batch trained: step ${formatInt(stats.step)}, loss ${stats.loss.total.toFixed(1)}.` });
    } finally {
      this.#emit('busy', { busy: false });
    }
  }

  async reset() {
    this.#emit('busy', { busy: true });
    try {
      const { info } = await this.client.request(Request.RESET);
      this.#modelBuilt(info);
      this.#emit('announce', { text: 'The model was reset to fresh weights.' });
    } finally {
      this.#emit('busy', { busy: false });
    }
  }
}
