// Replies that only follow the model wait for the page's next PROGRESS, so that they are drawn
// in its frame instead of one of their own.
//
// While the model trains, the worker's PROGRESS (four a second) is a frame of the page. Every
// SNAPSHOT (two a second) the views that show the model's output ask the worker again: the
// drawing's reconstruction, then the sliders' decoding of its code, and every two seconds the
// interpolation. Their replies come a training chunk later (about 20 ms), each a frame of its
// own. Measured in Chromium with a test image on the pad, 10 s of training: 93 frames, 44 of them
// from such replies (40 from PROGRESS). On two cores every frame the page draws takes its time
// from a training thread (about 8 ms of the two-thread step per frame, measured chunk by chunk),
// so those frames cost training about 4 % and the page twice the drawing work it needs.
//
// hold(request) resolves with the request's result at the next open() after the result came
// (the page calls open() at the end of its PROGRESS handler, so what was held is drawn in that
// task's frame), at most a progress interval later; never later than maxWaitMs after the result,
// in case the stream stops. A failure is not held. What a person does is never held: the page
// holds only requests made while training runs and no one has touched the page for a moment.
export class FrameGate {
  /**
   * @param {object} [o]
   * @param {number} [o.maxWaitMs]  the longest a result waits for open()
   * @param {(fn: () => void, ms: number) => unknown} [o.setTimer]
   * @param {(timer: unknown) => void} [o.clearTimer]
   */
  constructor({ maxWaitMs = 1000, setTimer = (fn, ms) => setTimeout(fn, ms), clearTimer = (t) => clearTimeout(t) } = {}) {
    Object.assign(this, { maxWaitMs, setTimer, clearTimer });
    this.pending = null; // { promise, resolve, timer } while results wait
  }

  /** Resolves like `request`, once the next open() has come after its result. */
  hold(request) {
    return Promise.resolve(request).then((result) => this.#next().then(() => result));
  }

  /** Releases what waits (in this task: it is drawn in this task's frame). */
  open() {
    const p = this.pending;
    if (!p) return;
    this.pending = null;
    this.clearTimer(p.timer);
    p.resolve();
  }

  /** Whether a result waits. */
  get waiting() {
    return this.pending !== null;
  }

  #next() {
    if (!this.pending) {
      let resolve;
      const promise = new Promise((r) => (resolve = r));
      this.pending = { promise, resolve, timer: this.setTimer(() => this.open(), this.maxWaitMs) };
    }
    return this.pending.promise;
  }
}
