// The anomaly lab's two histograms of reconstruction error (normal test images, anomalous ones),
// each scaled to its own total so that 1,000 anomalies show beside 9,000 normal images, with the
// threshold as a vertical line the person drags (pointer) or moves with the keyboard: the
// canvas is the slider (role="slider": arrows, Page Up/Down, Home/End). Everything right of the
// line is flagged. The counts are also in a table (fillTable), for screen readers.
import { Plot, tickText } from './plot.js';

export class ScoreHistogram {
  /**
   * @param {HTMLCanvasElement} canvas focusable, role="slider"
   * @param {{onThreshold: (t: number, final: boolean) => void, table?: HTMLTableSectionElement}} o
   *   final: the drag ended (a pointer up, a key): the moment to announce
   */
  constructor(canvas, { onThreshold, table = null }) {
    this.canvas = canvas;
    this.table = table;
    this.onThreshold = onThreshold;
    this.data = null; // { lo, hi, bins, normal, anomalous }
    this.threshold = null;
    this.best = null; // the best-F1 threshold, marked
    this.labels = { x: 'error', normal: 'normal', anomalous: 'anomalous', best: 'best F1', value: (t) => tickText(t), format: tickText };
    this.plot = new Plot(canvas, (p) => this.#paint(p), { l: 40, r: 12, t: 24, b: 34 });
    this.#listen();
  }

  setLabels(labels) {
    Object.assign(this.labels, labels);
    this.#aria();
    this.plot.draw();
  }

  /** New scores: { lo, hi, bins, normal, anomalous } (counts per bin) and where the threshold is. */
  set(data, threshold, best = null) {
    this.data = data;
    this.best = best;
    this.threshold = threshold;
    this.#aria();
    this.plot.draw();
    this.#fillTable();
  }

  setThreshold(t) {
    this.threshold = t;
    this.#aria();
    this.plot.draw();
  }

  #paint(p) {
    const d = this.data;
    if (!d) return p.empty(this.labels.empty ?? '');
    const { ctx } = p;
    const sum = (a) => a.reduce((x, y) => x + y, 0) || 1;
    const nNorm = sum(d.normal), nAnom = sum(d.anomalous);
    const frac = [...d.normal].map((c) => c / nNorm).concat([...d.anomalous].map((c) => c / nAnom));
    p.scales({ domain: [d.lo, d.hi] }, { domain: [0, Math.max(...frac) * 1.08 || 1] });
    p.axes({ xLabel: this.labels.x, yFormat: (v) => `${Math.round(v * 100)}%`, xFormat: this.labels.format });
    const width = (d.hi - d.lo) / d.bins;
    const bars = (counts, n, color, filled) => {
      ctx.fillStyle = ctx.strokeStyle = p.color(color, '#0072b2');
      ctx.lineWidth = 1.5;
      for (let b = 0; b < d.bins; b++) {
        if (!counts[b]) continue;
        const x0 = p.X(d.lo + b * width), x1 = p.X(d.lo + (b + 1) * width), y = p.Y(counts[b] / n);
        if (filled) {
          ctx.globalAlpha = 0.45;
          ctx.fillRect(x0, y, x1 - x0, p.Y(0) - y);
          ctx.globalAlpha = 1;
        } else ctx.strokeRect(x0 + 0.75, y + 0.75, x1 - x0 - 1.5, p.Y(0) - y - 0.75);
      }
    };
    bars(d.normal, nNorm, '--lab-normal', true);
    bars(d.anomalous, nAnom, '--lab-anomalous', false);
    const bestShown = this.best !== null && this.best >= d.lo && this.best <= d.hi;
    if (bestShown) {
      ctx.strokeStyle = p.color('--muted', '#596275');
      ctx.setLineDash([3, 3]);
      ctx.lineWidth = 1;
      const x = p.X(this.best);
      ctx.beginPath();
      ctx.moveTo(x, p.pad.t);
      ctx.lineTo(x, p.pad.t + p.h);
      ctx.stroke();
      ctx.setLineDash([]);
    }
    if (this.threshold !== null) {
      const t = Math.min(d.hi, Math.max(d.lo, this.threshold));
      const x = p.X(t);
      ctx.fillStyle = p.color('--danger', '#b34700');
      ctx.globalAlpha = 0.07;
      ctx.fillRect(x, p.pad.t, p.pad.l + p.w - x, p.h);
      ctx.globalAlpha = 1;
      ctx.strokeStyle = p.color('--danger', '#b34700');
      ctx.lineWidth = 2.5;
      ctx.beginPath();
      ctx.moveTo(x, p.pad.t - 6);
      ctx.lineTo(x, p.pad.t + p.h);
      ctx.stroke();
      // the handle
      ctx.beginPath();
      ctx.arc(x, p.pad.t - 6, 6, 0, 2 * Math.PI);
      ctx.fill();
      if (this.canvas.getRootNode().activeElement === this.canvas) {
        ctx.lineWidth = 2;
        ctx.strokeStyle = p.color('--focus', '#0072b2');
        ctx.beginPath();
        ctx.arc(x, p.pad.t - 6, 9, 0, 2 * Math.PI);
        ctx.stroke();
      }
    }
    const legend = [
      { label: this.labels.normal, color: '--lab-normal', shape: 'square' },
      { label: this.labels.anomalous, color: '--lab-anomalous', shape: 'square', filled: false },
    ];
    if (bestShown) this.#bestLabel(p, p.X(this.best), p.legendHeight(legend));
    p.legend(legend, { align: 'right' });
  }

