// The anomaly lab's ROC curves: for every threshold, the share of anomalous images flagged (true
// positive rate) against the share of normal images flagged by mistake (false positive rate),
// for the autoencoder's score and for PCA's, the chance diagonal, and the dragged threshold as a
// point on the autoencoder's curve. The area under each curve (AUC) is in the legend and in the
// text alternative (describe).
import { Plot } from './plot.js';

export class RocChart {
  /** @param {HTMLCanvasElement} canvas */
  constructor(canvas) {
    this.canvas = canvas;
    this.curves = null; // { model: {fpr, tpr, auc}, pca: {fpr, tpr, auc} | null }
    this.at = null; // { fpr, tpr } of the threshold
    this.labels = { x: 'false positive rate', y: 'true positive rate', model: 'autoencoder', pca: 'PCA', chance: 'chance', threshold: 'threshold', auc: (v) => v.toFixed(3) };
    this.plot = new Plot(canvas, (p) => this.#paint(p), { l: 40, r: 20, t: 22, b: 34 });
  }

  setLabels(labels) {
    Object.assign(this.labels, labels);
    this.plot.draw();
  }

  set(curves) {
    this.curves = curves;
    this.plot.draw();
  }

  setThreshold(at) {
    this.at = at;
    this.plot.draw();
  }

  #paint(p) {
    const c = this.curves;
    if (!c) return p.empty(this.labels.empty ?? '');
    p.scales({ domain: [0, 1] }, { domain: [0, 1] });
    const pct = (v) => `${Math.round(v * 100)}%`;
    p.axes({ xLabel: this.labels.x, yLabel: this.labels.y, xFormat: pct, yFormat: pct, xTicks: [0, 0.25, 0.5, 0.75, 1], yTicks: [0, 0.25, 0.5, 0.75, 1] });
    p.line([[0, 0], [1, 1]], { color: '--muted', width: 1, dash: [4, 4] });
    const pts = (r) => Array.from(r.fpr, (x, i) => [x, r.tpr[i]]);
    if (c.pca) p.line(pts(c.pca), { color: '--lab-pca', width: 2, dash: [6, 3] });
    p.line(pts(c.model), { color: '--lab-ae', width: 2.5 });
    if (this.at) p.points([[this.at.fpr, this.at.tpr]], { color: '--danger', shape: 'circle', size: 5.5 });
    const entries = [{ label: `${this.labels.model} · AUC ${this.labels.auc(c.model.auc)}`, color: '--lab-ae' }];
    if (c.pca) entries.push({ label: `${this.labels.pca} · AUC ${this.labels.auc(c.pca.auc)}`, color: '--lab-pca', dash: [6, 3] });
    entries.push({ label: this.labels.chance, color: '--muted', dash: [4, 4] });
    // Bottom right: a useful detector's curves run along the top and the left edge, and the
    // corner below the chance diagonal stays empty.
    p.legend(entries, { align: 'right', valign: 'bottom' });
  }
}
