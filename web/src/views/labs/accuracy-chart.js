// The features lab's chart: test accuracy of a linear probe against the number of labelled
// training images (log scale), one line per kind of feature (the codes, PCA coefficients, raw
// pixels). Where the codes' line sits above the others is where they help: with few labels.
// k-nearest neighbours (every label) is in the table (fillTable), which holds every figure.
import { Plot, extent } from './plot.js';

const STYLE = {
  codes: { color: '--lab-ae', shape: 'circle' },
  pca: { color: '--lab-pca', shape: 'square', dash: [6, 3] },
  pixels: { color: '--lab-pixels', shape: 'triangle', dash: [2, 3] },
};

export class AccuracyChart {
  /** @param {HTMLCanvasElement} canvas @param {HTMLTableSectionElement} [table] */
  constructor(canvas, table = null) {
    this.canvas = canvas;
    this.table = table;
    this.cells = []; // [{ features, labels, accuracy }]
    this.knn = []; // [{ features, accuracy }]
    this.labels = { x: 'labelled images', y: 'test accuracy', codes: 'codes', pca: 'PCA', pixels: 'pixels', knn: (f) => `kNN, ${f}`, acc: (v) => `${(v * 100).toFixed(1)}%`, n: (v) => String(v) };
    this.plot = new Plot(canvas, (p) => this.#paint(p), { l: 44, r: 12, t: 22, b: 34 });
  }

  setLabels(labels) {
    Object.assign(this.labels, labels);
    this.plot.draw();
    this.#fillTable();
  }

  set(cells, knn = []) {
    this.cells = cells;
    this.knn = knn;
    this.plot.draw();
    this.#fillTable();
  }

  #paint(p) {
    const L = this.labels;
    if (!this.cells.length) return p.empty(L.empty ?? '');
    const ns = this.cells.map((c) => c.labels);
    const lo = Math.min(100, ...ns), hi = Math.max(10000, ...ns);
    const accs = this.cells.map((c) => c.accuracy);
    const [a0, a1] = extent(accs, { margin: 0.15 });
    p.scales({ domain: [lo / 1.4, hi * 1.4], log: true }, { domain: [Math.max(0, a0), Math.min(1, Math.max(a1, a0 + 0.05))] });
    p.axes({ xLabel: L.x, yLabel: L.y, xTicks: [100, 1000, 10000].filter((v) => v >= lo && v <= hi), xFormat: L.n, yFormat: (v) => `${Math.round(v * 100)}%` });
    const entries = [];
    for (const f of ['codes', 'pca', 'pixels']) {
      const pts = this.cells.filter((c) => c.features === f).sort((a, b) => a.labels - b.labels).map((c) => [c.labels, c.accuracy]);
      if (!pts.length) continue;
      p.line(pts, { color: STYLE[f].color, width: 2, dash: STYLE[f].dash ?? [] });
      p.points(pts, { color: STYLE[f].color, shape: STYLE[f].shape, size: 4 });
      entries.push({ label: L[f], color: STYLE[f].color, shape: STYLE[f].shape });
    }
    p.legend(entries, { align: 'left' });
  }

  #fillTable() {
    if (!this.table) return;
    const L = this.labels;
    const budgets = [...new Set(this.cells.map((c) => c.labels))].sort((a, b) => a - b);
    const rows = budgets.map((n) => [L.n(n), ...['codes', 'pca', 'pixels'].map((f) => {
      const c = this.cells.find((x) => x.labels === n && x.features === f);
      return c ? L.acc(c.accuracy) : '–';
    })]);
    if (this.knn.length) rows.push([L.knn(''), ...['codes', 'pca', 'pixels'].map((f) => {
      const k = this.knn.find((x) => x.features === f);
      return k ? L.acc(k.accuracy) : '–';
    })]);
    this.table.replaceChildren(...rows.map((r) => {
      const tr = document.createElement('tr');
      r.forEach((v, i) => {
        const td = document.createElement(i === 0 ? 'th' : 'td');
        if (i === 0) td.scope = 'row';
        td.textContent = v;
        tr.append(td);
      });
      return tr;
    }));
  }
}
