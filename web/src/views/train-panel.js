// Training controls and readouts: start/pause, one batch, reset; the epoch progress bar,
// samples per second, elapsed time, time left, losses and steps.
import { formatDuration, formatInt, formatLoss, timeLeftMs } from '../lib/format.js';

export class TrainPanel {
  /**
   * @param {object} o
   * @param {Record<string, HTMLElement>} o.el  start, step, reset, progress, epochLabel, speed,
   *   elapsed, timeLeft, trainLoss, testLoss, steps, datasetStatus, summary, trainSummary
   * @param {{toggle: (run: boolean) => void, step: () => void, reset: () => void}} o.on
   */
  constructor({ el, on }) {
    this.el = el;
    this.running = false;
    this.busy = false;
    this.ready = false;
    this.targetEpochs = 10;
    this.trainCount = 0;
    this.last = null; // latest PROGRESS
    this.pending = 0; // timer of the next display of it
    this.el.fill = el.progress.firstElementChild;
    el.start.addEventListener('click', () => !this.busy && on.toggle(!this.running));
    el.step.addEventListener('click', () => !this.busy && on.step());
    el.reset.addEventListener('click', () => !this.busy && on.reset());
    this.#render();
  }

  /** ready: the engine can train; busy: a request that changes the run is in flight. */
  setState({ running = this.running, ready = this.ready, busy = false }) {
    if (!running && this.pending) {
      // Stopped: show the final numbers now, so what the page says matches where it stopped.
      clearTimeout(this.pending);
      this.pending = 0;
      this.#showLast();
    }
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

  setSummary(text) {
    this.el.summary.textContent = text;
  }

  /** The training settings as the engine applied them. */
  setTrainSummary(text) {
    this.el.trainSummary.textContent = text;
  }

  /** A PROGRESS event. Shown at most 4 times a second (the worker sends about 10). */
  showProgress(p) {
    this.last = p;
    if (this.pending) return;
    this.pending = setTimeout(() => {
      this.pending = 0;
      this.#showLast();
    }, this.running ? 250 : 0);
  }

  #showLast() {
    const p = this.last;
    if (!p) return;
    this.el.fill.style.transform = `scaleX(${p.epochProgress})`;
    setAttr(this.el.progress, 'aria-valuenow', String(Math.round(p.epochProgress * 100)));
    setAttr(this.el.progress, 'aria-valuetext', `${Math.round(p.epochProgress * 100)}% of epoch ${this.#epochNumber()}`);
    this.#epochText();
    if (p.samplesPerSec != null) setText(this.el.speed, formatInt(p.samplesPerSec));
    setText(this.el.trainLoss, formatLoss(p.loss.total));
    setText(this.el.steps, formatInt(p.step));
    setText(this.el.elapsed, formatDuration(p.elapsedMs));
    this.#timeLeft();
    if (!this.running) this.#render(); // a step may finish the run
  }

  showEpoch(e) {
    if (e.testLoss) this.el.testLoss.textContent = formatLoss(e.testLoss.total);
  }

  /**
   * Where a loaded (or rolled-back) model stands: its last progress and test loss, as if the
   * run had just paused there.
   * @param {{step, epoch, epochProgress, loss, elapsedMs}|null} p
   * @param {number|null} testLoss
   */
  showLoaded(p, testLoss = null, { startLabel = null } = {}) {
    clearTimeout(this.pending);
    this.pending = 0;
    this.startLabel = startLabel; // what Start does for this model ("Fine-tune …"), until it runs
    this.last = p ? { ...p, samplesPerSec: null } : null;
    this.el.speed.textContent = '–';
    this.el.testLoss.textContent = formatLoss(testLoss);
    if (p) this.#showLast();
    else this.reset();
    this.#render();
  }

  showDataset(text) {
    this.el.datasetStatus.textContent = text;
  }

  reset() {
    this.last = null;
    this.startLabel = null;
    clearTimeout(this.pending);
    this.pending = 0;
    this.el.fill.style.transform = 'scaleX(0)';
    this.el.progress.setAttribute('aria-valuenow', '0');
    this.el.progress.removeAttribute('aria-valuetext');
    for (const k of ['speed', 'trainLoss', 'testLoss', 'elapsed', 'timeLeft']) this.el[k].textContent = '–';
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
    const text = !done
      ? `Epoch ${this.#epochNumber()} of ${this.targetEpochs}`
      : this.last.epoch > this.targetEpochs
        ? `Trained ${this.last.epoch} epochs`
        : `Done: ${this.last.epoch} of ${this.targetEpochs} epochs`;
    setText(this.el.epochLabel, text);
  }

  #timeLeft() {
    const p = this.last;
    if (!p) return;
    const ms = timeLeftMs({ epochsDone: this.epochsDone(), samplesPerSec: p.samplesPerSec, trainCount: this.trainCount, targetEpochs: this.targetEpochs });
    if (ms === 0) setText(this.el.timeLeft, '0 s');
    else if (ms != null && this.running) setText(this.el.timeLeft, formatDuration(ms));
    else if (!this.running) setText(this.el.timeLeft, '–');
  }

  #render() {
    const { start, step, reset } = this.el;
    start.disabled = !this.ready || this.busy;
    const n = this.moreEpochs ?? this.targetEpochs;
    const more = `Train ${n} more epoch${n === 1 ? '' : 's'}`;
    start.textContent = this.running ? 'Pause' : this.isDone() ? (this.startLabel ? `${this.startLabel}: ${more.toLowerCase()}` : more) : this.startLabel ?? (this.last ? 'Resume training' : 'Start training');
    start.setAttribute('aria-pressed', String(this.running));
    step.disabled = !this.ready || this.busy || this.running;
    reset.disabled = !this.ready || this.busy;
    if (!this.running && this.last) this.el.timeLeft.textContent = '–';
  }
}

// Progress arrives about 10 times a second: touch the DOM only when the text really changes.
function setText(el, text) {
  if (el.textContent !== text) el.textContent = text;
}
function setAttr(el, name, value) {
  if (el.getAttribute(name) !== value) el.setAttribute(name, value);
}
