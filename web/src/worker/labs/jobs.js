// How the applications lab's long computations share the worker with training and with the
// page's live requests: each runs as a Job in slices of about `sliceMs`, and between two slices
// it gives the worker back.
//
//   - Not training: after each slice it yields to the event loop (a macrotask), so a drawing's
//     reconstruction or a threshold being dragged waits at most one slice (~25 ms).
//   - Training: the lab gets a third of the worker, training the rest: after a slice of d ms the
//     job sleeps 2·d ms (`trainingPerLabMs`), in which the training loop runs its
//     ~20 ms chunks. So training slows to about two thirds of its speed while a lab computes,
//     never stops, and a lab's 1 s of work finishes in about 3 s: neither starves the other.
//     (A third rather than a half: training is what the person started and watches; the lab's
//     figures arrive a few seconds later, and refresh every few seconds while it trains.)
//
// A job is cancelled by a newer request of the same lane, by a model or dataset change, or on
// request; the next slice boundary then throws an Error with code 'cancelled' (its reply says
// so and the page ignores it). Slices are sized by measuring: `units(key, total, run)` calls
// run(start, count) with counts chosen so that one call takes about sliceMs, remembering the
// rate per key for the next job. Progress (LAB_PROGRESS) goes out at most every `progressMs`.
import { Event } from '../../protocol.js';
import { yieldToEventLoop } from '../train-loop.js';

/** While training runs, training gets this many ms of the worker for each ms a lab computes. */
export const TRAINING_PER_LAB_MS = 2;
export const LAB_SHARE = 1 / (1 + TRAINING_PER_LAB_MS);

export class Cancelled extends Error {
  constructor(why) {
    super(`cancelled: ${why}`);
    this.code = 'cancelled';
  }
}

export class LabJobs {
  /**
   * @param {object} o
   * @param {() => boolean} o.training  whether the training loop runs now
   * @param {(msg: object) => void} o.post
   * @param {number} [o.sliceMs]  the length of one slice
   * @param {number} [o.trainingPerLabMs]  while training runs, the ms it gets per ms of lab work
   * @param {() => number} [o.now]
   * @param {() => Promise<void>} [o.yieldFn]
   * @param {(ms: number) => Promise<void>} [o.sleep]
   */
  constructor({ training, post, sliceMs = 25, trainingPerLabMs = TRAINING_PER_LAB_MS, progressMs = 100, now = () => performance.now(), yieldFn = yieldToEventLoop, sleep = (ms) => new Promise((r) => setTimeout(r, ms)) }) {
    Object.assign(this, { training, post, sliceMs, trainingPerLabMs, progressMs, now, yieldFn, sleep });
    this.lanes = new Map(); // lane → the job running on it
    this.rates = new Map(); // units key → ms per item, measured
    this.labMs = 0; // time spent in lab slices (for the tests' accounting of the share)
  }

  /**
   * Runs `work(job)` as the job of `lane`, cancelling the lane's previous job first.
   * @template T
   * @param {string} lane
   * @param {{id?: number, lab: string}} info  the request's id and lab, for progress events
   * @param {(job: Job) => Promise<T>} work
   * @returns {Promise<T>}
   */
  async run(lane, info, work) {
    this.cancel(lane, 'a newer request');
    const job = new Job(this, lane, info);
    this.lanes.set(lane, job);
    try {
      await job.begin();
      return await work(job);
    } finally {
      if (this.lanes.get(lane) === job) this.lanes.delete(lane);
    }
  }

  /** Cancels the job of one lane (or of every lane when lane is null). */
  cancel(lane, why) {
    for (const [l, job] of this.lanes) {
      if (lane === null || l === lane) {
        job.cancelled = why;
        this.lanes.delete(l);
      }
    }
  }

  /** Cancels every job except those of the lanes listed. */
  cancelAllBut(keep, why) {
    for (const l of [...this.lanes.keys()]) if (!keep.includes(l)) this.cancel(l, why);
  }

  busy(lane) {
    return this.lanes.has(lane);
  }
}

export class Job {
  constructor(jobs, lane, { id = null, lab }) {
    Object.assign(this, { jobs, lane, id, lab });
    this.cancelled = null;
    this.sliceStart = jobs.now();
    this.lastProgress = -Infinity;
  }

  check() {
    if (this.cancelled) throw new Cancelled(this.cancelled);
  }

  /** Starts the first slice after the request's own turn: a cancelled predecessor sees it first. */
  async begin() {
    await this.jobs.yieldFn();
    this.check();
    this.sliceStart = this.jobs.now();
  }

  /** Ends a slice: gives the worker back (its share to training, when it runs), then goes on. */
  async pause() {
    const { jobs } = this;
    const spent = jobs.now() - this.sliceStart;
    jobs.labMs += spent;
    if (jobs.training()) await jobs.sleep(Math.max(1, spent * jobs.trainingPerLabMs));
    else await jobs.yieldFn();
    this.check();
    this.sliceStart = jobs.now();
  }

  /** Ends the slice only when it has lasted sliceMs: for loops of small steps. */
  async maybePause() {
    if (this.jobs.now() - this.sliceStart >= this.jobs.sliceMs) await this.pause();
    else this.check();
  }

  /**
   * Calls run(start, count) over [0, total) in counts sized to take about sliceMs each,
   * pausing between calls. `key` names the kind of work, whose measured rate sizes the next job's
   * first call. Returns when all is done; run's results are the caller's to collect.
   */
  async units(key, total, run, { first = 64, max = 10_000, phase = key } = {}) {
    const { jobs } = this;
    let done = 0;
    while (done < total) {
      const rate = jobs.rates.get(key);
      const count = Math.max(1, Math.min(total - done, max, rate ? Math.floor(jobs.sliceMs / rate) : first));
      const t0 = jobs.now();
      run(done, count);
      const dt = jobs.now() - t0;
      if (dt > 0) jobs.rates.set(key, dt / count);
      done += count;
      this.progress(phase, done, total);
      await this.pause();
    }
  }

  /**
   * Drives an engine object advanced in units (sweepAdvance, runAdvance, probeStep):
   * step(units) → a status with `done` (and `progress` in [0, 1]); units sized like units().
   * onStatus(status) sees every status (partial results for the page).
   */
  async advance(key, step, { first = 4, max = 100_000, phase = key, onStatus = () => {} } = {}) {
    const { jobs } = this;
    for (;;) {
      const rate = jobs.rates.get(key);
      const units = Math.max(1, Math.min(max, rate ? Math.floor(jobs.sliceMs / rate) : first));
      const t0 = jobs.now();
      const status = step(units);
      const dt = jobs.now() - t0;
      if (dt > 0) jobs.rates.set(key, dt / units);
      onStatus(status);
      this.progress(phase, status.progress ?? 0, 1);
      if (status.done) return status;
      await this.pause();
    }
  }

  /** A LAB_PROGRESS event, at most every progressMs (always at the end of a phase). */
  progress(phase, done, total, partial = undefined) {
    const now = this.jobs.now();
    if (partial === undefined && done < total && now - this.lastProgress < this.jobs.progressMs) return;
    this.lastProgress = now;
    const msg = { type: Event.LAB_PROGRESS, request: this.id, lab: this.lab, phase, done, total };
    if (partial !== undefined) msg.partial = partial;
    this.jobs.post(msg);
  }
}
