// Trains in time-budgeted chunks so that the worker stays responsive: between chunks it
// yields to its event loop, where pause, new settings and inference requests get in.
//
// Each chunk runs whole steps until `budgetMs` has passed, then posts a light PROGRESS
// event. Every `snapshotMs` it also posts the probe reconstructions (SNAPSHOT). When an epoch
// ends it evaluates the test set in slices (still yielding) and posts EPOCH.
import { Event } from '../protocol.js';

export class TrainLoop {
  /**
   * @param {object} o
   * @param {object} o.engine     the Embind Engine
   * @param {(msg: object, transfer?: Transferable[]) => void} o.post
   * @param {() => number} [o.now]
   * @param {() => Promise<void>} [o.yieldFn]
   */
  constructor({ engine, post, now = () => performance.now(), yieldFn = yieldToEventLoop, budgetMs = 20, snapshotMs = 250 }) {
    Object.assign(this, { engine, post, now, yieldFn, budgetMs, snapshotMs });
    this.running = false;
    this.stopped = Promise.resolve();
    this.probes = null; // Float32Array (P·D) of probe images
    this.probeCount = 0;
    this.elapsedMs = 0; // training time accumulated across runs
    this.window = []; // recent {t, samples} for samples/s
    this.epochLoss = { sum: 0, steps: 0 };
  }

  setProbes(pixels, count) {
    this.probes = pixels;
    this.probeCount = count;
  }

  /** Starts the loop; resolves when it stops (pause or error). */
  start() {
    if (this.running) return this.stopped;
    this.running = true;
    this.post({ type: Event.STATE, running: true });
    this.stopped = this.#run().catch((err) => {
      this.running = false;
      this.post({ type: Event.ERROR, message: err.message });
      this.post({ type: Event.STATE, running: false, reason: 'error' });
    });
    return this.stopped;
  }

  /** Requests a stop and resolves when the current chunk has finished. */
  async pause() {
    if (this.running) {
      this.running = false;
      await this.stopped;
      this.post({ type: Event.STATE, running: false, reason: 'paused' });
    }
  }

  /** Forgets timing and per-epoch accumulators (after reset or a new model). */
  resetStats() {
    this.elapsedMs = 0;
    this.window = [];
    this.epochLoss = { sum: 0, steps: 0 };
  }

  async #run() {
    let lastSnapshot = -Infinity;
    while (this.running) {
      const t0 = this.now();
      let samples = 0;
      let steps = 0;
      let loss = null;
      let last = null;
      let epochEnded = false;
      while (this.running && this.now() - t0 < this.budgetMs) {
        last = this.engine.trainSteps(1);
        samples += last.samples;
        steps += 1;
        loss = addLoss(loss, last.loss);
        this.epochLoss.sum += last.loss.total;
        this.epochLoss.steps += 1;
        if (last.epochEnd) {
          epochEnded = true;
          break;
        }
      }
      const t1 = this.now();
      this.elapsedMs += t1 - t0;
      if (steps > 0) {
        this.window.push({ t: t1, dt: t1 - t0, samples });
        while (this.window.length > 1 && t1 - this.window[0].t > 2000) this.window.shift();
        const dt = this.window.reduce((a, w) => a + w.dt, 0);
        const n = this.window.reduce((a, w) => a + w.samples, 0);
        this.post({
          type: Event.PROGRESS,
          step: last.step,
          epoch: last.epoch,
          epochProgress: last.epochEnd ? 1 : last.epochProgress,
          samplesPerSec: dt > 0 ? (n * 1000) / dt : 0,
          loss: scaleLoss(loss, 1 / steps),
          elapsedMs: this.elapsedMs,
        });
      }
      if (this.probes && (t1 - lastSnapshot >= this.snapshotMs || epochEnded)) {
        lastSnapshot = t1;
        this.postSnapshot(last ? last.step : 0);
      }
      if (epochEnded) await this.#endEpoch(last);
      await this.yieldFn();
    }
  }

  postSnapshot(step) {
    if (!this.probes) return;
    const recon = this.engine.reconstruct(this.probes, this.probeCount);
    this.post({ type: Event.SNAPSHOT, step, probes: recon }, [recon.buffer]);
  }

  async #endEpoch(stats) {
    const trainLoss = this.epochLoss.steps ? this.epochLoss.sum / this.epochLoss.steps : null;
    this.epochLoss = { sum: 0, steps: 0 };
    let testLoss = null;
    if (this.engine.hasDataset('test')) testLoss = await evaluateInSlices(this.engine, 'test', this.yieldFn);
    this.post({ type: Event.EPOCH, epoch: stats.epoch, step: stats.step, trainLoss, testLoss });
  }
}

/** Mean per-image loss terms over a whole split, evaluated 500 images at a time. */
export async function evaluateInSlices(engine, split, yieldFn = yieldToEventLoop, slice = 500) {
  const count = engine.datasetInfo(split).count;
  let sum = null;
  for (let start = 0; start < count; start += slice) {
    const n = Math.min(slice, count - start);
    sum = addLoss(sum, scaleLoss(engine.evaluate(split, start, n), n));
    await yieldFn();
  }
  return scaleLoss(sum, 1 / count);
}

function addLoss(a, b) {
  if (!a) return { ...b };
  const out = {};
  for (const k of Object.keys(b)) out[k] = a[k] + b[k];
  return out;
}

function scaleLoss(a, s) {
  const out = {};
  for (const k of Object.keys(a)) out[k] = a[k] * s;
  return out;
}

/** A macrotask boundary without setTimeout's 4 ms clamp. */
export function yieldToEventLoop() {
  return new Promise((resolve) => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => {
      ch.port1.close();
      resolve();
    };
    ch.port2.postMessage(null);
  });
}
