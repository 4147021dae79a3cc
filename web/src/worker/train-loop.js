// Trains in time-budgeted chunks so that the worker stays responsive: between chunks it
// yields to its event loop, where pause, new settings and inference requests get in.
//
// Each chunk runs whole steps until `budgetMs` has passed; a light PROGRESS event goes out
// every `progressMs` (the mean loss of the steps since the last one). With the PROGRESS that
// comes `snapshotMs` or so after the last snapshot it also posts the probe reconstructions
// (SNAPSHOT), and every `latentMs` or so the latent map (LATENT): the test codes are encoded a
// slice at a time with a yield after each, and the map's spacing grows when it is costly, so
// that it never takes more than about 5 % of the training time. What the page draws from these
// arrives a few times a second: enough to watch (numbers that change ten times a second cannot
// be read anyway), little enough that drawing it costs the browser far less than training. On
// two cores every frame the page renders takes its time from a training thread: progress every
// 250 ms instead of 100 ms made the page train about 3 % faster (README, Threads). Per step
// nothing but the step itself and a few additions runs. When an epoch ends it evaluates the test
// set in slices (still yielding) and posts EPOCH; after `maxEpochs` epochs it stops by itself.
// Every PROGRESS and EPOCH it posts is also recorded in `history` (lib/history.js), which the
// model files carry. Between chunks it awaits `maintenance()` (the worker's snapshots and
// autosaves, worker/keeper.js); a failed step goes to `onFailure(err)`, which may handle it
// (a diverged loss rolls back) instead of the generic ERROR.
import { Event } from '../protocol.js';
import { TrainingHistory } from '../lib/history.js';

const MAP_SLICE = 250; // test images encoded between two yields
const MAP_SHARE = 0.05; // the latent map's share of the training time, at most
// disc and gen: the adversarial autoencoder's discriminator and generator losses (not in total).
const TERMS = ['total', 'recon', 'kl', 'sparsity', 'weightDecay', 'disc', 'gen'];

export class TrainLoop {
  /**
   * @param {object} o
   * @param {object} o.engine     the Embind Engine
   * @param {(msg: object, transfer?: Transferable[]) => void} o.post
   * @param {() => number} [o.now]
   * @param {() => Promise<void>} [o.yieldFn]
   * @param {() => (void|Promise<void>)} [o.maintenance]  between chunks, while running
   * @param {(err: Error) => boolean} [o.onFailure]  true when it handled a failed step
   */
  constructor({ engine, post, now = () => performance.now(), yieldFn = yieldToEventLoop, budgetMs = 20, progressMs = 250, snapshotMs = 500, latentMs = 4000, maintenance = null, onFailure = null }) {
    Object.assign(this, { engine, post, now, yieldFn, budgetMs, progressMs, snapshotMs, latentMs, maintenance, onFailure });
    this.running = false;
    this.stopped = Promise.resolve();
    this.probes = null; // Float32Array (P·D) of probe images
    this.probeCount = 0;
    this.mapCount = 0; // M: test images on the latent map
    this.noise = null; // { noise, amount } for denoising models: the probes are also shown corrupted
    this.maxEpochs = Infinity;
    this.elapsedMs = 0; // training time accumulated across runs
    this.window = []; // recent {t, dt, samples} for samples/s
    this.epochLoss = { sum: null, steps: 0 }; // loss terms summed over this epoch's steps
    this.mapSpacing = latentMs;
    this.history = new TrainingHistory();
    // The steps since the last PROGRESS: reused, so that a step allocates nothing here.
    this.since = { steps: 0, loss: zeroLoss(), last: null };
  }

  /** Posts (and records) the progress not reported yet, so that the history is up to date. */
  flushProgress() {
    if (this.since.steps) this.#flushProgress(this.since);
  }

  setProbes(pixels, count) {
    this.probes = pixels;
    this.probeCount = count;
  }

  /** Starts the loop; resolves when it stops (pause, done or error). */
  start() {
    if (this.running) return this.stopped;
    this.running = true;
    this.post({ type: Event.STATE, running: true });
    this.stopped = this.#run().then(
      (reason) => {
        if (reason === 'done') this.post({ type: Event.STATE, running: false, reason });
      },
      (err) => {
        this.running = false;
        if (this.onFailure?.(err)) return;
        this.post({ type: Event.ERROR, message: err.message });
        this.post({ type: Event.STATE, running: false, reason: 'error' });
      },
    );
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

  /** Forgets timing, per-epoch accumulators and the history (after reset or a new model). */
  resetStats() {
    this.restore({ history: new TrainingHistory(), elapsedMs: 0, epochLoss: null });
  }

