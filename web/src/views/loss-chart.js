// The loss chart: x in epochs, y on a log scale (losses fall by an order of magnitude in the
// first epoch; a log axis keeps the later, slower progress visible). One line per loss term
// of the training loss, and the test loss as dots (one per epoch) joined by a thin line.
// Colours (styles.css, Okabe–Ito) and dash patterns both tell the lines apart, and the legend
// buttons show or hide each one. A term appears once it is non-zero.
// Life cycle: construct, add(id, x, y), reset(); load(series) shows a saved history (a loaded
// model's: the same points its run had, lib/history.js).
// Tied to the formulas (views/formulas.js): highlight(id) picks out one line (the others fade)
// and its legend key; pointing at or focusing a legend key calls onHighlight(id).
import { MAX_POINTS } from '../lib/history.js';
import { Paced } from '../lib/paced.js';
import { Series } from '../lib/series.js';
import { logTicks } from '../lib/ticks.js';

// Colours come from styles.css once: reading computed styles on every draw would force a
// style recalculation in the middle of training updates.
const colors = new Map();
const cssVar = (el, name, fallback) => {
  if (!colors.has(name)) colors.set(name, getComputedStyle(el).getPropertyValue(name).trim() || fallback);
  return colors.get(name);
};
// While points stream in, redraw at most this often: a little below twice the worker's PROGRESS
// interval (250 ms), so that the chart is redrawn with every second PROGRESS, in the frame that
// shows it, not on a timer of its own (lib/paced.js says why). Drawn with every one, it cost the
// page more than the frames it saved (README, Threads).
const REDRAW_MS = 450;

/** @typedef {{id: string, label: string, color: string, dash?: number[], dots?: boolean, term?: boolean}} SeriesSpec */

// label: a message key (i18n/*.js)
export const LOSS_SERIES = [
  { id: 'total', label: 'learn.series.total', color: '--series-total' },
  { id: 'recon', label: 'learn.series.recon', color: '--series-recon', dash: [7, 4], term: true },
  { id: 'kl', label: 'learn.series.kl', color: '--series-kl', dash: [2, 3], term: true },
  { id: 'sparsity', label: 'learn.series.sparsity', color: '--series-sparsity', dash: [9, 3, 2, 3], term: true },
  { id: 'weightDecay', label: 'learn.series.weightDecay', color: '--series-wd', dash: [1, 3], term: true },
  // The adversarial autoencoder's discriminator and generator: their own objectives, not terms of the total.
  { id: 'disc', label: 'learn.series.disc', color: '--series-disc', dash: [5, 2, 1, 2] },
  { id: 'gen', label: 'learn.series.gen', color: '--series-gen', dash: [3, 2] },
  { id: 'test', label: 'learn.series.test', color: '--series-test', dots: true },
];

