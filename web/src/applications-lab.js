// The applications lab (panel 6, "What it's for"): its five labs (views/labs/*) wired to the
// worker, where the work is done (worker/labs/*), and to the rest of the playground: the
// anomaly lab loads a shipped detector or trains one through the Train panel's settings, and
// the labs follow the test set. playground.js tells the returned panel about the model, the
// drawing and training (labs.modelChanged(), setDrawing(), trained(), setDataset(), show()).
import { Request } from './protocol.js';
import { ANOMALY_DETECTORS } from './lib/pretrained.js';
import { AnomalyLab } from './views/labs/anomaly-lab.js';
import { CompressionLab } from './views/labs/compression-lab.js';
import { FeaturesLab } from './views/labs/features-lab.js';
import { LatentLab } from './views/labs/latent-lab.js';
import { LabsPanel } from './views/labs/labs-panel.js';
import { PcaLab } from './views/labs/pca-lab.js';

/**
 * Returns the labs' panel (views/labs/labs-panel.js). `byIds` finds the playground's elements;
 * testSet() is the test set loaded now ({ count, probes }); loadDetector(dataset) loads the
 * shipped anomaly detector of a data set; startTraining() starts as the Start button does;
 * showError(err) says what went wrong in the banner.
 */
export function createApplicationsLab({ i18n, byIds, client, controller, store, testSet, loadDetector, startTraining, showError }) {
  const labRequest = (type) => (payload) => client.request(type, payload);
  const anomalyLab = new AnomalyLab({
    i18n,
    el: byIds({
      trained: 'anomaly-trained', normal: 'anomaly-normal', cls: 'anomaly-cls', score: 'anomaly-score', load: 'anomaly-load', train: 'anomaly-train', mismatch: 'anomaly-mismatch',
      hist: 'anomaly-hist', roc: 'anomaly-roc', auc: 'anomaly-auc', stats: 'anomaly-stats', best: 'anomaly-best', bestText: 'anomaly-best-text',
      drawing: 'anomaly-drawing', table: 'anomaly-table', extremes: 'anomaly-extremes',
    }),
    compute: labRequest(Request.LAB_ANOMALY),
    threshold: labRequest(Request.LAB_THRESHOLD),
    detectors: ANOMALY_DETECTORS,
    onLoadDetector: loadDetector,
    // The Train panel's "Train on" setting (fresh weights: no shipped model saw only these images), then training.
    onTrainDetector: ({ normal, cls }) =>
      controller
        .propose({ train_on: normal, train_class: cls })
        .then(() => store.state.train_on === normal && store.state.train_class === cls && startTraining())
        .catch(showError),
    onChange: () => labs.changed(),
    onError: (err) => labs.failed(err),
  });
  const compressionLab = new CompressionLab({
    i18n,
    el: byIds({
      bytes: 'compression-bytes', quality: 'compression-quality', rd: 'compression-rd', table: 'compression-table', jpegNote: 'compression-jpeg-note',
      samples: 'compression-samples', drawing: 'compression-drawing', drawingText: 'compression-drawing-text',
    }),
    compute: labRequest(Request.LAB_COMPRESSION),
    samples: () => testSet().probes ?? [],
  });
  const cancelLab = (lane) => client.request(Request.LAB_CANCEL, { lane });
  const pcaLab = new PcaLab({
    i18n,
    el: byIds({
      summary: 'pca-summary', chart: 'pca-chart', chartNote: 'pca-chart-note', table: 'pca-table', probes: 'pca-probes', drawingAe: 'pca-drawing-ae',
      drawingPca: 'pca-drawing-pca', drawingText: 'pca-drawing-text', linearStart: 'pca-linear-start', linearStop: 'pca-linear-stop', linearText: 'pca-linear-text',
    }),
    compute: labRequest(Request.LAB_PCA),
    linear: labRequest(Request.LAB_LINEAR),
    cancelRun: () => cancelLab('run'),
    probes: () => testSet().probes ?? [],
    trainCount: () => controller.trainCount ?? 0,
    onError: (err) => labs.failed(err),
  });
  const featuresLab = new FeaturesLab({
    i18n,
    el: byIds({ summary: 'features-summary', chart: 'features-chart', table: 'features-table', knn: 'features-knn' }),
    compute: labRequest(Request.LAB_FEATURES),
  });
  const latentLab = new LatentLab({
    i18n,
    el: byIds({
      sweepStart: 'latent-sweep-start', sweepStop: 'latent-sweep-stop', sweepText: 'latent-sweep-text', sweepChart: 'latent-sweep-chart', sweepTable: 'latent-sweep-table',
      overfitStart: 'latent-overfit-start', overfitStop: 'latent-overfit-stop', overfitReg: 'latent-overfit-reg', overfitEpochs: 'latent-overfit-epochs',
      overfitText: 'latent-overfit-text', gapChart: 'latent-gap-chart', gapTable: 'latent-gap-table',
    }),
    compute: labRequest(Request.LAB_PCA),
    sweep: labRequest(Request.LAB_SWEEP),
    overfit: labRequest(Request.LAB_OVERFIT),
    cancel: cancelLab,
    onError: (err) => labs.failed(err),
  });
  const labs = new LabsPanel({
    i18n,
    el: byIds({ panel: 'labs-panel', tabs: 'lab-tabs', status: 'lab-status' }),
    labs: { anomaly: anomalyLab, compression: compressionLab, pca: pcaLab, features: featuresLab, latent: latentLab },
    client,
    ensureData: () => controller.ensureTrainingSet(),
    drawing: (pixels) => client.request(Request.LAB_DRAWING, { pixels }, [pixels.buffer]),
    ready: () => testSet().count > 0,
    onShow: (id) => store.set({ lab: id }),
  });
  return labs;
}
