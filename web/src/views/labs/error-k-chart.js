// Reconstruction error against the latent size k (both axes on log scales): PCA's test error for
// every k as a line (one fit gives them all), and autoencoders as points: the loaded model, the
// models seen before in this page, the latent sweep's (joined by a line), a linear autoencoder.
// The AE-vs-PCA lab and the latent-size lab both draw it. A table (fillTable) lists the points.
import { V } from '../../i18n/values.js';
import { Plot, extent, tickText } from './plot.js';

/** The chart's labels in the page's language (the AE-vs-PCA and latent-size labs share them). */
export function errorKLabels(i18n) {
  const p = (k) => i18n.plain(k);
  return {
    x: p('labs.pca.axisK'), y: p('labs.pca.axisMse'), pca: p('labs.pca.point.pca'), model: p('labs.pca.point.model'), seen: p('labs.pca.point.seen'),
    sweep: p('labs.pca.point.sweep'), linear: p('labs.pca.point.linear'), mse: (v) => i18n.format(V.fixed(v, 4)), k: (k) => i18n.format(V.int(k)), empty: '',
  };
}

/** How each kind of point is drawn (shape and colour both differ). */
const KINDS = {
  model: { color: '--lab-ae', shape: 'circle', size: 6.5 },
  seen: { color: '--lab-ae', shape: 'circle', size: 4.5, filled: false },
  sweep: { color: '--lab-sweep', shape: 'diamond', size: 4.5 },
  linear: { color: '--lab-linear', shape: 'triangle', size: 5 },
};

export class ErrorVsKChart {
  /** @param {HTMLCanvasElement} canvas @param {HTMLTableSectionElement} [table] */
  constructor(canvas, table = null) {
    this.canvas = canvas;
    this.table = table;
    this.pca = null; // Float64Array: PCA's error for k = 0 … K
    this.points = []; // [{ k, mse, kind: 'model' | 'seen' | 'sweep' | 'linear', label }]
    this.labels = {
      x: 'latent size k', y: 'test MSE per pixel', pca: 'PCA', model: 'this model', seen: 'models seen before', sweep: 'sweep', linear: 'linear autoencoder',
      mse: (v) => v.toFixed(4), k: (k) => String(k),
    };
    this.plot = new Plot(canvas, (p) => this.#paint(p), { l: 52, r: 12, t: 22, b: 34 });
  }

  setLabels(labels) {
    Object.assign(this.labels, labels);
    this.plot.draw();
    this.#fillTable();
  }

  /** pca: errors for k = 0 … K (index k), or null; points: the autoencoders'. */
  set(pca, points) {
    this.pca = pca;
    this.points = points;
    this.plot.draw();
    this.#fillTable();
  }

  #paint(p) {
    const L = this.labels;
    const pcaPts = this.pca ? Array.from(this.pca, (v, k) => [k, v]).filter(([k]) => k >= 1) : [];
    const pts = this.points.filter((q) => q.k >= 1 && q.mse > 0);
    if (!pcaPts.length && !pts.length) return p.empty(L.empty ?? '');
    const kMax = Math.max(2, ...pcaPts.map(([k]) => k), ...pts.map((q) => q.k));
    const ys = [...pcaPts.map(([, v]) => v), ...pts.map((q) => q.mse)];
    // (a wide margin: the legend sits in the top right, above PCA's curve, even on a phone)
    p.scales({ domain: [1, kMax * 1.1], log: true }, { domain: extent(ys, { log: true, margin: 0.14 }), log: true });
    const kTicks = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512].filter((k) => k <= kMax * 1.1);
    p.axes({ xLabel: L.x, yLabel: L.y, xTicks: kTicks, xFormat: (k) => String(k), yFormat: tickText });
    if (pcaPts.length) p.line(pcaPts, { color: '--lab-pca', width: 2, dash: [6, 3] });
    const sweep = pts.filter((q) => q.kind === 'sweep').sort((a, b) => a.k - b.k);
    if (sweep.length > 1) p.line(sweep.map((q) => [q.k, q.mse]), { color: '--lab-sweep', width: 1.5 });
    for (const kind of ['seen', 'sweep', 'linear', 'model']) {
      const of = pts.filter((q) => q.kind === kind);
      if (of.length) p.points(of.map((q) => [q.k, q.mse]), KINDS[kind]);
    }
    const entries = [];
    if (pcaPts.length) entries.push({ label: L.pca, color: '--lab-pca', dash: [6, 3] });
    for (const kind of ['model', 'seen', 'sweep', 'linear']) if (pts.some((q) => q.kind === kind)) entries.push({ label: L[kind], ...KINDS[kind] });
    p.legend(entries, { align: 'right' });
  }

  #fillTable() {
    if (!this.table) return;
    const L = this.labels;
    const rows = this.points.map((q) => [q.label ?? L[q.kind], L.k(q.k), L.mse(q.mse), this.pca && q.k < this.pca.length ? L.mse(this.pca[q.k]) : '–']);
    this.table.replaceChildren(...rows.map((r) => {
      const tr = document.createElement('tr');
      for (const v of r) {
        const td = document.createElement('td');
        td.textContent = v;
        tr.append(td);
      }
      return tr;
    }));
  }
}
