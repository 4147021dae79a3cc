// 4 · Features: are the codes good features? A softmax probe (multinomial logistic regression,
// standardised, C = 1) trained on 100, 1,000 or 10,000 labelled images (stratified, seed 0) on
// the model's codes, on PCA coefficients with the same k, and on raw pixels, tested on the test
// set; and k-nearest neighbours with every training label. The probes on PCA and pixels do not
// depend on the model: they are computed once per dataset.
import { BUDGETS, FEATURES, checkChoice, checkInt, ready } from './state.js';

/**
 * LAB_FEATURES: a softmax probe trained on few labels (stratified, seed 0) on the codes, on PCA
 * coefficients (same k) and on pixels, tested on the test set; kNN on all training labels.
 * Each finished cell goes out as a LAB_PROGRESS partial.
 */
export function features(ctx, { budgets = [...BUDGETS], features: kinds = [...FEATURES], knn = ['codes', 'pca'], knnK = 5, knnImages = 1000, testImages = null, id = null }) {
  const labs = ready(ctx);
  const nTrain = labs.count('train');
  const nTest = testImages ?? labs.count('test');
  checkInt(nTest, 1, labs.count('test'), 'testImages');
  checkInt(knnImages, 1, labs.count('test'), 'knnImages');
  checkInt(knnK, 1, 50, 'knnK');
  if (!Array.isArray(budgets) || !budgets.length) throw new Error('budgets must list label counts');
  for (const b of budgets) checkInt(b, 10, nTrain, 'a label budget');
  for (const f of [...kinds, ...knn]) checkChoice(f, FEATURES, 'features');
  const { lab, engine } = { lab: labs.lab, engine: ctx.engine };
  return labs.jobs.run('view', { id, lab: 'features' }, async (job) => {
    const k = engine.info().latentSize;
    const total = budgets.length * kinds.length + knn.length;
    const cells = [];
    const keyOf = (f, what) => (f === 'codes' ? `${labs.modelKey()}:${what}` : `${labs.dataKey()}:${what}:${f}${f === 'pca' ? k : ''}`);
    for (const labels of budgets) {
      for (const f of kinds) {
        const cell = await labs.cached(keyOf(f, `probe:${labels}:${nTest}`), async () => {
          if (f === 'pca') await labs.ensurePca(job, { filtered: false, k });
          const begun = lab.probeBegin(f, labels, 0);
          const st = await job.advance(`probe-${f}-${labels}`, (units) => lab.probeStep(units), { first: 2, max: 200, phase: `probe-${f}` });
          let correct = 0;
          await job.units(`probeEval-${f}`, nTest, (start, count) => (correct += lab.probeEvaluate('test', start, count).correct), { first: 500, phase: `probe-${f}` });
          return { features: f, labels: begun.count, accuracy: correct / nTest, tested: nTest, iterations: st.iterations, converged: st.converged };
        });
        cells.push(cell);
        job.progress('features', cells.length, total, { cell });
      }
    }
    const neighbours = [];
    for (const f of knn) {
      const row = await labs.cached(keyOf(f, `knn:${knnK}:${knnImages}`), async () => {
        if (f === 'pca') await labs.ensurePca(job, { filtered: false, k });
        lab.knnBegin(f);
        await job.units(`knnAdd-${f}`, nTrain, (start, count) => lab.knnAdd(start, count), { first: 1000, phase: `knn-${f}` });
        let correct = 0;
        await job.units(`knn-${f}`, knnImages, (start, count) => (correct += lab.knnClassify('test', start, count, knnK).correct), { first: 10, phase: `knn-${f}` });
        return { features: f, k: knnK, references: nTrain, tested: knnImages, accuracy: correct / knnImages };
      });
      neighbours.push(row);
      job.progress('features', cells.length + neighbours.length, total, { knn: row });
    }
    return { model: { key: labs.modelKey(), step: engine.info().step, k }, cells, knn: neighbours, tested: nTest };
  });
}
