// 1 · Anomaly detection, on the page: what "normal" is (every class but one, or one class only),
// which score, the two histograms with the threshold the person drags, the ROC curves of the
// autoencoder and of PCA with their AUCs, precision / recall / F1 / false-positive rate at the
// threshold, the best-F1 threshold, the most and least anomalous test images, and the person's
// drawing scored against the threshold. The numbers come from the worker (LAB_ANOMALY,
// LAB_THRESHOLD, LAB_DRAWING: worker/labs/anomaly.js); this module only draws them.
import { V } from '../../i18n/values.js';
import { classMessage } from '../../lib/presets.js';
import { latestOnly } from '../../lib/latest.js';
import { ImageGrid } from './image-grid.js';
import { RocChart } from './roc-chart.js';
import { ScoreHistogram } from './score-histogram.js';

export class AnomalyLab {
  /**
   * @param {object} o
   * @param {Record<string, HTMLElement>} o.el  trained, normal, cls, score, load, train, mismatch, hist, roc,
   *   auc, stats, best, bestText, drawing, table, extremes
   * @param {import('../../i18n/index.js').I18n} o.i18n
   * @param {(payload: object) => Promise<object>} o.compute  LAB_ANOMALY
   * @param {(payload: object) => Promise<object>} o.threshold  LAB_THRESHOLD
   * @param {Record<string, number>} o.detectors  dataset → the class its shipped anomaly detector left out
   * @param {(dataset: string) => void} o.onLoadDetector  load the shipped anomaly detector of a dataset
   * @param {(choice: {normal: string, cls: number}) => void} o.onTrainDetector  train a model here on
   *   the training images the choice calls normal (the Train panel's "Train on" setting)
   * @param {() => void} o.onChange  the person changed what to compute
   * @param {(err: Error) => void} o.onError
   */
  constructor({ el, i18n, compute, threshold, detectors, onLoadDetector, onTrainDetector, onChange, onError }) {
    Object.assign(this, { el, i18n, computeRequest: compute, detectors, onChange });
    this.dataset = 'mnist';
    this.choice = { normal: 'except', cls: 2, score: 'mse' };
    this.follow = true; // a new model decides normal and cls (when it trained on a filtered set)
    this.result = null;
    this.t = null; // the threshold shown
    this.placed = false; // the person put it there (dragged, keys): it stays while the model trains; else it follows the best F1
    this.at = null; // the statistics at it
    this.drawingScores = null;
    this.hist = new ScoreHistogram(el.hist, {
      table: el.table,
      onThreshold: (t, final) => {
        this.placed = true;
        this.#moveThreshold(t, final);
      },
    });
    this.roc = new RocChart(el.roc);
    this.grid = new ImageGrid(el.extremes);
    this.stats = latestOnly((t) => threshold({ score: this.result.score, threshold: t }), (s, t) => this.#showStats(s, t), onError);
    const changed = (patch) => {
      this.follow = false;
      Object.assign(this.choice, patch);
      this.t = null; // the best-F1 threshold of the new choice
      this.placed = false;
      onChange();
    };
    el.normal.addEventListener('change', () => changed({ normal: el.normal.value }));
    el.cls.addEventListener('change', () => changed({ cls: Number(el.cls.value) }));
    el.score.addEventListener('change', () => changed({ score: el.score.value }));
    el.best.addEventListener('click', () => {
      this.placed = false;
      if (this.result) this.#moveThreshold(this.result.best[this.result.score].threshold, true);
    });
    el.load.addEventListener('click', () => onLoadDetector(this.dataset));
    el.train.addEventListener('click', () => onTrainDetector({ normal: this.choice.normal, cls: this.choice.cls }));
    this.#labels();
    this.#classOptions();
    this.#loadLabel();
    this.i18n.text(el.train, 'labs.anomaly.trainExcept', { cls: classMessage(this.dataset, this.choice.cls) }); // (hidden until a result says more)
  }

  /** A new dataset: its classes, and its anomaly detector to offer. */
  setDataset(dataset) {
    if (dataset === this.dataset && this.el.cls.options.length) return;
    this.dataset = dataset;
    this.choice.cls = this.detectors[dataset] ?? 0;
    this.#classOptions();
    this.#loadLabel();
    this.clear();
  }

  /** The model changed: it decides again what is normal. */
  modelChanged() {
    this.follow = true;
    this.t = null;
    this.placed = false;
  }

  clear() {
    this.result = null;
    this.at = null;
    this.hist.set(null, null);
    this.roc.set(null);
    this.grid.clear();
    for (const k of ['trained', 'auc', 'stats', 'bestText']) this.i18n.clear(this.el[k]);
    this.el.mismatch.hidden = true;
  }

  /** Asks the worker for the lab's figures on the model as it is, and shows them. */
  async compute() {
    const r = await this.computeRequest({ ...this.choice, follow: this.follow });
    this.follow = false;
    this.result = r;
    this.choice = { normal: r.normal, cls: r.cls, score: r.score };
    this.el.normal.value = r.normal;
    this.el.cls.value = String(r.cls);
    this.el.score.value = r.score;
    const best = r.best[r.score];
    // New weights (a model training here): the best-F1 threshold again, unless the person placed it.
    if (this.t === null || !this.placed || this.t < r.hist.lo || this.t > r.hist.hi) this.t = best.threshold;
    this.render();
    this.stats(this.t);
    return r;
  }

  /** Everything shown, again (a new result, or the language changed). */
  render() {
    this.#labels();
    this.#classOptions();
    const r = this.result;
    if (!r) return;
    const { i18n, el } = this;
    const cls = (c) => classMessage(this.dataset, c);
    const view = r.trainView;
    if (view.filter === 'except') i18n.text(el.trained, 'labs.anomaly.trainedExcept', { cls: cls(view.cls), count: V.int(view.count) });
    else if (view.filter === 'only') i18n.text(el.trained, 'labs.anomaly.trainedOnly', { cls: cls(view.cls), count: V.int(view.count) });
    else i18n.text(el.trained, 'labs.anomaly.trainedAll');
    el.load.hidden = view.filter !== 'all' || this.detectors[this.dataset] === undefined;
    // The held-out class was in the training set: say that the lab shows no real anomaly.
    const seen = view.filter === 'all' || (view.filter === 'except' && (r.normal !== 'except' || r.cls !== view.cls)) || (view.filter === 'only' && (r.normal !== 'only' || r.cls !== view.cls));
    el.mismatch.hidden = !seen || r.normal !== 'except';
    if (!el.mismatch.hidden) i18n.text(el.mismatch, 'labs.anomaly.mismatch', { cls: cls(r.cls) });
    // The model did not train on what the choice calls normal: offer to train one that did.
    el.train.hidden = !seen;
    if (seen) i18n.text(el.train, r.normal === 'except' ? 'labs.anomaly.trainExcept' : 'labs.anomaly.trainOnly', { cls: cls(r.cls) });
    this.hist.set(r.hist, this.t, r.best[r.score].threshold);
    // (the ROC paints a frame after the histograms: two charts in one frame make a long task)
    requestAnimationFrame(() => this.result === r && this.roc.set({ model: { ...r.roc, auc: r.auc[r.score] }, pca: r.pca ? { ...r.pca.roc, auc: r.pca.auc } : null }));
    const auc = (v) => V.fixed(v, 3);
    i18n.text(el.auc, 'labs.anomaly.auc', { ae: auc(r.auc[r.score]), pca: auc(r.pca.auc), k: V.int(r.pca.k), n: V.int(r.pca.fittedOn), mse: auc(r.auc.mse), bce: auc(r.auc.bce), kl: auc(r.auc.kl) });
    const b = r.best[r.score];
    i18n.text(el.bestText, 'labs.anomaly.bestText', { f1: V.fixed(b.f1, 3), t: V.loss(b.threshold) });
    this.#extremes();
    if (this.at) this.#showStats(this.at, this.t);
    this.#showDrawing();
  }

  /** The drawing's scores (LAB_DRAWING), or null when the pad is blank. */
  setDrawing(scores) {
    this.drawingScores = scores;
    this.#showDrawing();
  }

  #moveThreshold(t, final) {
    if (!this.result) return;
    this.t = t;
    this.hist.setThreshold(t);
    this.stats(t);
    if (final) this.#showDrawing();
  }

