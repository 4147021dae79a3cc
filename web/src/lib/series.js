// A chart series that never grows past `max` points: when full, neighbouring pairs are merged
// (x and y averaged), halving the count. Hours of training keep a chart that draws in a
// fraction of a millisecond, while its shape survives (a curve with tens of thousands of
// chunks drawn across a few hundred pixels shows no more detail anyway).
export class Series {
  /** @param {number} max even, ≥ 4 */
  constructor(max = 1200) {
    if (!(Number.isInteger(max) && max >= 4 && max % 2 === 0)) throw new Error(`Series: max must be an even integer >= 4, got ${max}`);
    this.max = max;
    this.xs = [];
    this.ys = [];
  }

  get length() {
    return this.xs.length;
  }

  push(x, y) {
    if (!Number.isFinite(x) || !Number.isFinite(y)) return;
    this.xs.push(x);
    this.ys.push(y);
    if (this.xs.length > this.max) this.#halve();
  }

  clear() {
    this.xs = [];
    this.ys = [];
  }

  last() {
    return this.xs.length ? { x: this.xs.at(-1), y: this.ys.at(-1) } : null;
  }

  #halve() {
    const n = this.xs.length;
    const xs = [], ys = [];
    // Keep the newest point exact when the count is odd; merge the rest pairwise.
    const end = n % 2 ? n - 1 : n;
    for (let i = 0; i < end; i += 2) {
      xs.push((this.xs[i] + this.xs[i + 1]) / 2);
      ys.push((this.ys[i] + this.ys[i + 1]) / 2);
    }
    if (end < n) {
      xs.push(this.xs[n - 1]);
      ys.push(this.ys[n - 1]);
    }
    this.xs = xs;
    this.ys = ys;
  }
}