  /** Takes up a saved run's history, training time and epoch accumulators (a loaded model). */
  restore({ history, elapsedMs = 0, epochLoss = null }) {
    this.history = history;
    this.since = { steps: 0, loss: zeroLoss(), last: null }; // the old model's unreported steps are gone
    this.elapsedMs = elapsedMs;
    this.window = [];
    this.epochLoss = epochLoss && Number.isFinite(epochLoss.steps) ? { sum: epochLoss.sum ?? null, steps: epochLoss.steps } : { sum: null, steps: 0 };
    this.mapSpacing = this.latentMs;
  }

  /** One batch while paused: posts what a chunk would, and ends the epoch if it finishes one. */
  async step() {
    if (this.running) throw new Error('training is running: pause it before stepping one batch at a time');
    const t0 = this.now();
    const s = this.engine.trainSteps(1);
    this.elapsedMs += this.now() - t0;
    this.epochLoss.sum = accumulate(this.epochLoss.sum, s.loss, 1);
    this.epochLoss.steps += 1;
    this.#postProgress(s, s.loss, null);
    this.postSnapshot(s.step);
    if (s.epochEnd) await this.#endEpoch(s);
    this.postLatent(s.step);
    return s;
  }

  async #run() {
    let lastSnapshot = -Infinity;
    let lastProgress = -Infinity;
    let nextMap = this.now() + this.mapSpacing;
    const since = this.since;
    const batch = new Batch(); // what one chunk posts, sent as one message

