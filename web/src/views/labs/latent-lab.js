// 5 · Choosing the latent size, and overfitting, on the page. The sweep trains the model's
// architecture once per latent size (a few epochs on a subset) and charts its test error against
// k beside PCA's (error-k-chart.js). The overfitting demonstration trains the seed architecture
// with a 64-number code on 1,000 images for many epochs, train and test error after each
// (gap-chart.js), plain or with dropout or weight decay; runs stay on the chart to compare. Both
// train models of their own in the worker (LAB_SWEEP, LAB_OVERFIT: worker/labs/latent.js), only
// when the person asks, and can be stopped; the loaded model is untouched. When the lab comes
// into view it shows PCA's curve and this model's point (LAB_PCA, kept by the worker).
import { V } from '../../i18n/values.js';
import { ErrorVsKChart, errorKLabels } from './error-k-chart.js';
import { GapChart } from './gap-chart.js';
import { LabRun } from './lab-run.js';

/** About 470 steps per latent size: enough for the error to fall with k (2 epochs on 10,000, the
 *  handler's default, left k = 16 … 64 all at the same error). */
export const SWEEP = Object.freeze({ latents: [2, 4, 8, 16, 32, 64], epochs: 3, trainImages: 20000, testImages: 2000 });
export const OVERFIT = Object.freeze({ trainImages: 1000, testImages: 2000, latent: 64 });
/** The regularisations offered: [value of the select, { dropout, weightDecay }]. */
export const REGULARISERS = Object.freeze({
  none: { dropout: 0, weightDecay: 0 },
  dropout02: { dropout: 0.2, weightDecay: 0 },
  dropout05: { dropout: 0.5, weightDecay: 0 },
  wd1e4: { dropout: 0, weightDecay: 1e-4 },
  wd1e3: { dropout: 0, weightDecay: 1e-3 },
});
/** Their names in the page. */
const REG_NAMES = { none: 'labs.latent.reg.none', dropout02: 'labs.latent.reg.dropout02', dropout05: 'labs.latent.reg.dropout05', wd1e4: 'labs.latent.reg.wd1e4', wd1e3: 'labs.latent.reg.wd1e3' };
const MAX_RUNS = 4;

export class LatentLab {
  /**
   * @param {object} o
   * @param {Record<string, HTMLElement>} o.el  sweepStart, sweepStop, sweepText, sweepChart, sweepTable,
   *   overfitStart, overfitStop, overfitReg, overfitEpochs, overfitText, gapChart, gapTable
   * @param {import('../../i18n/index.js').I18n} o.i18n
   * @param {(payload: object) => Promise<object>} o.compute  LAB_PCA (PCA's curve and the models seen)
   * @param {(payload: object) => Promise<object>} o.sweep  LAB_SWEEP
   * @param {(payload: object) => Promise<object>} o.overfit  LAB_OVERFIT
   * @param {(lane: string) => Promise<unknown>} o.cancel  LAB_CANCEL
   * @param {(err: Error) => void} o.onError
   */
  constructor({ el, i18n, compute, sweep, overfit, cancel, onError }) {
    Object.assign(this, { el, i18n, computeRequest: compute, onError });
    this.dataset = 'mnist';
    this.result = null; // LAB_PCA's
    this.sweep = null; // { points, pcaMse, done, stopped, fraction }
    this.runs = []; // [{ reg, epochs: [...], total, done, stopped }]
    this.errorChart = new ErrorVsKChart(el.sweepChart, el.sweepTable);
    this.gapChart = new GapChart(el.gapChart, el.gapTable);
    this.sweepRun = new LabRun({ start: el.sweepStart, stop: el.sweepStop, request: sweep, cancel: () => cancel('sweep') });
    this.overfitRun = new LabRun({ start: el.overfitStart, stop: el.overfitStop, request: overfit, cancel: () => cancel('run') });
    el.sweepStart.addEventListener('click', () => this.#runSweep());
    el.overfitStart.addEventListener('click', () => this.#runOverfit());
    this.render(); // the buttons and choices say what they do before the lab first computes
  }

  setDataset(dataset) {
    if (dataset === this.dataset) return;
    this.dataset = dataset;
    this.sweep = null;
    this.runs = [];
    this.clear();
  }

  clear() {
    this.result = null;
    this.render();
  }

  async compute() {
    this.result = await this.computeRequest({});
    this.render();
    return this.result;
  }

  render() {
    this.#labels();
    this.#showSweep();
    this.#showOverfit();
  }

  /** A LAB_PROGRESS of the sweep or of an overfitting run: partial results show at once. */
  progress(p) {
    if (p.lab === 'sweep' && this.sweep && !this.sweep.done) {
      if (p.partial?.points) Object.assign(this.sweep, { points: p.partial.points, pcaMse: p.partial.pcaMse });
      this.sweep.fraction = p.done / (p.total || 1);
      this.#showSweep();
    } else if (p.lab === 'overfit') {
      const run = this.runs.at(-1);
      if (!run || run.done) return;
      if (p.partial?.epochs) run.epochs = p.partial.epochs;
      this.#showOverfit();
    }
  }

  async #runSweep() {
    const mine = { points: [], pcaMse: null, done: false, stopped: false, fraction: 0 };
    this.sweep = mine;
    this.#showSweep();
    try {
      const r = await this.sweepRun.go({ ...SWEEP });
      if (this.sweep !== mine) return;
      if (!r) mine.stopped = true;
      else Object.assign(mine, { points: r.points, pcaMse: r.pcaMse, done: true });
    } catch (err) {
      if (this.sweep === mine) this.sweep = null;
      this.onError(err);
    }
    this.#showSweep();
  }

  async #runOverfit() {
    const reg = this.el.overfitReg.value;
    const epochs = Number(this.el.overfitEpochs.value);
    this.runs = this.runs.filter((r) => r.reg !== reg && (r.done || r.epochs.length)).slice(-(MAX_RUNS - 1));
    const mine = { reg, epochs: [], total: epochs, done: false, stopped: false };
    this.runs.push(mine);
    this.#showOverfit();
    try {
      const r = await this.overfitRun.go({ ...OVERFIT, ...REGULARISERS[reg], epochs });
      if (!r) mine.stopped = true;
      else Object.assign(mine, { epochs: r.epochs, done: true });
    } catch (err) {
      this.runs = this.runs.filter((x) => x !== mine);
      this.onError(err);
    }
    this.#showOverfit();
  }

