// What the applications lab's charts share: a canvas drawn at its native size (CSS size ×
// devicePixelRatio, redrawn when it is resized), colours read from the CSS custom properties of
// styles.css, linear or log scales with round ticks, axes with their labels, lines, points and
// a legend drawn on the canvas. Each chart (one module per chart in this folder) keeps its own
// data and calls draw() when it changes; every chart also has a text alternative (a table or a
// sentence) that its module fills, since a canvas says nothing to a screen reader.
import { linearTicks, logTicks } from '../../lib/ticks.js';

export class Plot {
  /**
   * @param {HTMLCanvasElement} canvas
   * @param {(plot: Plot) => void} paint draws the chart (called with the canvas ready)
   * @param {{l: number, r: number, t: number, b: number}} [pad] room for the axes, in CSS px
   */
  constructor(canvas, paint, pad = { l: 48, r: 12, t: 22, b: 34 }) {
    this.canvas = canvas;
    this.paint = paint;
    this.pad = pad;
    this.colors = new Map();
    this.frame = 0;
    new ResizeObserver(() => this.draw()).observe(canvas);
  }

  /** Redraws at the next frame (several changes in one task draw once). */
  draw() {
    this.canvas.dataset.pending = '1';
    if (!this.frame) this.frame = requestAnimationFrame(() => ((this.frame = 0), this.#paintNow()));
  }

  #paintNow() {
    delete this.canvas.dataset.pending;
    const dpr = window.devicePixelRatio || 1;
    const cw = this.canvas.clientWidth, ch = this.canvas.clientHeight;
    if (!cw || !ch) return; // hidden: drawn when it shows (the ResizeObserver sees it)
    if (this.canvas.width !== Math.round(cw * dpr)) this.canvas.width = Math.round(cw * dpr);
    if (this.canvas.height !== Math.round(ch * dpr)) this.canvas.height = Math.round(ch * dpr);
    const ctx = this.canvas.getContext('2d');
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, cw, ch);
    this.ctx = ctx;
    this.width = cw;
    this.height = ch;
    this.w = cw - this.pad.l - this.pad.r;
    this.h = ch - this.pad.t - this.pad.b;
    ctx.font = '11px system-ui, sans-serif';
    ctx.lineJoin = 'round';
    this.paint(this);
  }

  /** A CSS custom property's value (read once per chart: reading styles mid-update is costly). */
  color(name, fallback = '#1b2130') {
    if (!this.colors.has(name)) this.colors.set(name, getComputedStyle(this.canvas).getPropertyValue(name).trim() || fallback);
    return this.colors.get(name);
  }

  /** x and y scales: { domain: [lo, hi], log? } → pixel positions inside the plot area. */
  scales(x, y) {
    const map = (d, from, size, flip) => {
      const [lo, hi] = d.log ? d.domain.map(Math.log10) : d.domain;
      const span = hi - lo || 1;
      return (v) => {
        const t = ((d.log ? Math.log10(v) : v) - lo) / span;
        return flip ? from + (1 - t) * size : from + t * size;
      };
    };
    this.X = map(x, this.pad.l, this.w, false);
    this.Y = map(y, this.pad.t, this.h, true);
    this.xAxis = x;
    this.yAxis = y;
  }

