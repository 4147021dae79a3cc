// Keeps good copies of the model while it trains, without stalling training:
//   - a snapshot in memory (the whole model file, weights + optimizer state + history) when a
//     run starts and then every `snapshotEveryMs` of training time, to roll back to when the
//     loss diverges;
//   - the autosave in IndexedDB (lib/model-store.js) every `autosaveEveryMs` of WALL time while
//     training (3 s), when training pauses or stops, and whenever the page asks (it is hidden).
//
// Why every 3 s of wall time: a reload or a closed tab tears the worker down before a write
// started on `pagehide` commits (measured in Chromium: the hide-time write never landed), and a
// worker the browser kills says nothing at all. So what survives is the last autosave that had
// committed: with one every 3 s, a reload loses at most about 3 s of training plus one write,
// under the 5 s the page promises (tests/e2e/faults.test.js measures it and prints the costs). The clock is the wall clock, not the training time:
// on a loaded machine training time runs slower than the person's time.
// What it costs: serialising the seed model with its Adam state (7.7 MB) takes about 55 ms of the
// worker's time, checking it is finite a few ms, and IndexedDB then writes it on the browser's
// own threads while training goes on (the write is not awaited between chunks; only one is in
// flight at a time). The worker's share is spaced by at least 1/saveBudget times what the last
// one cost, so the autosave never takes more than `saveBudget` (8 %) of the time: 55 ms every
// 3 s is 1.8 %. The budget bites only for a model whose save costs more than 240 ms (a big one,
// or a machine so loaded that everything takes five times as long: there the autosaves space
// out, and the training they protect has slowed down as much).
// Snapshots for the rollback are spaced the same way by `budget` (2 %); an autosave is also a
// snapshot. (Changing a training setting while training also keeps a snapshot, at most every
// 2 s: see training.js setTraining.)
//
// A copy is "good" when every float32 in it is finite (lib/aemf.js): a step whose loss was
// finite can still have pushed weights to infinity, and such a state is never kept or saved.
// Nothing is autosaved before the model has trained in this session (a freshly loaded
// pretrained model or resumed autosave is already safe where it came from).
import { firstNonFinite } from '../lib/aemf.js';
import { AUTOSAVE_ID, storageError } from '../lib/model-store.js';

export class Keeper {
  /**
   * @param {object} o
   * @param {object} o.engine         the Embind Engine
   * @param {() => number} o.elapsedMs  training time so far (the loop's)
   * @param {() => object} o.record   the history JSON value to store in a file now
   * @param {() => object} o.meta     { dataset, variant, title, epochProgress, target, source } for the store's list
   * @param {() => Promise<import('../lib/model-store.js').ModelStore|null>} o.openStore
   * @param {(msg: object) => void} o.post
   * @param {() => number} [o.now]    the wall clock, in ms
   */
  constructor({ engine, elapsedMs, record, meta, openStore, post, now = () => performance.now(), snapshotEveryMs = 15_000, autosaveEveryMs = 3_000, budget = 0.02, saveBudget = 0.08 }) {
    Object.assign(this, { engine, elapsedMs, record, meta, openStore, post, now, snapshotEveryMs, autosaveEveryMs, budget, saveBudget });
    this.writing = null; // the autosave write in flight, if any
    this.lastAttempt = null; // { reason, meta } of the last autosave that finished (meta null: nothing written)
    this.failure = null; // the message of the last failed autosave, until one succeeds
    this.forget(0);
  }

  /** A new model (built, reset or loaded at `step`): no snapshot, nothing to autosave yet. */
  forget(step) {
    this.generation = (this.generation ?? 0) + 1; // a write still in flight is of the model before
    this.good = null; // { bytes, step, epoch, atMs } the last good snapshot
    this.baseStep = step; // autosave only once the model has trained past this
    this.savedStep = step; // the step of the last autosave (or where the model came from)
    this.lastAutosaveAt = this.now(); // wall clock
    this.spacingMs = this.snapshotEveryMs;
    this.autosaveSpacingMs = this.autosaveEveryMs;
    this.cost = 0; // ms the last snapshot took
  }

  /**
   * A run starts: the snapshot to go back to if the loss diverges, and the autosave interval
   * counts from now (a model loaded a minute ago is not autosaved one step after Start).
   */
  runStarted() {
    this.snapshot();
    this.lastAutosaveAt = this.now();
  }

  /** Whether the autosave interval (wall time) has passed since the last one. */
  autosaveDue() {
    return this.now() - this.lastAutosaveAt >= this.autosaveSpacingMs;
  }

  /**
   * Between chunks while training: an autosave or a snapshot when due. The autosave's write
   * goes on while training continues (not awaited); only one is in flight at a time.
   */
  maintain() {
    if (this.autosaveDue() && !this.writing) this.autosave('interval');
    else if (!this.good || this.elapsedMs() - this.good.atMs >= this.spacingMs) this.snapshot();
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
   * A failed write is said (a `log` event the page shows, with what to do) and resolves null.
   * @param {string} reason 'interval' | 'paused' | 'stopped' | 'hidden' | 'request'
   */
  autosave(reason) {
    const run = this.#autosave(reason).then((meta) => {
      this.lastAttempt = { reason, meta };
      return meta;
    });
    const tracked = run.finally(() => {
      if (this.writing === tracked) this.writing = null;
    });
    this.writing = tracked;
    return tracked;
  }

  async #autosave(reason) {
    const generation = this.generation;
    this.lastAutosaveAt = this.now();
    const { step, epoch } = this.engine.info();
    if (step <= this.baseStep || step === this.savedStep) return null;
    const t0 = this.now();
    if (!this.snapshot()) return null;
    const snapshotMs = this.now() - t0; // 0 when the snapshot of this step was already there
    const good = this.good;
    const meta = { ...this.meta(), id: AUTOSAVE_ID, kind: 'autosave', name: 'Autosave', step, epoch, date: Date.now(), size: good.bytes.length };
    const store = await this.openStore();
    if (!store) return null;
    const t1 = this.now();
    try {
      const written = store.put(meta, good.bytes); // copies the bytes into the transaction, then returns
      this.#spaceAutosaves(snapshotMs + this.now() - t1);
      await written;
    } catch (err) {
      // ModelStore.put says what happened and what to do; anything else is made to.
      const message = err?.code ? err.message : storageError(err, 'The autosave').message;
      this.failure = message;
      this.post({ type: 'log', level: 'error', what: 'autosave', message });
      return null;
    }
    if (generation !== this.generation) return null; // the model was replaced meanwhile: not its save
    const timing = { serializeMs: Math.round(snapshotMs), writeMs: Math.round(this.now() - t1) };
    this.failure = null;
    this.savedStep = step;
    this.post({ type: 'saved', kind: 'autosave', reason, meta, timing });
    return meta;
  }

  /** The worker's own share of an autosave (serialising, checking, handing to IndexedDB): space the next. */
  #spaceAutosaves(costMs) {
    this.autosaveSpacingMs = Math.max(this.autosaveEveryMs, costMs / this.saveBudget);
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