  #showStats(s, t) {
    if (!this.result || s.score !== this.result.score) return;
    this.at = s;
    const { i18n, el } = this;
    i18n.text(el.stats, 'labs.anomaly.stats', {
      t: V.loss(t), flagged: V.int(s.tp + s.fp), precision: V.fixed(s.precision, 3), recall: V.fixed(s.recall, 3), f1: V.fixed(s.f1, 3), fpr: V.fixed(s.fpr, 3),
    });
    el.stats.dataset.f1 = String(s.f1);
    this.roc.setThreshold({ fpr: s.fpr, tpr: s.recall });
    this.#showDrawing();
  }

  #showDrawing() {
    const { i18n, el } = this;
    const s = this.drawingScores;
    if (!s || !this.result || this.t === null) {
      i18n.text(el.drawing, 'labs.anomaly.drawingNone');
      delete el.drawing.dataset.flagged;
      return;
    }
    const score = s[this.result.score];
    const flagged = score > this.t;
    i18n.text(el.drawing, flagged ? 'labs.anomaly.drawingAnomalous' : 'labs.anomaly.drawingNormal', { score: V.loss(score), t: V.loss(this.t) });
    el.drawing.dataset.flagged = String(flagged);
  }

  #extremes() {
    const r = this.result;
    const { i18n } = this;
    const row = (title, list, offset) => ({
      title: i18n.plain(title),
      pixels: r.extremes.pixels,
      offset,
      count: list.length,
      captions: list.map((e) => i18n.plain('labs.anomaly.caption', { cls: classMessage(this.dataset, e.label), score: V.loss(e.score) })),
      names: list.map((e) => i18n.plain('labs.anomaly.imageName', { index: V.int(e.index), cls: classMessage(this.dataset, e.label), score: V.loss(e.score), flag: e.anomalous ? 'yes' : 'no' })),
      marks: list.map((e) => e.anomalous),
    });
    this.grid.set([row('labs.anomaly.most', r.extremes.most, 0), row('labs.anomaly.least', r.extremes.least, r.extremes.most.length)]);
  }

  #labels() {
    const p = (k, params) => this.i18n.plain(k, params);
    this.hist.setLabels({
      x: p('labs.anomaly.axisError'), normal: p('labs.anomaly.legendNormal'), anomalous: p('labs.anomaly.legendAnomalous'), best: p('labs.anomaly.bestMark'),
      value: (t) => p('labs.anomaly.histValue', { t: V.loss(t) }), format: (v) => this.i18n.format(V.loss(v)), empty: '',
    });
    this.roc.setLabels({ x: p('labs.anomaly.rocX'), y: p('labs.anomaly.rocY'), model: p('labs.anomaly.ae'), pca: p('labs.anomaly.pca'), chance: p('labs.anomaly.chance'), empty: '' });
  }

  /** The button that loads the dataset's detector says which class it left out. */
  #loadLabel() {
    const detector = this.detectors[this.dataset];
    this.i18n.text(this.el.load, 'labs.anomaly.load', { cls: classMessage(this.dataset, detector ?? 0) });
  }

  #classOptions() {
    const sel = this.el.cls;
    const want = String(this.choice.cls);
    sel.replaceChildren(...Array.from({ length: 10 }, (_, c) => {
      const o = document.createElement('option');
      o.value = String(c);
      o.textContent = this.i18n.format(classMessage(this.dataset, c));
      return o;
    }));
    sel.value = want;
  }
}
