// For the recurrent (sequence) autoencoder: its decoder writes the image one row per step, each
// row from the steps before it, and this view replays that for the sliders' current code, row by
// row (at once, with the last step named, under prefers-reduced-motion). Other models hide it.
// Life cycle: construct, setVariant(isSequence), play() (the Play button), stop().
import { drawGray } from '../lib/image.js';

const STEP_MS = 70; // one row per frame interval: 28 rows in about 2 s

export class SequenceDecoder {
  /**
   * @param {object} o
   * @param {Record<string, HTMLElement>} o.el  block, canvas, play, step
   * @param {(code: Float32Array) => Promise<{rows: Float32Array, steps: number, stepSize: number}>} o.decodeSteps
   * @param {() => Float32Array|null} o.code  the code to decode (the sliders')
   * @param {(err: Error) => void} o.onError
   */
  constructor({ el, decodeSteps, code, onError, i18n }) {
    Object.assign(this, { el, decodeSteps, code, onError, i18n });
    this.active = false;
    this.timer = 0;
    el.play.addEventListener('click', () => this.play());
  }

  setVariant(isSequence) {
    this.active = isSequence;
    this.el.block.hidden = !isSequence;
    if (!isSequence) this.stop();
  }

  stop() {
    clearTimeout(this.timer);
    this.timer = 0;
  }

  async play() {
    const code = this.code();
    if (!this.active || !code) {
      this.i18n.text(this.el.step, 'latent.sequenceNoCode');
      return;
    }
    this.stop();
    let out;
    try {
      out = await this.decodeSteps(code);
    } catch (err) {
      this.onError(err);
      return;
    }
    const { rows, steps, stepSize } = out;
    const shown = new Float32Array(rows.length); // rows not written yet stay black
    const show = (t) => {
      shown.set(rows.subarray(t * stepSize, (t + 1) * stepSize), t * stepSize);
      drawGray(this.el.canvas, shown);
      this.el.canvas.dataset.rows = String(t + 1);
      this.i18n.text(this.el.step, 'latent.sequenceStep', { t: t + 1, steps });
    };
    if (matchMedia('(prefers-reduced-motion: reduce)').matches) {
      for (let t = 0; t < steps; t++) shown.set(rows.subarray(t * stepSize, (t + 1) * stepSize), t * stepSize);
      show(steps - 1);
      return;
    }
    let t = 0;
    const next = () => {
      show(t++);
      this.timer = t < steps ? setTimeout(next, STEP_MS) : 0;
    };
    next();
  }
}