    try {
      while (this.running) {
        const t0 = this.now();
        let samples = 0;
        let last = null;
        let epochEnded = false;
        while (this.running && this.now() - t0 < this.budgetMs) {
          last = this.engine.trainSteps(1);
          samples += last.samples;
          since.steps += 1;
          accumulate(since.loss, last.loss, 1);
          this.epochLoss.sum = accumulate(this.epochLoss.sum, last.loss, 1);
          this.epochLoss.steps += 1;
          if (last.epochEnd) {
            epochEnded = true;
            break;
          }
        }
        const t1 = this.now();
        this.elapsedMs += t1 - t0;
        if (last) {
          since.last = last;
          this.window.push({ t: t1, dt: t1 - t0, samples });
          while (this.window.length > 1 && t1 - this.window[0].t > 2000) this.window.shift();
        }
        // A snapshot goes out with a PROGRESS (every second one, at the defaults), in one BATCH
        // message, so that the page draws both in one frame: on timers of their own they drifted a
        // chunk or two apart, and each was a frame of the page (lib/paced.js says what one costs).
        try {
          const progressed = since.steps > 0 && (epochEnded || !this.running || t1 - lastProgress >= this.progressMs);
          if (progressed) {
            lastProgress = t1;
            this.#flushProgress(since, batch.post);
          }
          // Half a progress interval early, so that the progress due about snapshotMs after the
          // last snapshot takes one, however the chunks fall.
          if (this.probes && (epochEnded || (progressed && t1 - lastSnapshot >= this.snapshotMs - this.progressMs / 2))) {
            lastSnapshot = t1;
            this.postSnapshot(last ? last.step : 0, batch.post);
          }
        } finally {
          batch.send(this.post); // the PROGRESS goes out even if the snapshot failed
        }
        if (epochEnded) {
          await this.#endEpoch(last);
          if (last.epoch >= this.maxEpochs) {
            this.running = false;
            this.postLatent(last.step);
            return 'done';
          }
        }
        if (this.mapCount > 0 && this.now() >= nextMap && last) {
          const m0 = this.now();
          await this.#latentInSlices(last.step);
          // Keep the map's share of the time small: wait at least 1/MAP_SHARE times what it cost.
          this.mapSpacing = Math.max(this.latentMs, (this.now() - m0) / MAP_SHARE);
          nextMap = this.now() + this.mapSpacing;
        }
        if (this.maintenance && this.running) await this.maintenance();
        await this.yieldFn();
      }
      return 'paused';
    } finally {
      // Stopped (paused, or a step failed): the steps not reported yet are reported now, so the
      // page's numbers match where training stopped.
      if (since.steps) this.#flushProgress(since);
    }
  }

  #flushProgress(since, post = this.post) {
    this.#postProgress(since.last, scaleLoss(since.loss, 1 / since.steps), this.#samplesPerSec(), post);
    since.steps = 0;
    for (const k of TERMS) since.loss[k] = 0;
  }

  #samplesPerSec() {
    const dt = this.window.reduce((a, w) => a + w.dt, 0);
    const n = this.window.reduce((a, w) => a + w.samples, 0);
    return dt > 0 ? (n * 1000) / dt : 0;
  }

  #postProgress(last, loss, samplesPerSec, post = this.post) {
    const msg = {
      type: Event.PROGRESS,
      step: last.step,
      epoch: last.epoch,
      epochProgress: last.epochEnd ? 1 : last.epochProgress,
      samplesPerSec,
      loss,
      elapsedMs: this.elapsedMs,
    };
    this.history.addProgress(msg);
    post(msg);
  }

  /** Reconstructions of the probes now (and, for denoising models, of their noisy copies). */
  postSnapshot(step, post = this.post) {
    if (!this.probes) return;
    const recon = this.engine.reconstruct(this.probes, this.probeCount);
    const msg = { type: Event.SNAPSHOT, step, probes: recon };
    const transfer = [recon.buffer];
    if (this.noise) {
      // The same seed every time: the noisy probes stay put while the model learns to clean them.
      msg.noisy = this.engine.corrupt(this.probes, this.probeCount, this.noise.noise, this.noise.amount, 7);
      msg.denoised = this.engine.reconstruct(msg.noisy, this.probeCount);
      transfer.push(msg.noisy.buffer, msg.denoised.buffer);
    }
    post(msg, transfer);
  }

  /** The latent map of the first mapCount test images, in one go (while paused). */
  postLatent(step) {
    if (!this.mapCount || !this.engine.hasDataset('test')) return;
    const m = this.engine.latentMap('test', 0, this.mapCount);
    this.#postMap(step, m);
  }

  async #latentInSlices(step) {
    if (!this.engine.hasDataset('test')) return;
    const count = this.mapCount;
    const z = this.engine.info().latentSize;
    const codes = new Float32Array(count * z);
    const labels = new Uint8Array(count);
    for (let start = 0; start < count; start += MAP_SLICE) {
      const n = Math.min(MAP_SLICE, count - start);
      const part = this.engine.latentCodes('test', start, n);
      codes.set(part.codes, start * z);
      labels.set(part.labels, start);
      await this.yieldFn();
      if (!this.running) return; // paused or reconfigured meanwhile: this map is stale
    }
    const fit = this.engine.fitLatentMap(codes, count);
    this.#postMap(step, { ...fit, codes, labels });
  }

  #postMap(step, m) {
    const msg = {
      type: Event.LATENT,
      step,
      method: m.method,
      projected: m.projected,
      labels: m.labels,
      codes: m.codes,
      explainedVariance: m.explainedVariance,
      variance: m.variance,
      mean: m.mean,
      components: m.components,
    };
    this.post(msg, [m.projected.buffer, m.labels.buffer, m.codes.buffer, m.mean.buffer, m.components.buffer]);
  }

  async #endEpoch(stats) {
    const { sum, steps } = this.epochLoss;
    const trainTerms = steps && sum ? scaleLoss(sum, 1 / steps) : null;
    this.epochLoss = { sum: null, steps: 0 };
    let testLoss = null;
    if (this.engine.hasDataset('test')) testLoss = await evaluateInSlices(this.engine, 'test', this.yieldFn);
    const msg = { type: Event.EPOCH, epoch: stats.epoch, step: stats.step, trainLoss: trainTerms?.total ?? null, trainTerms, testLoss };
    this.history.addEpoch(msg);
    this.post(msg);
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

const zeroLoss = () => ({ total: 0, recon: 0, kl: 0, sparsity: 0, weightDecay: 0, disc: 0, gen: 0 });

/** sum += w · loss, in place (a new sum only when there is none yet). */
function accumulate(sum, loss, w) {
  const out = sum ?? zeroLoss();
  for (const k of TERMS) out[k] += w * (loss[k] ?? 0);
  return out;
}

function scaleLoss(a, s) {
  const out = {};
  for (const k of Object.keys(a)) out[k] = a[k] * s;
  return out;
}

/**
 * Events of one moment, sent as one message: alone as it is, two or more in a BATCH (protocol.js).
 * post() collects; send() posts what was collected and starts over.
 */
class Batch {
  events = [];
  transfer = [];
  post = (msg, transfer = []) => {
    this.events.push(msg);
    this.transfer.push(...transfer);
  };
  send(post) {
    const { events, transfer } = this;
    if (!events.length) return;
    this.events = [];
    this.transfer = [];
    post(events.length === 1 ? events[0] : { type: Event.BATCH, events }, transfer);
  }
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
