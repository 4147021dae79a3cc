// Training controls and readouts: start/pause, one batch, reset; the epoch progress bar,
// samples per second, elapsed time, time left, losses and steps.
import { timeLeftMs } from '../lib/format.js';
import { Paced } from '../lib/paced.js';
import { V } from '../i18n/values.js';

// Below the worker's PROGRESS interval (250 ms, worker/train-loop.js), so that each one is shown
// as it arrives rather than on a timer of its own (lib/paced.js says why that matters).
const PACE_MS = 200;

export class TrainPanel {
  /**
   * @param {object} o
   * @param {Record<string, HTMLElement>} o.el  start, step, reset, progress, epochLabel, speed,
   *   elapsed, timeLeft, trainLoss, testLoss, steps, datasetStatus, summary, trainSummary
   * @param {{toggle: (run: boolean) => void, step: () => void, reset: () => void}} o.on
   * @param {import('../i18n/index.js').I18n} o.i18n
   */
  constructor({ el, on, i18n }) {
    this.el = el;
    this.i18n = i18n;
    this.running = false;
    this.busy = false;
    this.ready = false;
    this.targetEpochs = 10;
    this.trainCount = 0;
    this.last = null; // latest PROGRESS
    // Its display, at most every PACE_MS while training: each PROGRESS (the worker sends four a
    // second) is shown in the frame it arrives in, with the loss chart's.
    this.shown = new Paced(() => this.#showLast(), { minMs: PACE_MS, maxWaitMs: 2 * PACE_MS });
    this.el.fill = el.progress.firstElementChild;
    el.start.addEventListener('click', () => !this.busy && on.toggle(!this.running));
    el.step.addEventListener('click', () => !this.busy && on.step());
    el.reset.addEventListener('click', () => !this.busy && on.reset());
    this.#render();
  }

  /** ready: the engine can train; busy: a request that changes the run is in flight. */
  setState({ running = this.running, ready = this.ready, busy = false }) {
    // Stopped: show the final numbers now, so what the page says matches where it stopped.
    if (!running) this.shown.flush({ always: false });
    Object.assign(this, { running, ready, busy });
    if (running) this.startLabel = null;
    this.#render();
  }

  /**
   * @param {number} epochs  where the run stops, in epochs of the model's whole training
   * @param {number} [more]  "Train for": epochs one more run trains (the Start button says so)
   */
  setTarget(epochs, more = epochs) {
    this.targetEpochs = epochs;
    this.moreEpochs = more;
    this.#epochText();
    this.#timeLeft();
    this.#render();
  }

  setTrainCount(n) {
    this.trainCount = n;
  }

  /** The model's description: a typed message value (lib/presets.js modelMessage). */
  setSummary(value) {
    this.i18n.text(this.el.summary, 'describe.text', { text: value });
  }

  /** The training settings as the engine applied them (lib/presets.js trainingMessage). */
  setTrainSummary(value) {
    this.i18n.text(this.el.trainSummary, 'describe.text', { text: value });
  }

  /** A PROGRESS event: shown now, or while training (if the last was shown less than PACE_MS ago) with the next one. */
  showProgress(p) {
    this.last = p;
    if (this.running) this.shown.request();
    else this.shown.flush();
  }

  #showLast() {
    const p = this.last;
    if (!p) return;
    this.el.fill.style.transform = `scaleX(${p.epochProgress})`;
    setAttr(this.el.progress, 'aria-valuenow', String(Math.round(p.epochProgress * 100)));
    this.i18n.attr(this.el.progress, 'aria-valuetext', 'train.progressText', { pct: V.pct(Math.round(p.epochProgress * 100) / 100), epoch: V.int(this.#epochNumber()) });
    this.#epochText();
    if (p.samplesPerSec != null) setText(this.el.speed, this.i18n.format(V.int(p.samplesPerSec)));
    setText(this.el.trainLoss, this.i18n.format(V.loss(p.loss.total)));
    setText(this.el.steps, this.i18n.format(V.int(p.step)));
    this.#message(this.el.elapsed, 'describe.text', { text: V.dur(p.elapsedMs) });
    this.#timeLeft();
    if (!this.running) this.#render(); // a step may finish the run
  }

  showEpoch(e) {
    if (e.testLoss) this.el.testLoss.textContent = this.i18n.format(V.loss(e.testLoss.total));
  }

  /**
   * Where a loaded (or rolled-back) model stands: its last progress and test loss, as if the
   * run had just paused there.
   * @param {{step, epoch, epochProgress, loss, elapsedMs}|null} p
   * @param {number|null} testLoss
   */
  showLoaded(p, testLoss = null, { startLabel = null } = {}) {
    this.shown.cancel();
    this.startLabel = startLabel; // what Start does for this model (a message key: "Fine-tune"), until it runs
    this.last = p ? { ...p, samplesPerSec: null } : null;
    this.el.speed.textContent = '–';
    this.el.testLoss.textContent = this.i18n.format(V.loss(testLoss));
    if (p) this.#showLast();
    else this.reset();
    this.#render();
  }

  /** A status line about the data: a message. */
  showDataset(key, params) {
    this.i18n.text(this.el.datasetStatus, key, params);
  }

  reset() {
    this.last = null;
    this.startLabel = null;
    this.shown.cancel();
    this.el.fill.style.transform = 'scaleX(0)';
    this.el.progress.setAttribute('aria-valuenow', '0');
    this.el.progress.removeAttribute('aria-valuetext');
    for (const k of ['speed', 'trainLoss', 'testLoss', 'elapsed', 'timeLeft']) this.#clear(this.el[k]);
    this.el.steps.textContent = '0';
    this.#epochText();
  }

  /** The run reached its target number of epochs. */
  isDone() {
    return Boolean(this.last && this.last.epoch >= this.targetEpochs);
  }

  /** Epochs completed, fractional. */
  epochsDone() {
    const p = this.last;
    return p ? p.epoch + (p.epochProgress >= 1 ? 0 : p.epochProgress) : 0;
  }

  #epochNumber() {
    const p = this.last;
    if (!p) return 1;
    return p.epochProgress >= 1 ? p.epoch : p.epoch + 1;
  }

  #epochText() {
    const done = this.last && this.last.epoch >= this.targetEpochs;
    const [key, params] = !done
      ? ['train.epochOf', { epoch: V.int(this.#epochNumber()), total: V.int(this.targetEpochs) }]
      : this.last.epoch > this.targetEpochs
        ? ['train.trainedEpochs', { n: this.last.epoch }]
        : ['train.done', { epoch: V.int(this.last.epoch), total: V.int(this.targetEpochs) }];
    this.#message(this.el.epochLabel, key, params);
  }

  #timeLeft() {
    const p = this.last;
    if (!p) return;
    const ms = timeLeftMs({ epochsDone: this.epochsDone(), samplesPerSec: p.samplesPerSec, trainCount: this.trainCount, targetEpochs: this.targetEpochs });
    if (ms === 0) this.#message(this.el.timeLeft, 'describe.text', { text: V.dur(0) });
    else if (ms != null && this.running) this.#message(this.el.timeLeft, 'describe.text', { text: V.dur(ms) });
    else if (!this.running) this.#clear(this.el.timeLeft);
  }

  #render() {
    const { start, step, reset } = this.el;
    start.disabled = !this.ready || this.busy;
    const [key, params] = this.running
      ? ['train.pause']
      : this.isDone()
        ? [this.startLabel ? 'train.fineTuneMore' : 'train.more', { n: this.moreEpochs ?? this.targetEpochs }]
        : [this.startLabel ?? (this.last ? 'train.resume' : 'train.start')];
    this.#message(start, key, params);
    start.setAttribute('aria-pressed', String(this.running));
    step.disabled = !this.ready || this.busy || this.running;
    reset.disabled = !this.ready || this.busy;
    if (!this.running && this.last) this.#clear(this.el.timeLeft);
  }

  /** Shows a message in `el`, touching the DOM only when it changes (progress comes often). */
  #message(el, key, params) {
    const id = `${key}|${params ? JSON.stringify(params) : ''}|${this.i18n.lang}`;
    if (el.__msg === id) return;
    el.__msg = id;
    this.i18n.text(el, key, params);
  }

  /** An empty readout: a dash. */
  #clear(el) {
    el.__msg = null;
    this.i18n.clear(el);
    setText(el, '–');
  }
}

// Progress arrives 4 times a second: touch the DOM only when the text really changes.
function setText(el, text) {
  if (el.textContent !== text) el.textContent = text;
}
function setAttr(el, name, value) {
  if (el.getAttribute(name) !== value) el.setAttribute(name, value);
}
