// 1 · Anomaly detection: every test image scored by how badly the model redraws it (per-image
// MSE, BCE, and BCE − H(x), which removes the "more ink, more error" bias of the BCE); what
// separates the anomalous images (a class the model never saw, or every class but the normal
// one) from the rest: ROC and AUC, the best-F1 threshold, histograms, the extremes, and PCA with
// the same k fitted on the same training images beside it. The threshold itself is dragged on
// the page: LAB_THRESHOLD answers from the scores kept here.
import { SCORES, checkChoice, checkClass, mean, ready, labsOf, ROC_POINTS } from './state.js';

/** Anomalous images: the held-out class (normal = all but cls) or every other class (normal = cls only). */
export function positivesOf(labels, normal, cls) {
  const p = new Uint8Array(labels.length);
  for (let i = 0; i < labels.length; i++) p[i] = normal === 'except' ? (labels[i] === cls ? 1 : 0) : labels[i] !== cls ? 1 : 0;
  return p;
}

/** At most `points` points of a ROC curve, evenly spread over its length, ends kept. */
export function thinCurve(fpr, tpr, points = ROC_POINTS) {
  const n = fpr.length;
  if (n <= points) return { fpr: Float32Array.from(fpr), tpr: Float32Array.from(tpr) };
  const out = { fpr: new Float32Array(points), tpr: new Float32Array(points) };
  for (let i = 0; i < points; i++) {
    const j = Math.round((i * (n - 1)) / (points - 1));
    out.fpr[i] = fpr[j];
    out.tpr[i] = tpr[j];
  }
  return out;
}

/** Value below which a fraction q of the values lie. */
function quantile(values, q) {
  const s = Float32Array.from(values).sort();
  return s[Math.min(s.length - 1, Math.floor(q * (s.length - 1)))];
}

function statsOf(s) {
  return { threshold: s.threshold, tp: s.tp, fp: s.fp, tn: s.tn, fn: s.fn, precision: s.precision, recall: s.recall, f1: s.f1, fpr: s.fpr };
}

/**
 * LAB_ANOMALY: every test image scored by its reconstruction error; what separates the anomalous
 * (the held-out class, or every class but the normal one) from the rest.
 */
export function anomaly(ctx, { normal = 'except', cls, score = 'mse', bins = 40, extremes = 8, follow = false, id = null }) {
  const labs = ready(ctx);
  if (follow) {
    // What the model trained on decides what is normal, when it trained on a class-filtered set.
    const view = labs.lab.trainView();
    if (view.filter !== 'all') ({ filter: normal, cls } = view);
  }
  checkChoice(normal, ['except', 'only'], 'normal');
  checkClass(cls);
  checkChoice(score, SCORES, 'score');
  if (!Number.isInteger(bins) || bins < 4 || bins > 200) throw new Error(`bins must be an integer in [4, 200], got ${bins}`);
  if (!Number.isInteger(extremes) || extremes < 1 || extremes > 32) throw new Error(`extremes must be an integer in [1, 32], got ${extremes}`);
  const { lab, engine } = { lab: labs.lab, engine: ctx.engine };
  return labs.jobs.run('view', { id, lab: 'anomaly' }, async (job) => {
    const key = labs.modelKey();
    const s = await labs.testScores(job);
    const positive = positivesOf(s.labels, normal, cls);
    const positives = positive.reduce((a, b) => a + b, 0);
    if (positives === 0 || positives === positive.length) throw new Error(`the test set has no ${positives ? 'normal' : 'anomalous'} images for this choice`);
    const auc = {};
    const best = {};
    let roc = null;
    for (const name of SCORES) {
      const r = lab.roc(s[name], positive);
      auc[name] = r.auc;
      best[name] = statsOf(lab.bestF1(s[name], positive));
      if (name === score) roc = thinCurve(r.fpr, r.tpr);
      await job.maybePause();
    }
    const pca = await pcaAnomaly(labs, job, { normal, cls, positive });
    const values = s[score];
    const lo = Math.min(0, quantile(values, 0));
    const hi = quantile(values, 0.995);
    const normalValues = values.filter((_, i) => !positive[i]);
    const anomalousValues = values.filter((_, i) => positive[i]);
    const hist = { lo, hi, bins, normal: lab.histogram(normalValues, lo, hi, bins), anomalous: lab.histogram(anomalousValues, lo, hi, bins) };
    const order = [...values.keys()].sort((a, b) => values[b] - values[a]);
    const most = order.slice(0, extremes);
    const least = order.slice(-extremes).reverse();
    const shown = [...most, ...least];
    const view = lab.trainView();
    labs.anomaly = { key, scores: s, positive, normal, cls };
    return {
      model: { key, step: s.step, stepEnd: s.stepEnd, k: engine.info().latentSize },
      trainView: { filter: view.filter, cls: view.cls, count: view.count },
      normal,
      cls,
      score,
      images: s.labels.length,
      positives,
      auc,
      best,
      roc,
      pca,
      hist,
      meanScore: { anomalous: mean(anomalousValues), normal: mean(normalValues) },
      extremes: {
        most: most.map((i) => ({ index: i, label: s.labels[i], score: values[i], anomalous: Boolean(positive[i]) })),
        least: least.map((i) => ({ index: i, label: s.labels[i], score: values[i], anomalous: Boolean(positive[i]) })),
        pixels: engine.images('test', shown),
      },
    };
  });
}

/** PCA with the model's latent size, fitted on the same training images, as an anomaly score. */
async function pcaAnomaly(labs, job, { normal, cls, positive }) {
  const k = labs.ctx.engine.info().latentSize;
  const view = labs.lab.trainView();
  const which = view.filter === 'all' ? 'all' : `${view.filter}:${view.cls}`;
  const scores = await labs.cached(`${labs.dataKey()}:pca-scores:${which}:${k}`, async () => {
    const info = await labs.ensurePca(job, { filtered: true, k });
    const n = labs.count('test');
    const mse = new Float32Array(n);
    await job.units('scorePca', n, (start, count) => mse.set(labs.lab.scorePca('test', start, count, k, false).mse, start), { first: 512, phase: 'pca-scores' });
    return { mse, fittedOn: info.fittedOn };
  });
  const r = labs.lab.roc(scores.mse, positive);
  return { k, auc: r.auc, roc: thinCurve(r.fpr, r.tpr), fittedOn: scores.fittedOn, normal, cls };
}

/** LAB_THRESHOLD: precision, recall, F1 and FPR when flagging the images scoring at least `threshold`. */
export function threshold(ctx, { score = 'mse', threshold: t }) {
  const labs = labsOf(ctx);
  checkChoice(score, SCORES, 'score');
  if (!Number.isFinite(t)) throw new Error(`threshold must be a finite number, got ${t}`);
  const a = labs.anomaly;
  if (!a) throw new Error('no anomaly scores yet: open the anomaly lab first');
  return { key: a.key, score, ...statsOf(labs.lab.atThreshold(a.scores[score], a.positive, t)) };
}
