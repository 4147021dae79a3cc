// 4 · Features, on the page: are the codes good features for a classifier? A softmax probe
// trained on 100, 1,000 and 10,000 labelled images (stratified, fixed seed) on the model's codes,
// on PCA coefficients with the same k and on raw pixels, tested on the test set (accuracy-chart.js
// and its table), and k-nearest neighbours with every label. Each probe's accuracy shows as soon
// as the worker has it (LAB_PROGRESS partials). The numbers come from the worker (LAB_FEATURES:
// worker/labs/features.js); this module only draws them.
import { V } from '../../i18n/values.js';
import { AccuracyChart } from './accuracy-chart.js';

/** An accuracy as a percentage with one decimal (the message adds the % sign). */
const acc = (a) => V.fixed(100 * a, 1);

export class FeaturesLab {
  /**
   * @param {object} o
   * @param {Record<string, HTMLElement>} o.el  summary, chart, table, knn
   * @param {import('../../i18n/index.js').I18n} o.i18n
   * @param {(payload: object) => Promise<object>} o.compute  LAB_FEATURES
   */
  constructor({ el, i18n, compute }) {
    Object.assign(this, { el, i18n, computeRequest: compute });
    this.dataset = 'mnist';
    this.result = null;
    this.partial = null; // { cells, knn } while the worker computes
    this.chart = new AccuracyChart(el.chart, el.table);
  }

  setDataset(dataset) {
    if (dataset === this.dataset) return;
    this.dataset = dataset;
    this.clear();
  }

  clear() {
    this.result = null;
    this.partial = null;
    this.chart.set([], []);
    for (const k of ['summary', 'knn']) this.i18n.clear(this.el[k]);
  }

  async compute() {
    this.partial = { cells: [], knn: [] };
    try {
      this.result = await this.computeRequest({});
    } finally {
      this.partial = null;
    }
    this.render();
    return this.result;
  }

  /** A LAB_PROGRESS of the probes: a finished cell shows at once. */
  progress(p) {
    if (p.lab !== 'features' || !this.partial) return;
    if (p.partial?.cell) this.partial.cells.push(p.partial.cell);
    else if (p.partial?.knn) this.partial.knn.push(p.partial.knn);
    else return;
    this.#show(this.partial);
  }

  render() {
    this.#labels();
    if (this.result) this.#show(this.result);
  }

  #show({ cells, knn }) {
    const { i18n, el } = this;
    this.chart.set(cells, knn);
    const at = (f, n) => cells.find((c) => c.features === f && c.labels === n);
    const fewest = Math.min(...cells.map((c) => c.labels));
    const [codes, pca, pixels] = ['codes', 'pca', 'pixels'].map((f) => at(f, fewest));
    if (codes && pca && pixels) {
      i18n.text(el.summary, 'labs.features.summary', { n: V.int(fewest), codes: acc(codes.accuracy), pca: acc(pca.accuracy), pixels: acc(pixels.accuracy), tested: V.int(codes.tested) });
      Object.assign(el.summary.dataset, { codes: String(codes.accuracy), pca: String(pca.accuracy), pixels: String(pixels.accuracy) });
    }
    const kc = knn.find((r) => r.features === 'codes');
    const kp = knn.find((r) => r.features === 'pca');
    if (kc && kp) i18n.text(el.knn, 'labs.features.knn', { k: V.int(kc.k), refs: V.int(kc.references), tested: V.int(kc.tested), codes: acc(kc.accuracy), pca: acc(kp.accuracy) });
    else i18n.clear(el.knn);
  }

  #labels() {
    const p = (k, params) => this.i18n.plain(k, params);
    this.chart.setLabels({
      x: p('labs.features.axisLabels'), y: p('labs.features.axisAccuracy'), codes: p('labs.features.codes'), pca: p('labs.features.pca'), pixels: p('labs.features.pixels'),
      knn: () => p('labs.features.knnRow'), acc: (v) => p('labs.features.percent', { v: acc(v) }), n: (v) => this.i18n.format(V.int(v)), empty: '',
    });
  }
}