  /** Grid lines, tick labels and axis titles for the current scales. */
  axes({ xLabel = '', yLabel = '', xFormat = tickText, yFormat = tickText, xTicks, yTicks } = {}) {
    const { ctx, pad, w, h } = this;
    const muted = this.color('--muted', '#596275');
    ctx.strokeStyle = this.color('--line', '#e1e5ec');
    ctx.fillStyle = muted;
    ctx.lineWidth = 1;
    ctx.setLineDash([]);
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    for (const v of yTicks ?? ticks(this.yAxis, Math.max(2, Math.floor(h / 36)), h)) {
      const y = Math.round(this.Y(v)) + 0.5;
      ctx.beginPath();
      ctx.moveTo(pad.l, y);
      ctx.lineTo(pad.l + w, y);
      ctx.stroke();
      ctx.fillText(yFormat(v), pad.l - 5, y);
    }
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    for (const v of xTicks ?? ticks(this.xAxis, Math.max(2, Math.floor(w / 60)), w, 44)) {
      const x = Math.round(this.X(v)) + 0.5;
      ctx.beginPath();
      ctx.moveTo(x, pad.t + h);
      ctx.lineTo(x, pad.t + h + 4);
      ctx.stroke();
      ctx.fillText(xFormat(v), x, pad.t + h + 5);
    }
    ctx.strokeStyle = muted;
    ctx.beginPath();
    ctx.moveTo(pad.l + 0.5, pad.t);
    ctx.lineTo(pad.l + 0.5, pad.t + h + 0.5);
    ctx.lineTo(pad.l + w, pad.t + h + 0.5);
    ctx.stroke();
    if (xLabel) {
      ctx.textAlign = 'right';
      ctx.textBaseline = 'bottom';
      ctx.fillText(xLabel, pad.l + w, this.height - 1);
    }
    if (yLabel) {
      ctx.textAlign = 'left';
      ctx.textBaseline = 'top';
      ctx.fillText(yLabel, 2, 3); // below the edge: CJK glyphs rise above the em box's top
    }
  }

  /** A line through points [[x, y], …] (points outside a log axis are skipped). */
  line(points, { color = '--accent', width = 2, dash = [] } = {}) {
    const { ctx } = this;
    ctx.strokeStyle = this.color(color, '#0072b2');
    ctx.lineWidth = width;
    ctx.setLineDash(dash);
    ctx.beginPath();
    let started = false;
    for (const [x, y] of points) {
      if (!this.#inDomain(x, y)) continue;
      if (started) ctx.lineTo(this.X(x), this.Y(y));
      else ctx.moveTo(this.X(x), this.Y(y)), (started = true);
    }
    ctx.stroke();
    ctx.setLineDash([]);
  }

  /** Markers at points: 'circle', 'square', 'triangle' or 'diamond' (shape tells series apart, not only colour). */
  points(points, { color = '--accent', shape = 'circle', size = 4.5, filled = true } = {}) {
    const { ctx } = this;
    ctx.fillStyle = ctx.strokeStyle = this.color(color, '#0072b2');
    ctx.lineWidth = 1.5;
    for (const [x, y] of points) {
      if (!this.#inDomain(x, y)) continue;
      marker(ctx, this.X(x), this.Y(y), shape, size);
      if (filled) ctx.fill();
      else ctx.stroke();
    }
  }

  /**
   * A legend in a corner of the plot, top right unless told (align 'left', valign 'bottom'):
   * entries { label, color, shape?, dash? }. Entries wrap into as many rows as the width needs.
   */
  legend(entries, { align = 'right', valign = 'top' } = {}) {
    const { ctx, pad, w, h } = this;
    const { widths, rows } = this.#legendRows(entries);
    ctx.textBaseline = 'middle';
    ctx.textAlign = 'left';
    rows.forEach((row, r) => {
      const total = row.reduce((a, i) => a + widths[i], 0);
      let x = align === 'right' ? pad.l + w - total : pad.l + 6;
      const y = valign === 'bottom' ? pad.t + h - 8 - (rows.length - 1 - r) * 16 : pad.t + 8 + r * 16;
      ctx.fillStyle = this.color('--panel', '#fff');
      ctx.globalAlpha = 0.85;
      ctx.fillRect(x - 4, y - 8, total + 4, 16);
      ctx.globalAlpha = 1;
      for (const i of row) {
        const e = entries[i];
        const c = this.color(e.color, '#0072b2');
        ctx.strokeStyle = ctx.fillStyle = c;
        if (e.shape) {
          marker(ctx, x + 8, y, e.shape, 4);
          if (e.filled === false) ctx.stroke();
          else ctx.fill();
        } else {
          ctx.lineWidth = 2;
          ctx.setLineDash(e.dash ?? []);
          ctx.beginPath();
          ctx.moveTo(x, y);
          ctx.lineTo(x + 16, y);
          ctx.stroke();
          ctx.setLineDash([]);
        }
        ctx.fillStyle = this.color('--ink', '#1b2130');
        ctx.fillText(e.label, x + 20, y);
        x += widths[i];
      }
    });
  }

  /** The height in px that legend(entries) takes at the plot's current width. */
  legendHeight(entries) {
    return this.#legendRows(entries).rows.length * 16;
  }

  /** The legend's entries in rows of the plot's width (indices), and each entry's width. */
  #legendRows(entries) {
    const { ctx, w } = this;
    ctx.font = '11px system-ui, sans-serif';
    const widths = entries.map((e) => 22 + ctx.measureText(e.label).width + 10);
    const rows = [[]];
    let used = 0;
    widths.forEach((ew, i) => {
      if (used + ew > w && rows.at(-1).length) rows.push([]), (used = 0);
      rows.at(-1).push(i);
      used += ew;
    });
    return { widths, rows };
  }

  /** A message in the middle of an empty chart. */
  empty(text) {
    const { ctx } = this;
    ctx.fillStyle = this.color('--muted', '#596275');
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.fillText(text, this.width / 2, this.height / 2);
  }

  #inDomain(x, y) {
    if (!Number.isFinite(x) || !Number.isFinite(y)) return false;
    if (this.xAxis?.log && x <= 0) return false;
    if (this.yAxis?.log && y <= 0) return false;
    return true;
  }
}

