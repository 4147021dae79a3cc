// Keeps good copies of the model while it trains, without stalling training:
//   - a snapshot in memory (the whole model file, weights + optimizer state + history) when a
//     run starts and then every `snapshotEveryMs` of training time, to roll back to when the
//     loss diverges;
//   - the autosave in IndexedDB (lib/model-store.js) at least every `autosaveEveryMs` of
//     training time, when training pauses, and whenever the page asks (it is being hidden).
// Saving the seed model with Adam state costs about 55 ms of the worker's time (more on a
// busy machine), so snapshots are spaced by at least 1/budget times what the last one cost:
// they never take more than `budget` (2 %) of the training time. (Changing a training setting
// while training also keeps a snapshot, at most every 2 s: see WorkerHost.setTraining.)
//
// A copy is "good" when every float32 in it is finite (lib/aemf.js): a step whose loss was
// finite can still have pushed weights to infinity, and such a state is never kept or saved.
// Nothing is autosaved before the model has trained in this session (a freshly loaded
// pretrained model or resumed autosave is already safe where it came from).
import { firstNonFinite } from '../lib/aemf.js';
import { AUTOSAVE_ID } from '../lib/model-store.js';

export class Keeper {
  /**
   * @param {object} o
   * @param {object} o.engine         the Embind Engine
   * @param {() => number} o.elapsedMs  training time so far (the loop's)
   * @param {() => object} o.record   the history JSON value to store in a file now
   * @param {() => object} o.meta     { dataset, variant, title, epochProgress, target, source } for the store's list
   * @param {() => Promise<import('../lib/model-store.js').ModelStore|null>} o.openStore
   * @param {(msg: object) => void} o.post
   * @param {() => number} [o.now]
   */
  constructor({ engine, elapsedMs, record, meta, openStore, post, now = () => performance.now(), snapshotEveryMs = 15_000, autosaveEveryMs = 30_000, budget = 0.02 }) {
    Object.assign(this, { engine, elapsedMs, record, meta, openStore, post, now, snapshotEveryMs, autosaveEveryMs, budget });
    this.forget(0);
  }

  /** A new model (built, reset or loaded at `step`): no snapshot, nothing to autosave yet. */
  forget(step) {
    this.good = null; // { bytes, step, epoch, atMs } the last good snapshot
    this.baseStep = step; // autosave only once the model has trained past this
    this.savedStep = step; // the step of the last autosave (or where the model came from)
    this.lastAutosaveMs = this.elapsedMs();
    this.spacingMs = this.snapshotEveryMs;
    this.cost = 0; // ms the last snapshot took
  }

  /** Between chunks while training: a snapshot and/or an autosave when due. */
  async maintain() {
    const t = this.elapsedMs();
    if (t - this.lastAutosaveMs >= this.autosaveEveryMs) await this.autosave('interval');
    else if (!this.good || t - this.good.atMs >= this.spacingMs) this.snapshot();
  }

  /**
   * Serialises the model now and keeps it as the last good state if it is finite.
   * @returns {boolean} whether the snapshot is good
   */
  snapshot() {
    const step = this.engine.info().step;
    if (this.good?.step === step) return true;
    const t0 = this.now();
    const bytes = this.engine.saveModel(JSON.stringify(this.record()), true);
    const bad = firstNonFinite(bytes);
    this.cost = this.now() - t0;
    this.spacingMs = Math.max(this.snapshotEveryMs, this.cost / this.budget);
    if (bad) {
      this.post({ type: 'log', level: 'warn', message: `not keeping the state at step ${step}: tensor '${bad.name}' holds a non-finite value` });
      return false;
    }
    this.good = { bytes, step, epoch: this.engine.info().epoch, atMs: this.elapsedMs() };
    return true;
  }

  /**
   * Writes the current model to the autosave slot, if it trained since it was loaded or last
   * autosaved and is good. Resolves to the stored metadata, or null when nothing was written.
   * @param {string} reason 'interval' | 'paused' | 'done' | 'hidden' | 'request'
   */
  async autosave(reason) {
    this.lastAutosaveMs = this.elapsedMs();
    const { step, epoch } = this.engine.info();
    if (step <= this.baseStep || step === this.savedStep) return null;
    if (!this.snapshot()) return null;
    const store = await this.openStore();
    if (!store) return null;
    const good = this.good;
    const meta = { ...this.meta(), id: AUTOSAVE_ID, kind: 'autosave', name: 'Autosave', step, epoch, date: Date.now(), size: good.bytes.length };
    try {
      await store.put(meta, good.bytes);
    } catch (err) {
      this.post({ type: 'log', level: 'warn', message: `autosave failed: ${err?.message ?? err}` });
      return null;
    }
    this.savedStep = step;
    this.post({ type: 'saved', kind: 'autosave', reason, meta });
    return meta;
  }

  /**
   * Puts the last good snapshot back into the engine (after the loss diverged).
   * @returns {{historyText: string, step: number, epoch: number} | null} null when there is none
   */
  restore() {
    if (!this.good) return null;
    const historyText = this.engine.loadModel(this.good.bytes);
    return { historyText, step: this.good.step, epoch: this.good.epoch };
  }
}
