// Paced updates for the views that follow training. An update runs at once when the last one is
// at least `minMs` old, so it lands in the frame of the event that asked for it (the worker's
// PROGRESS, four a second: every view that follows it then shares that frame). A request that
// comes sooner waits for the next request, which shows the latest, or for `maxWaitMs` if none
// comes (the stream stopped).
//
// Why not a timer per view: each timer's callback changes the page at its own moment, and every
// change is a frame of its own (style, layout, paint, commit). With the train panel and the loss
// chart on timers of their own the page drew 12 frames a second while training, on the same two
// cores as training; one frame per PROGRESS is what the numbers need.
export class Paced {
  /**
   * @param {() => void} fn  the update
   * @param {object} o
   * @param {number} o.minMs  at most one update this often
   * @param {number} [o.maxWaitMs]  a request waits at most this long (≥ minMs)
   * @param {() => number} [o.now]
   */
  constructor(fn, { minMs, maxWaitMs = minMs, now = () => performance.now() }) {
    Object.assign(this, { fn, minMs, maxWaitMs: Math.max(minMs, maxWaitMs), now });
    this.last = -Infinity; // when the last update ran
    this.timer = 0; // a waiting update's
  }

  /** Asks for an update: now, with the next request, or in `maxWaitMs` at the latest. */
  request() {
    if (this.now() - this.last >= this.minMs) this.flush();
    else if (!this.timer) this.timer = setTimeout(() => this.flush(), this.maxWaitMs);
  }

  /** A waiting update runs now (or any update, with `always`). */
  flush({ always = true } = {}) {
    if (!always && !this.timer) return;
    this.cancel();
    this.last = this.now();
    this.fn();
  }

  /** Forgets a waiting update. */
  cancel() {
    clearTimeout(this.timer);
    this.timer = 0;
  }

  /** Whether an update waits. */
  get waiting() {
    return this.timer !== 0;
  }
}
