// Wires the worker client, the state and the views. Nothing else lives here.
import { EngineClient } from './engine-client.js';
import { formatInt } from './lib/format.js';
import { DATASETS, SEED_MODEL, SEED_TRAIN, describeModel, pickProbes } from './lib/presets.js';
import { Event, Request } from './protocol.js';
import { DrawPanel } from './views/draw-panel.js';
import { LossChart } from './views/loss-chart.js';
import { ProbeGrid } from './views/probe-grid.js';
import { TrainPanel } from './views/train-panel.js';

const $ = (id) => document.getElementById(id);
const dataset = 'mnist';
const PROBES = 8;

const worker = new Worker(new URL('./worker/worker.js', import.meta.url), { type: 'module', name: 'trainer' });
const client = new EngineClient(worker);
const state = { probes: [], trainLoaded: false, epochsSeen: 0 };

function showError(err) {
  $('error-text').textContent = err.message ?? String(err);
  $('error-banner').hidden = false;
}
$('error-close').addEventListener('click', () => ($('error-banner').hidden = true));
const announce = (text) => ($('live-status').textContent = text);

const chart = new LossChart($('loss-chart'), [
  { id: 'train', color: '--accent' },
  { id: 'test', color: '--accent-2', dots: true },
]);
const probes = new ProbeGrid($('probe-grid'), PROBES);
const draw = new DrawPanel({
  pad: $('draw-pad'),
  input: $('model-input'),
  output: $('draw-recon'),
  errorReadout: $('draw-error'),
  clearButton: $('clear-btn'),
  reconstruct: (pixels) => client.request(Request.RECONSTRUCT, { pixels, n: 1 }, [pixels.buffer]),
  onError: showError,
});
const panel = new TrainPanel({
  button: $('train-btn'),
  progress: $('epoch-progress'),
  epochLabel: $('epoch-label'),
  speed: $('stat-speed'),
  trainLoss: $('stat-train'),
  testLoss: $('stat-test'),
  steps: $('stat-steps'),
  datasetStatus: $('dataset-status'),
  onToggle: (run) => (run ? startTraining() : pauseTraining()),
});

client.on(Event.PROGRESS, (p) => {
  panel.showProgress(p);
  chart.add('train', p.epoch + p.epochProgress - (p.epochProgress >= 1 ? 1 : 0), p.loss.total);
});
client.on(Event.SNAPSHOT, (s) => {
  probes.setReconstructions(s.probes);
  draw.refresh();
});
client.on(Event.EPOCH, (e) => {
  panel.showEpoch(e);
  if (e.testLoss) chart.add('test', e.epoch, e.testLoss.total);
  announce(`Epoch ${e.epoch} done. Test loss ${e.testLoss ? e.testLoss.total.toFixed(2) : 'not measured'}.`);
});
client.on(Event.STATE, (s) => {
  panel.setState({ running: s.running });
  if (!s.running && s.reason === 'error') announce('Training stopped because of an error.');
});
client.on(Event.DATASET_PROGRESS, (d) => {
  const mb = (b) => (b / 1e6).toFixed(1);
  panel.showDataset(d.total ? `Downloading ${d.split} set: ${mb(d.loaded)} / ${mb(d.total)} MB` : `Downloading ${d.split} set: ${mb(d.loaded)} MB`);
});
client.on(Event.ERROR, (e) => showError(new Error(e.message)));

async function startTraining() {
  panel.setState({ busy: true });
  try {
    if (!state.trainLoaded) {
      const info = await client.request(Request.LOAD_DATASET, { dataset, split: 'train' });
      state.trainLoaded = true;
      panel.showDataset(`${DATASETS[dataset].label}: ${formatInt(info.count)} training images`);
    }
    await client.request(Request.START, { probes: state.probes });
    panel.setState({ running: true });
    announce('Training started.');
  } catch (err) {
    panel.setState({ running: false });
    panel.showDataset('');
    showError(err);
  }
}

async function pauseTraining() {
  panel.setState({ busy: true });
  try {
    const r = await client.request(Request.PAUSE);
    panel.setState({ running: false });
    announce(`Training paused after ${formatInt(r.step)} steps.`);
  } catch (err) {
    panel.setState({});
    showError(err);
  }
}

async function loadTestSet() {
  panel.showDataset('Loading test images…');
  const test = await client.request(Request.LOAD_DATASET, { dataset, split: 'test' });
  const first = await client.request(Request.IMAGES, { split: 'test', indices: [...Array(Math.min(200, test.count)).keys()] });
  state.probes = pickProbes(Array.from(first.labels), PROBES);
  const shown = await client.request(Request.IMAGES, { split: 'test', indices: state.probes });
  probes.setOriginals(shown.pixels, shown.labels, DATASETS[dataset].classNames);
  const recon = await client.request(Request.RECONSTRUCT, { pixels: shown.pixels, n: state.probes.length });
  probes.setReconstructions(recon.pixels);
  panel.showDataset(`${DATASETS[dataset].label}: ${formatInt(test.count)} test images ready`);
}

async function boot() {
  const { info } = await client.request(Request.INIT, { baseUrl: document.baseURI });
  $('engine-status').textContent = `Engine ready: WebAssembly (${info.backend}) in a Web Worker.`;
  await client.request(Request.CONFIGURE, { model: SEED_MODEL, train: SEED_TRAIN });
  $('model-summary').textContent = `Model ${describeModel(SEED_MODEL)} · Adam, learning rate ${SEED_TRAIN.lr}, batch ${SEED_TRAIN.batch_size}`;
  panel.setState({ ready: true });
  document.body.dataset.ready = '1';
  try {
    await loadTestSet();
  } catch (err) {
    panel.showDataset('Test images unavailable: training still works, without test loss.');
    showError(err);
  }
  document.body.dataset.testSet = state.probes.length ? 'ready' : 'missing';
}

boot().catch((err) => {
  showError(err);
  $('engine-status').textContent = 'The engine could not start.';
  panel.setState({ ready: false });
  document.body.dataset.ready = 'error';
});
