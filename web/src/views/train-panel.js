// Training controls and readouts: the start/pause button, epoch progress and statistics.
import { formatInt, formatLoss } from '../lib/format.js';

export class TrainPanel {
  constructor({ button, progress, epochLabel, speed, trainLoss, testLoss, steps, datasetStatus, onToggle }) {
    Object.assign(this, { button, progress, epochLabel, speed, trainLoss, testLoss, steps, datasetStatus });
    this.running = false;
    this.busy = false;
    button.addEventListener('click', () => {
      if (!this.busy) onToggle(!this.running);
    });
  }

  /** ready: the engine can train; busy: a start/pause request is in flight. */
  setState({ running = this.running, ready = true, busy = false }) {
    this.running = running;
    this.busy = busy;
    this.button.disabled = !ready || busy;
    this.button.textContent = running ? 'Pause' : 'Start training';
    this.button.setAttribute('aria-pressed', String(running));
  }

  showProgress(p) {
    this.progress.value = p.epochProgress;
    this.epochLabel.textContent = `Epoch ${p.epoch + (p.epochProgress >= 1 ? 0 : 1)}`;
    this.speed.textContent = formatInt(p.samplesPerSec);
    this.trainLoss.textContent = formatLoss(p.loss.total);
    this.steps.textContent = formatInt(p.step);
  }

  showEpoch(e) {
    if (e.testLoss) this.testLoss.textContent = formatLoss(e.testLoss.total);
  }

  showDataset(text) {
    this.datasetStatus.textContent = text;
  }

  reset() {
    this.progress.value = 0;
    this.epochLabel.textContent = 'Epoch 1';
    for (const el of [this.speed, this.trainLoss, this.testLoss]) el.textContent = '–';
    this.steps.textContent = '0';
  }
}
