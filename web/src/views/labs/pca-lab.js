// 3 · AE vs PCA, on the page: the model's test error beside PCA's with the same k, PCA's error
// for every k with the autoencoders seen as points (error-k-chart.js), the probe images and the
// person's drawing reconstructed by both, and the classic result made visible: a linear
// autoencoder (no activation, MSE) trained here lands on PCA's error from above. The numbers come
// from the worker (LAB_PCA, LAB_LINEAR, LAB_DRAWING: worker/labs/compare.js); this module only
// draws them.
import { V } from '../../i18n/values.js';
import { drawGray } from '../../lib/image.js';
import { classMessage } from '../../lib/presets.js';
import { ErrorVsKChart, errorKLabels } from './error-k-chart.js';
import { ImageGrid } from './image-grid.js';
import { LabRun } from './lab-run.js';

/** The linear autoencoder the button trains: the model's k, on every training image. */
/** The names of the chart's points, by kind. */
const POINT_NAMES = { model: 'labs.pca.point.model', seen: 'labs.pca.point.seen', sweep: 'labs.pca.point.sweep', linear: 'labs.pca.point.linear' };
export const LINEAR_RUN = Object.freeze({ epochs: 5, trainImages: 60000 });

export class PcaLab {
  /**
   * @param {object} o
   * @param {Record<string, HTMLElement>} o.el  summary, chart, chartNote, table, probes, drawingAe,
   *   drawingPca, drawingText, linearStart, linearStop, linearText
   * @param {import('../../i18n/index.js').I18n} o.i18n
   * @param {(payload: object) => Promise<object>} o.compute  LAB_PCA
   * @param {(payload: object) => Promise<object>} o.linear  LAB_LINEAR
   * @param {() => Promise<unknown>} o.cancelRun  LAB_CANCEL of lane 'run'
   * @param {() => number[]} o.probes  the test images to show reconstructed
   * @param {() => number} o.trainCount  the training images loaded (the linear run's budget)
   * @param {(err: Error) => void} o.onError
   */
  constructor({ el, i18n, compute, linear, cancelRun, probes, trainCount, onError }) {
    Object.assign(this, { el, i18n, computeRequest: compute, probes, trainCount, onError });
    this.dataset = 'mnist';
    this.result = null;
    this.drawing = null;
    this.linear = null; // { k, epochs: [...], pcaMse, ratio, done, stopped }
    this.chart = new ErrorVsKChart(el.chart, el.table);
    this.grid = new ImageGrid(el.probes);
    this.run = new LabRun({ start: el.linearStart, stop: el.linearStop, request: linear, cancel: cancelRun });
    el.linearStart.addEventListener('click', () => this.#trainLinear());
    this.#showLinear(); // the button says what it trains before the lab first computes
  }

  setDataset(dataset) {
    if (dataset === this.dataset) return;
    this.dataset = dataset;
    this.linear = null;
    this.clear();
  }

  clear() {
    this.result = null;
    this.chart.set(null, []);
    this.grid.clear();
    for (const k of ['summary', 'chartNote']) this.i18n.clear(this.el[k]);
    this.#showLinear();
  }

  async compute() {
    this.result = await this.computeRequest({ probes: this.probes() });
    this.render();
    return this.result;
  }

  render() {
    this.#labels();
    this.#showDrawing();
    this.#showLinear();
    const r = this.result;
    if (!r) return;
    const { i18n, el } = this;
    const k = r.model.k;
    i18n.text(el.summary, 'labs.pca.summary', { k: V.int(k), ae: V.fixed(r.ae.mse, 4), pca: V.fixed(r.pcaAtK, 4), ratio: V.pct(r.ae.mse / r.pcaAtK) });
    el.summary.dataset.ae = String(r.ae.mse);
    el.summary.dataset.pca = String(r.pcaAtK);
    i18n.text(el.chartNote, 'labs.pca.chartNote', { n: V.int(r.curve.fittedOn), images: V.int(r.curve.images), kMax: V.int(r.curve.mse.length - 1) });
    this.#chart();
    const s = r.probes;
    if (s) {
      const n = s.indices.length;
      const each = (f) => Array.from({ length: n }, (_, i) => f(i));
      const cls = (i) => classMessage(this.dataset, s.labels[i]);
      const mse = (v) => i18n.plain('labs.pca.mseCaption', { mse: V.fixed(v, 4) });
      this.grid.set([
        { title: i18n.plain('labs.pca.originals'), pixels: s.pixels, count: n, names: each((i) => i18n.plain('labs.compression.originalName', { index: V.int(s.indices[i]), cls: cls(i) })) },
        { title: i18n.plain('labs.pca.aeRow', { k: V.int(k) }), pixels: s.ae, count: n, captions: each((i) => mse(s.aeMse[i])), names: each((i) => i18n.plain('labs.pca.aeName', { index: V.int(s.indices[i]), mse: V.fixed(s.aeMse[i], 4) })) },
        { title: i18n.plain('labs.pca.pcaRow', { k: V.int(k) }), pixels: s.pca, count: n, captions: each((i) => mse(s.pcaMse[i])), names: each((i) => i18n.plain('labs.pca.pcaName', { index: V.int(s.indices[i]), mse: V.fixed(s.pcaMse[i], 4) })) },
      ]);
    }
  }

  /** The drawing through the lab (LAB_DRAWING), or null when the pad is blank. */
  setDrawing(result) {
    this.drawing = result;
    this.#showDrawing();
  }

  #showDrawing() {
    const { i18n, el } = this;
    const d = this.drawing;
    const shown = Boolean(d?.pca);
    el.drawingAe.hidden = el.drawingPca.hidden = !shown;
    if (!d) return i18n.text(el.drawingText, 'labs.pca.drawingNone');
    if (!d.pca) return i18n.text(el.drawingText, 'labs.pca.drawingWait');
    drawGray(el.drawingAe, d.reconstruction);
    drawGray(el.drawingPca, d.pca.reconstruction);
    i18n.text(el.drawingText, 'labs.pca.drawingText', { k: V.int(d.pca.k), ae: V.fixed(d.scores.mse, 4), pca: V.fixed(d.pca.mse, 4) });
  }