export class LossChart {
  /**
   * @param {HTMLCanvasElement} canvas
   * @param {HTMLElement} legend  where the legend's toggle buttons go
   * @param {SeriesSpec[]} [specs]
   * @param {{i18n: import('../i18n/index.js').I18n, onHighlight?: (id: string|null) => void}} o
   */
  constructor(canvas, legend, specs = LOSS_SERIES, { i18n, onHighlight = () => {} } = {}) {
    this.canvas = canvas;
    this.legend = legend;
    this.i18n = i18n;
    this.onHighlight = onHighlight;
    this.hl = null; // the line picked out, or null
    i18n.onChange(() => this.#schedule());
    this.series = specs.map((s) => ({ ...s, data: new Series(MAX_POINTS), hidden: false, button: null }));
    this.frame = 0;
    this.paced = new Paced(() => this.#schedule(), { minMs: REDRAW_MS, maxWaitMs: 2 * REDRAW_MS });
    new ResizeObserver(() => this.#schedule()).observe(canvas);
    this.#renderLegend();
  }

  /** Adds a point; zero or negative values cannot sit on a log axis and are skipped. */
  add(id, x, y) {
    const s = this.series.find((t) => t.id === id);
    if (!s || !Number.isFinite(y) || y <= 0) return;
    const wasEmpty = s.data.length === 0;
    s.data.push(x, y);
    if (wasEmpty) this.#renderLegend();
    if (this.frame) return; // the points of one PROGRESS share a redraw
    this.canvas.dataset.pending = '1';
    this.paced.request();
  }

  reset() {
    for (const s of this.series) s.data.clear();
    this.#renderLegend();
    this.#schedule();
  }

  /** Replaces every line with a saved history's points: { id: { xs, ys } }. */
  load(series) {
    for (const s of this.series) {
      s.data.clear();
      const d = series?.[s.id];
      if (!d) continue;
      s.data.xs = [...d.xs];
      s.data.ys = [...d.ys];
    }
    this.#renderLegend();
    this.#schedule();
  }

  /** Draws now what is waiting to be drawn (training stopped: the chart shows where). */
  flush() {
    if (!this.paced.waiting) return;
    this.paced.cancel();
    this.#draw();
  }

  /** Picks out one line and its legend key (the formulas' term `id` is pointed at), or none. */
  highlight(id) {
    // A plain model's reconstruction term is its whole loss: its line is the train loss's.
    if (id === 'recon' && !this.#visible(this.series.find((t) => t.id === 'recon'))) id = 'total';
    if (this.hl === id) return;
    this.hl = id;
    for (const b of this.legend.querySelectorAll('.legend-key')) b.classList.toggle('hl', b.dataset.series === id);
    this.canvas.dataset.highlight = id ?? '';
    this.#schedule();
  }

  /** Number of points in a series (tests and the live region read this). */
  count(id) {
    return this.series.find((t) => t.id === id).data.length;
  }

  // A term line is worth showing when it is not just the total again (the only non-zero term).
  #visible(s) {
    if (!s.data.length) return false;
    if (s.id !== 'recon') return true;
    return this.series.some((t) => t.term && t.id !== 'recon' && t.data.length);
  }

  #renderLegend() {
    this.legend.replaceChildren();
    for (const s of this.series) {
      if (!this.#visible(s)) continue;
      const b = document.createElement('button');
      b.type = 'button';
      b.className = `legend-key ${s.dots ? 'dots' : ''}`;
      b.dataset.series = s.id;
      b.style.setProperty('--key-color', `var(${s.color})`);
      if (s.dash) b.style.setProperty('--key-dash', 'dashed');
      b.setAttribute('aria-pressed', String(!s.hidden));
      b.classList.toggle('hl', this.hl === s.id);
      this.i18n.text(b, s.label);
      this.i18n.attr(b, 'title', 'learn.toggle', { label: { $: 'msg', k: s.label } });
      for (const [ev, on] of [['pointerenter', true], ['focus', true], ['pointerleave', false], ['blur', false]]) {
        b.addEventListener(ev, () => {
          this.highlight(on ? s.id : null);
          this.onHighlight(on ? s.id : null);
        });
      }
      b.addEventListener('click', () => {
        s.hidden = !s.hidden;
        b.setAttribute('aria-pressed', String(!s.hidden));
        this.#schedule();
      });
      this.legend.append(b);
    }
  }

  #schedule() {
    this.canvas.dataset.pending = '1'; // a redraw is due (tests wait for it to go)
    if (!this.frame) this.frame = requestAnimationFrame(() => ((this.frame = 0), this.#draw()));
  }

  #draw() {
    if (!this.frame && !this.paced.waiting) delete this.canvas.dataset.pending;
    const dpr = window.devicePixelRatio || 1;
    const cw = this.canvas.clientWidth, ch = this.canvas.clientHeight;
    if (!cw || !ch) return;
    if (this.canvas.width !== Math.round(cw * dpr)) this.canvas.width = Math.round(cw * dpr);
    if (this.canvas.height !== Math.round(ch * dpr)) this.canvas.height = Math.round(ch * dpr);
    const ctx = this.canvas.getContext('2d');
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, cw, ch);

    const pad = { l: 46, r: 12, t: 10, b: 24 };
    const w = cw - pad.l - pad.r, h = ch - pad.t - pad.b;
    const shown = this.series.filter((s) => this.#visible(s) && !s.hidden);
    const all = shown.flatMap((s) => s.data.ys);
    const muted = cssVar(this.canvas, '--muted', '#5b6475'), grid = cssVar(this.canvas, '--line', '#dfe3ea');
    ctx.font = '11px system-ui, sans-serif';
    ctx.fillStyle = muted;
    if (!all.length) {
      ctx.textAlign = 'center';
      ctx.fillText(this.i18n.plain('learn.empty'), pad.l + w / 2, pad.t + h / 2);
      return;
    }
    const xMax = Math.max(1, ...shown.flatMap((s) => s.data.xs));
    let lo = Math.log10(Math.min(...all)), hi = Math.log10(Math.max(...all));
    if (hi - lo < 0.1) (lo -= 0.05), (hi += 0.05);
    const X = (x) => pad.l + (x / xMax) * w;
    const Y = (y) => pad.t + (1 - (Math.log10(y) - lo) / (hi - lo)) * h;

    // Grid: round y ticks, at least three where the range allows (lib/ticks.js); x at whole epochs.
    ctx.strokeStyle = grid;
    ctx.lineWidth = 1;
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    for (const v of logTicks(10 ** lo, 10 ** hi, h)) {
      const y = Y(v);
      ctx.beginPath();
      ctx.moveTo(pad.l, y);
      ctx.lineTo(pad.l + w, y);
      ctx.stroke();
      ctx.fillText(formatTick(v), pad.l - 6, y);
    }
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    const step = Math.max(1, Math.ceil(xMax / 10));
    for (let e = 0; e <= xMax; e += step) ctx.fillText(String(e), X(e), pad.t + h + 6);
    ctx.textAlign = 'right';
    ctx.fillText(this.i18n.plain('learn.axisEpoch'), pad.l - 8, pad.t + h + 6);

    for (const s of shown) {
      const color = cssVar(this.canvas, s.color, '#0072b2');
      ctx.strokeStyle = ctx.fillStyle = color;
      ctx.globalAlpha = this.hl && this.hl !== s.id ? 0.25 : 1;
      const { xs, ys } = s.data;
      if (s.dots) {
        ctx.lineWidth = 1;
        ctx.setLineDash([]);
        polyline(ctx, xs, ys, X, Y);
        for (let i = 0; i < xs.length; i++) {
          ctx.beginPath();
          ctx.arc(X(xs[i]), Y(ys[i]), 4, 0, 2 * Math.PI);
          ctx.fill();
        }
        continue;
      }
      ctx.lineWidth = (s.term ? 1.5 : 2) * (this.hl === s.id ? 2 : 1);
      ctx.setLineDash(s.dash ?? []);
      polyline(ctx, xs, ys, X, Y);
    }
    ctx.globalAlpha = 1;
    ctx.setLineDash([]);
  }
}

function polyline(ctx, xs, ys, X, Y) {
  ctx.beginPath();
  for (let i = 0; i < xs.length; i++) {
    if (i === 0) ctx.moveTo(X(xs[i]), Y(ys[i]));
    else ctx.lineTo(X(xs[i]), Y(ys[i]));
  }
  ctx.stroke();
}

function formatTick(v) {
  if (v >= 1000 || v < 0.01) return v.toExponential(1).replace('.0e', 'e').replace('e+', 'e'); // 1.5e3, 2e3
  return String(Number(v.toPrecision(2)));
}
