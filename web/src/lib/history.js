// A model's training history as the page shows it (the loss chart's lines and the per-epoch
// table) and as it travels inside a model file, so that a saved model, an autosave or a
// rolled-back run comes back with exactly the chart it had.
//
// The worker records every PROGRESS and EPOCH event it posts into a TrainingHistory; the page
// feeds the same events to its chart through the same functions (progressPoints, epochPoints),
// with the same Series, so the two hold identical points without the page ever sending its
// chart to the worker.
//
// In a file (the `history` JSON of engine/src/io/FORMAT.md):
//   { "dataset": "mnist",
//     "epochs": [{ "epoch", "step", "train": {total, recon, kl, sparsity, weight_decay}, "test": {…} }],
//     "page": { "version": 1, "series": { id: [xs, ys] }, "table": [EPOCH events], "progress": PROGRESS,
//               "elapsedMs", "epochLoss": { "sum": loss terms | null, "steps" }, "target", "probes", "source" } }
// `dataset` and `epochs` are what `ae train` writes (and appends to when it resumes a page's
// file); `page` is the page's own. A file without `page` (from `ae train`, or a shipped
// pretrained model) gets a chart of its per-epoch train and test losses.
import { Series } from './series.js';

export const HISTORY_VERSION = 1;
export const SERIES_IDS = Object.freeze(['total', 'recon', 'kl', 'sparsity', 'weightDecay', 'disc', 'gen', 'test']);
export const MAX_POINTS = 1200; // per line (lib/series.js halves it beyond)
// disc, gen: the adversarial autoencoder's two players (not part of total)
const TERMS = ['recon', 'kl', 'sparsity', 'weightDecay', 'disc', 'gen'];

/** Where a PROGRESS event sits on the chart's x axis: epochs, fractional. */
export function progressX(p) {
  return p.epoch + p.epochProgress - (p.epochProgress >= 1 ? 1 : 0);
}

/** The chart points of a PROGRESS event: [id, x, y], only values a log axis can show. */
export function progressPoints(p) {
  const x = progressX(p);
  const out = [];
  const put = (id, y) => Number.isFinite(x) && Number.isFinite(y) && y > 0 && out.push([id, x, y]);
  put('total', p.loss?.total);
  for (const k of TERMS) put(k, p.loss?.[k]);
  return out;
}

/** The chart points of an EPOCH event (its test loss). */
export function epochPoints(e) {
  const y = e.testLoss?.total;
  return Number.isFinite(y) && y > 0 ? [['test', e.epoch, y]] : [];
}

// Loss terms as `ae train` writes them (snake_case weight decay).
const toFileTerms = (t) => {
  if (!t) return null;
  const out = { total: t.total, recon: t.recon ?? 0, kl: t.kl ?? 0, sparsity: t.sparsity ?? 0, weight_decay: t.weightDecay ?? 0 };
  if (t.disc || t.gen) Object.assign(out, { disc: t.disc ?? 0, gen: t.gen ?? 0 }); // as ae train writes an aae's
  return out;
};
const fromFileTerms = (t) => {
  if (typeof t === 'number') return { total: t };
  if (!t || typeof t !== 'object' || !Number.isFinite(t.total)) return null;
  return { total: t.total, recon: t.recon ?? 0, kl: t.kl ?? 0, sparsity: t.sparsity ?? 0, weightDecay: t.weight_decay ?? t.weightDecay ?? 0, disc: t.disc ?? 0, gen: t.gen ?? 0 };
};

export class TrainingHistory {
  constructor() {
    this.series = Object.fromEntries(SERIES_IDS.map((id) => [id, new Series(MAX_POINTS)]));
    this.table = []; // EPOCH events: { epoch, step, trainLoss, testLoss }
    this.progress = null; // the last PROGRESS event
  }

  addProgress(p) {
    for (const [id, x, y] of progressPoints(p)) this.series[id].push(x, y);
    this.progress = { step: p.step, epoch: p.epoch, epochProgress: p.epochProgress, loss: p.loss, elapsedMs: p.elapsedMs, samplesPerSec: null };
  }

  addEpoch(e) {
    for (const [id, x, y] of epochPoints(e)) this.series[id].push(x, y);
    this.table.push({ epoch: e.epoch, step: e.step, trainLoss: e.trainLoss ?? null, trainTerms: e.trainTerms ?? null, testLoss: e.testLoss ?? null });
  }

  /** { id: { xs, ys } } copies, for the chart. */
  chartData() {
    return Object.fromEntries(SERIES_IDS.map((id) => [id, { xs: [...this.series[id].xs], ys: [...this.series[id].ys] }]));
  }

  /** A plain object for postMessage (the page rebuilds the chart and table from it). */
  toMessage() {
    return { series: this.chartData(), table: this.table.map((r) => ({ ...r })), progress: this.progress ? { ...this.progress } : null };
  }