  #showSweep() {
    const { i18n, el } = this;
    const s = this.sweep;
    i18n.text(el.sweepStart, 'labs.latent.sweepStart', { ks: V.join(SWEEP.latents.map((k) => V.int(k)), ', '), epochs: V.int(SWEEP.epochs), n: V.int(SWEEP.trainImages) });
    const r = this.result;
    const points = [];
    if (r) points.push({ k: r.model.k, mse: r.ae.mse, kind: 'model', label: i18n.plain('labs.pca.point.model') });
    for (const p of s?.points ?? []) if (p.done) points.push({ k: p.k, mse: p.testMse, kind: 'sweep', label: i18n.plain('labs.latent.sweepPoint', { k: V.int(p.k) }) });
    const pca = s?.pcaMse?.length ? s.pcaMse : r?.curve.mse ?? null;
    this.errorChart.set(pca, points);
    delete el.sweepText.dataset.done;
    if (!s) return i18n.text(el.sweepText, 'labs.latent.sweepNone', { tested: V.int(SWEEP.testImages) });
    const done = s.points.filter((p) => p.done);
    if (s.done && done.length) {
      const first = done[0], last = done.at(-1);
      const pcaAt = (k) => (s.pcaMse && k < s.pcaMse.length ? s.pcaMse[k] : NaN);
      i18n.text(el.sweepText, 'labs.latent.sweepDone', {
        k1: V.int(first.k), ae1: V.fixed(first.testMse, 4), pca1: V.fixed(pcaAt(first.k), 4), k2: V.int(last.k), ae2: V.fixed(last.testMse, 4), pca2: V.fixed(pcaAt(last.k), 4), tested: V.int(SWEEP.testImages),
      });
      el.sweepText.dataset.done = String(done.length);
    } else if (s.stopped) i18n.text(el.sweepText, 'labs.latent.sweepStopped', { n: V.int(done.length) });
    else i18n.text(el.sweepText, 'labs.latent.sweepWorking', { n: V.int(done.length), total: V.int(SWEEP.latents.length), pct: V.pct(s.fraction ?? 0) });
  }

  #showOverfit() {
    const { i18n, el } = this;
    i18n.text(el.overfitStart, 'labs.latent.overfitStart', { n: V.int(OVERFIT.trainImages), k: V.int(OVERFIT.latent) });
    const label = (reg) => i18n.plain(REG_NAMES[reg]);
    this.gapChart.set(this.runs.map((r) => ({ label: label(r.reg), epochs: r.epochs })));
    const run = this.runs.at(-1);
    delete el.overfitText.dataset.gap;
    delete el.overfitText.dataset.gap1;
    if (!run) return i18n.text(el.overfitText, 'labs.latent.overfitNone');
    const last = run.epochs.at(-1);
    if (!last) return i18n.text(el.overfitText, 'labs.latent.overfitWorking', { reg: label(run.reg) });
    const first = run.epochs[0];
    const best = run.epochs.reduce((a, e) => (e.testBce < a.testBce ? e : a));
    const params = {
      reg: label(run.reg), epoch: V.int(last.epoch), epochs: V.int(run.total), n: V.int(OVERFIT.trainImages), train: V.fixed(last.trainBce, 1), test: V.fixed(last.testBce, 1),
      gap: V.fixed(last.testBce - last.trainBce, 1), gap1: V.fixed(first.testBce - first.trainBce, 1), best: V.fixed(best.testBce, 1), bestEpoch: V.int(best.epoch),
    };
    const key = run.done ? 'labs.latent.overfitDone' : run.stopped ? 'labs.latent.overfitStopped' : 'labs.latent.overfitEpoch';
    i18n.text(el.overfitText, key, params);
    if (run.done) Object.assign(el.overfitText.dataset, { gap: String(last.testBce - last.trainBce), gap1: String(first.testBce - first.trainBce) });
  }

  #labels() {
    const p = (k, params) => this.i18n.plain(k, params);
    this.errorChart.setLabels(errorKLabels(this.i18n));
    this.gapChart.setLabels({ x: p('labs.latent.axisEpoch'), y: p('labs.latent.axisBce'), train: p('labs.latent.train'), test: p('labs.latent.test'), num: (v) => this.i18n.format(V.fixed(v, 1)), empty: '' });
    for (const o of this.el.overfitReg.options) o.textContent = p(REG_NAMES[o.value]);
  }
}