function marker(ctx, x, y, shape, s) {
  ctx.beginPath();
  if (shape === 'square') ctx.rect(x - s, y - s, 2 * s, 2 * s);
  else if (shape === 'triangle') {
    ctx.moveTo(x, y - s * 1.2);
    ctx.lineTo(x + s * 1.1, y + s * 0.8);
    ctx.lineTo(x - s * 1.1, y + s * 0.8);
    ctx.closePath();
  } else if (shape === 'diamond') {
    ctx.moveTo(x, y - s * 1.3);
    ctx.lineTo(x + s, y);
    ctx.lineTo(x, y + s * 1.3);
    ctx.lineTo(x - s, y);
    ctx.closePath();
  } else ctx.arc(x, y, s, 0, 2 * Math.PI);
}

/**
 * Round tick values inside an axis's domain (lib/ticks.js): about `target` in 1-2-5 steps on a
 * linear axis; on a log axis `px` pixels long, at least three where they fit `gap` pixels apart.
 */
export function ticks(axis, target = 5, px = target * 36, gap = 16) {
  const [lo, hi] = axis.domain;
  return axis.log ? logTicks(lo, hi, px, { gap }) : linearTicks(lo, hi, target);
}

/** A tick label: short, no trailing zeros. */
export function tickText(v) {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 10000 || a < 0.001) return v.toExponential(1).replace('.0e', 'e').replace('e+', 'e'); // 1.5e4, 2e4
  return String(Number(v.toPrecision(3)));
}

/** A domain [lo, hi] covering the values, with a margin (log: a factor; linear: a fraction). */
export function extent(values, { log = false, margin = 0.05, zero = false } = {}) {
  const v = values.filter((x) => Number.isFinite(x) && (!log || x > 0));
  if (!v.length) return log ? [1, 10] : [0, 1];
  let lo = Math.min(...v), hi = Math.max(...v);
  if (zero) lo = Math.min(0, lo);
  if (log) {
    const f = 10 ** (Math.log10(hi / lo || 10) * margin || 0.05);
    return [lo / f, hi * f];
  }
  const m = (hi - lo || Math.abs(hi) || 1) * margin;
  return [zero && lo === 0 ? 0 : lo - m, hi + m];
}