  /** The chart: PCA's curve, this model, the models seen before, the sweep's, the linear autoencoder's. */
  #chart() {
    const r = this.result;
    const L = (k, p) => this.i18n.plain(k, p);
    const points = (r?.points ?? []).map((q) => {
      const current = q.kind === 'model' && q.k === r.model.k && q.mse === r.ae.mse;
      const kind = q.kind === 'model' && !current ? 'seen' : q.kind;
      return { ...q, kind, label: L(POINT_NAMES[kind]) };
    });
    const lin = this.linear?.epochs.at(-1);
    if (lin && !points.some((q) => q.kind === 'linear' && q.k === this.linear.k && q.mse === lin.testMse)) {
      points.push({ k: this.linear.k, mse: lin.testMse, kind: 'linear', label: L('labs.pca.point.linear') });
    }
    this.chart.set(r?.curve.mse ?? null, points);
  }

  async #trainLinear() {
    const k = this.result?.model.k ?? 20;
    const trainImages = Math.min(LINEAR_RUN.trainImages, this.trainCount() || LINEAR_RUN.trainImages);
    this.linear = { k, epochs: [], total: LINEAR_RUN.epochs, trainImages, pcaMse: null, done: false, stopped: false };
    const mine = this.linear;
    this.#showLinear();
    try {
      const r = await this.run.go({ k, epochs: LINEAR_RUN.epochs, trainImages });
      if (this.linear !== mine) return;
      if (!r) mine.stopped = true;
      else Object.assign(mine, { epochs: r.epochs, pcaMse: r.pcaMse, done: true });
    } catch (err) {
      if (this.linear === mine) this.linear = null;
      this.onError(err);
    }
    this.#showLinear();
    this.#chart();
  }

  /** A LAB_PROGRESS of this lab's runs (the linear autoencoder's epochs). */
  progress(p) {
    if (p.lab !== 'linear' || !this.linear || this.linear.done) return;
    if (p.partial?.epochs) this.linear.epochs = p.partial.epochs;
    this.linear.fraction = p.done / (p.total || 1);
    this.#showLinear();
  }

  #showLinear() {
    const { i18n, el } = this;
    const L = this.linear;
    const k = L?.k ?? this.result?.model.k ?? 20;
    i18n.text(el.linearStart, 'labs.pca.linearStart', { k: V.int(k), epochs: V.int(LINEAR_RUN.epochs), n: V.int(Math.min(LINEAR_RUN.trainImages, this.trainCount() || LINEAR_RUN.trainImages)) });
    delete el.linearText.dataset.ratio;
    if (!L) return i18n.text(el.linearText, 'labs.pca.linearNone');
    const last = L.epochs.at(-1);
    const pca = L.pcaMse ?? this.result?.curve.mse[L.k];
    if (L.done) {
      i18n.text(el.linearText, 'labs.pca.linearDone', { epochs: V.int(last.epoch), n: V.int(L.trainImages), mse: V.fixed(last.testMse, 4), pca: V.fixed(L.pcaMse, 4), ratio: V.fixed(last.testMse / L.pcaMse, 3), first: V.fixed(L.epochs[0].testMse, 4) });
      el.linearText.dataset.ratio = String(last.testMse / L.pcaMse);
    } else if (L.stopped) i18n.text(el.linearText, 'labs.pca.linearStopped', { epochs: V.int(L.epochs.length) });
    else if (last && pca) i18n.text(el.linearText, 'labs.pca.linearEpoch', { epoch: V.int(last.epoch), epochs: V.int(L.total), mse: V.fixed(last.testMse, 4), pca: V.fixed(pca, 4) });
    else i18n.text(el.linearText, 'labs.pca.linearWorking', { pct: V.pct(L.fraction ?? 0) });
    if (last) this.#chart();
  }

  #labels() {
    this.chart.setLabels(errorKLabels(this.i18n));
  }
}
