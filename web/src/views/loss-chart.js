// A loss chart: one line per series, x in epochs, y on a log scale (losses fall by an order
// of magnitude in the first epoch; a log axis keeps the later, slower progress visible).
// Life cycle: construct, add(series, x, y), reset().
const CSS = getComputedStyle(document.documentElement);
const cssVar = (name, fallback) => CSS.getPropertyValue(name).trim() || fallback;

export class LossChart {
  /**
   * @param {HTMLCanvasElement} canvas
   * @param {Array<{id: string, color: string, dots?: boolean}>} series
   */
  constructor(canvas, series) {
    this.canvas = canvas;
    this.series = series.map((s) => ({ ...s, xs: [], ys: [] }));
    this.frame = 0;
    new ResizeObserver(() => this.#schedule()).observe(canvas);
  }

  add(id, x, y) {
    if (!Number.isFinite(y) || y <= 0) return;
    const s = this.series.find((t) => t.id === id);
    s.xs.push(x);
    s.ys.push(y);
    this.#schedule();
  }

  reset() {
    for (const s of this.series) {
      s.xs = [];
      s.ys = [];
    }
    this.#schedule();
  }

  /** Number of points in a series (tests and the live region read this). */
  count(id) {
    return this.series.find((t) => t.id === id).xs.length;
  }

  #schedule() {
    if (!this.frame) this.frame = requestAnimationFrame(() => ((this.frame = 0), this.#draw()));
  }

  #draw() {
    const dpr = window.devicePixelRatio || 1;
    const cw = this.canvas.clientWidth, ch = this.canvas.clientHeight;
    if (!cw || !ch) return;
    if (this.canvas.width !== Math.round(cw * dpr)) this.canvas.width = Math.round(cw * dpr);
    if (this.canvas.height !== Math.round(ch * dpr)) this.canvas.height = Math.round(ch * dpr);
    const ctx = this.canvas.getContext('2d');
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, cw, ch);

    const pad = { l: 44, r: 10, t: 8, b: 22 };
    const w = cw - pad.l - pad.r, h = ch - pad.t - pad.b;
    const all = this.series.flatMap((s) => s.ys);
    const muted = cssVar('--muted', '#5b6475'), line = cssVar('--line', '#dfe3ea');
    ctx.font = '11px system-ui, sans-serif';
    ctx.fillStyle = muted;
    if (!all.length) {
      ctx.fillText('The loss appears here once training starts.', pad.l, pad.t + h / 2);
      return;
    }
    const xMax = Math.max(1, ...this.series.flatMap((s) => s.xs));
    let lo = Math.log10(Math.min(...all)), hi = Math.log10(Math.max(...all));
    if (hi - lo < 0.05) (lo -= 0.05), (hi += 0.05);
    const X = (x) => pad.l + (x / xMax) * w;
    const Y = (y) => pad.t + (1 - (Math.log10(y) - lo) / (hi - lo)) * h;

    // Grid: y ticks at 1, 2, 5 × 10^k inside the range; x ticks at whole epochs.
    ctx.strokeStyle = line;
    ctx.lineWidth = 1;
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    for (let k = Math.floor(lo); k <= Math.ceil(hi); k++) {
      for (const m of [1, 2, 5]) {
        const v = m * 10 ** k;
        const lv = Math.log10(v);
        if (lv < lo || lv > hi) continue;
        const y = Y(v);
        ctx.beginPath();
        ctx.moveTo(pad.l, y);
        ctx.lineTo(pad.l + w, y);
        ctx.stroke();
        ctx.fillText(String(v), pad.l - 6, y);
      }
    }
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    const step = Math.max(1, Math.ceil(xMax / 10));
    for (let e = 0; e <= xMax; e += step) ctx.fillText(String(e), X(e), pad.t + h + 6);
    ctx.textAlign = 'left';
    ctx.fillText('epoch', pad.l + w - 30, pad.t + h + 6);

    for (const s of this.series) {
      const color = cssVar(s.color, s.color);
      ctx.strokeStyle = ctx.fillStyle = color;
      ctx.lineWidth = 2;
      if (s.dots) {
        for (let i = 0; i < s.xs.length; i++) {
          ctx.beginPath();
          ctx.arc(X(s.xs[i]), Y(s.ys[i]), 4, 0, 2 * Math.PI);
          ctx.fill();
        }
        continue;
      }
      ctx.beginPath();
      for (let i = 0; i < s.xs.length; i++) {
        const x = X(s.xs[i]), y = Y(s.ys[i]);
        if (i === 0) ctx.moveTo(x, y);
        else ctx.lineTo(x, y);
      }
      ctx.stroke();
    }
  }
}