  /**
   * The history JSON a model file carries.
   * @param {{dataset: string|null, elapsedMs: number, epochLoss: object, target: number|null, probes: number[], source: object|null}} extra
   */
  toFile({ dataset = null, elapsedMs = 0, epochLoss = null, target = null, probes = [], source = null } = {}) {
    const series = Object.fromEntries(SERIES_IDS.filter((id) => this.series[id].length).map((id) => [id, [this.series[id].xs, this.series[id].ys]]));
    return {
      dataset,
      epochs: this.table.map((r) => {
        const e = { epoch: r.epoch, step: r.step, train: toFileTerms(r.trainTerms ?? (r.trainLoss == null ? null : { total: r.trainLoss })) };
        if (r.testLoss) e.test = toFileTerms(r.testLoss);
        return e;
      }),
      page: { version: HISTORY_VERSION, series, table: this.table, progress: this.progress, elapsedMs, epochLoss, target, probes, source },
    };
  }

  /**
   * Reads the history of a model file: the page's own (exactly as saved), or one written by
   * `ae train` (a chart of its per-epoch losses). Anything unreadable gives an empty history:
   * the history is a convenience, never a reason to refuse a model.
   * @param {*} json the parsed history (any JSON value)
   * @param {{step: number, epoch: number}} state the file's training state (engine.info())
   * @returns {{history: TrainingHistory, dataset: string|null, elapsedMs: number, epochLoss: object|null,
   *   target: number|null, probes: number[]|null, source: object|null, fromPage: boolean}}
   */
  static fromFile(json, state = { step: 0, epoch: 0 }) {
    const h = new TrainingHistory();
    const obj = json && typeof json === 'object' && !Array.isArray(json) ? json : {};
    const dataset = typeof obj.dataset === 'string' ? obj.dataset : null;
    const page = obj.page && typeof obj.page === 'object' && obj.page.version === HISTORY_VERSION ? obj.page : null;
    const out = { history: h, dataset, elapsedMs: 0, epochLoss: null, target: null, probes: null, source: null, fromPage: false };
    const fileEpochs = Array.isArray(obj.epochs) ? obj.epochs.filter((e) => e && Number.isFinite(e.epoch)) : [];
    let known = 0; // epochs the page section already covers
    if (page) {
      try {
        for (const id of SERIES_IDS) {
          const pair = page.series?.[id];
          if (!Array.isArray(pair) || pair.length !== 2) continue;
          const [xs, ys] = pair;
          if (!Array.isArray(xs) || !Array.isArray(ys) || xs.length !== ys.length) continue;
          // Assigned, not pushed: pushing would halve differently from the run that made them.
          h.series[id].xs = xs.filter((_, i) => Number.isFinite(xs[i]) && Number.isFinite(ys[i]));
          h.series[id].ys = ys.filter((_, i) => Number.isFinite(xs[i]) && Number.isFinite(ys[i]));
        }
        h.table = Array.isArray(page.table) ? page.table.filter((r) => r && Number.isFinite(r.epoch)) : [];
        h.progress = page.progress && Number.isFinite(page.progress.step) ? page.progress : null;
        out.elapsedMs = Number.isFinite(page.elapsedMs) ? page.elapsedMs : 0;
        out.epochLoss = page.epochLoss && Number.isFinite(page.epochLoss.steps) ? page.epochLoss : null;
        out.target = Number.isInteger(page.target) ? page.target : null;
        out.probes = Array.isArray(page.probes) ? page.probes : null;
        out.source = page.source && typeof page.source === 'object' ? page.source : null;
        out.fromPage = true;
        known = h.table.length ? h.table.at(-1).epoch : 0;
      } catch {
        return TrainingHistory.fromFile({ dataset, epochs: fileEpochs }, state);
      }
    }
    // Epochs recorded by `ae train` (all of them, or those it added after the page saved).
    for (const e of fileEpochs) {
      if (e.epoch <= known) continue;
      const train = fromFileTerms(e.train);
      const test = fromFileTerms(e.test);
      if (train) h.series.total.push(e.epoch, train.total);
      h.addEpoch({ epoch: e.epoch, step: Number.isFinite(e.step) ? e.step : null, trainLoss: train?.total ?? null, trainTerms: train, testLoss: test });
    }
    // Where training stands: the page's last progress when the file is the page's own and nothing
    // trained it since; otherwise the end of its last recorded epoch.
    const step = Number(state.step ?? 0), epoch = Number(state.epoch ?? 0);
    if (!h.progress || h.progress.step !== step) {
      const last = h.table.at(-1);
      h.progress = { step, epoch, epochProgress: epoch > 0 && (!last || last.epoch === epoch) ? 1 : 0, loss: { total: last?.trainLoss ?? NaN }, elapsedMs: out.fromPage ? out.elapsedMs : null, samplesPerSec: null };
      if (!out.fromPage || known !== (h.table.at(-1)?.epoch ?? 0)) out.epochLoss = null;
    }
    return out;
  }
}
