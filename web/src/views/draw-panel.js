// Drawing → what the model sees → reconstruction, live. At most one reconstruction request
// is in flight; strokes that arrive meanwhile are coalesced into the next request, so the
// output follows the pen without queuing stale work.
import { drawGray, meanSquaredError } from '../lib/image.js';
import { toMnist } from '../lib/preprocess.js';
import { DrawPad } from './draw-pad.js';

export class DrawPanel {
  /**
   * @param {object} o
   * @param {HTMLCanvasElement} o.pad       the drawing canvas
   * @param {HTMLCanvasElement} o.input     28×28 canvas: what the model sees
   * @param {HTMLCanvasElement} o.output    28×28 canvas: the reconstruction
   * @param {HTMLElement} o.errorReadout
   * @param {HTMLButtonElement} o.clearButton
   * @param {(pixels: Float32Array) => Promise<{pixels: Float32Array}>} o.reconstruct
   * @param {(err: Error) => void} o.onError
   */
  constructor({ pad, input, output, errorReadout, clearButton, reconstruct, onError }) {
    Object.assign(this, { input, output, errorReadout, reconstruct, onError });
    this.pixels = null; // Float32Array(784) of the current drawing, null when blank
    this.inFlight = false;
    this.dirty = false;
    this.pad = new DrawPad(pad, { onChange: (img) => this.#changed(img) });
    clearButton.addEventListener('click', () => this.pad.clear());
    this.#blankOutputs();
  }

  /** Re-runs the reconstruction (after the model changed). */
  refresh() {
    if (this.pixels) this.#request();
  }

  #changed(img) {
    const { pixels, blank } = toMnist(img);
    if (blank) {
      this.pixels = null;
      this.#blankOutputs();
      return;
    }
    this.pixels = pixels;
    drawGray(this.input, pixels);
    this.#request();
  }

  async #request() {
    if (this.inFlight) {
      this.dirty = true;
      return;
    }
    this.inFlight = true;
    const sent = this.pixels;
    try {
      const { pixels } = await this.reconstruct(sent.slice());
      if (this.pixels === sent) {
        drawGray(this.output, pixels);
        const mse = meanSquaredError(sent, pixels);
        this.errorReadout.textContent = `Reconstruction error: ${mse.toFixed(4)} (mean squared, per pixel)`;
        this.output.dataset.filled = '1';
      }
    } catch (err) {
      this.onError(err);
    } finally {
      this.inFlight = false;
      if (this.dirty) {
        this.dirty = false;
        if (this.pixels) this.#request();
      }
    }
  }

  #blankOutputs() {
    const zeros = new Float32Array(28 * 28);
    drawGray(this.input, zeros);
    drawGray(this.output, zeros);
    delete this.output.dataset.filled;
    this.errorReadout.textContent = 'Draw a digit in the black square.';
  }
}