  /**
   * "best F1" beside its line, on a light box so that bars never hide it: under the legend's
   * rows (legendPx tall), right of the line, or left of it when the line is near the right edge.
   */
  #bestLabel(p, x, legendPx) {
    const { ctx } = p;
    ctx.font = '11px system-ui, sans-serif';
    const tw = ctx.measureText(this.labels.best).width;
    const tx = x + 6 + tw <= p.pad.l + p.w ? x + 6 : x - 6 - tw;
    const ty = p.pad.t + Math.min(legendPx + 12, p.h / 2);
    ctx.fillStyle = p.color('--panel', '#fff');
    ctx.globalAlpha = 0.85;
    ctx.fillRect(tx - 3, ty - 8, tw + 6, 16);
    ctx.globalAlpha = 1;
    ctx.fillStyle = p.color('--muted', '#596275');
    ctx.textAlign = 'left';
    ctx.textBaseline = 'middle';
    ctx.fillText(this.labels.best, tx, ty);
  }

  #aria() {
    const d = this.data;
    if (!d || this.threshold === null) return;
    this.canvas.setAttribute('aria-valuemin', String(d.lo));
    this.canvas.setAttribute('aria-valuemax', String(d.hi));
    this.canvas.setAttribute('aria-valuenow', String(this.threshold));
    this.canvas.setAttribute('aria-valuetext', this.labels.value(this.threshold));
  }

  #move(t, final) {
    const d = this.data;
    if (!d) return;
    this.threshold = Math.min(d.hi, Math.max(d.lo, t));
    this.#aria();
    this.plot.draw();
    this.onThreshold(this.threshold, final);
  }

  #listen() {
    const c = this.canvas;
    const at = (e) => {
      const r = c.getBoundingClientRect();
      const p = this.plot;
      const d = this.data;
      const x = e.clientX - r.left;
      return d.lo + ((x - p.pad.l) / p.w) * (d.hi - d.lo);
    };
    let dragging = false;
    c.addEventListener('pointerdown', (e) => {
      if (!this.data) return;
      dragging = true;
      c.setPointerCapture(e.pointerId);
      c.focus({ preventScroll: true });
      this.#move(at(e), false);
      e.preventDefault();
    });
    c.addEventListener('pointermove', (e) => dragging && this.#move(at(e), false));
    const end = (e) => {
      if (!dragging) return;
      dragging = false;
      this.#move(at(e), true);
    };
    c.addEventListener('pointerup', end);
    c.addEventListener('pointercancel', () => (dragging = false));
    c.addEventListener('keydown', (e) => {
      const d = this.data;
      if (!d || this.threshold === null) return;
      const step = (d.hi - d.lo) / 100;
      const moves = { ArrowRight: step, ArrowUp: step, ArrowLeft: -step, ArrowDown: -step, PageUp: 10 * step, PageDown: -10 * step };
      let t;
      if (e.key in moves) t = this.threshold + moves[e.key];
      else if (e.key === 'Home') t = d.lo;
      else if (e.key === 'End') t = d.hi;
      else return;
      e.preventDefault();
      this.#move(t, true);
    });
    c.addEventListener('focus', () => this.plot.draw());
    c.addEventListener('blur', () => this.plot.draw());
  }

  #fillTable() {
    const d = this.data;
    if (!this.table || !d) return;
    const width = (d.hi - d.lo) / d.bins;
    const f = this.labels.format;
    const rows = [];
    for (let b = 0; b < d.bins; b++) {
      if (!d.normal[b] && !d.anomalous[b]) continue;
      const tr = document.createElement('tr');
      for (const text of [`${f(d.lo + b * width)} – ${f(d.lo + (b + 1) * width)}`, String(d.normal[b]), String(d.anomalous[b])]) {
        const td = document.createElement('td');
        td.textContent = text;
        tr.append(td);
      }
      rows.push(tr);
    }
    this.table.replaceChildren(...rows);
  }
}
