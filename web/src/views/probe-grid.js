// Fixed test images (top row) and the model's current reconstructions (bottom row).
import { drawGray } from '../lib/image.js';
import { classMessage } from '../lib/presets.js';

export class ProbeGrid {
  /**
   * @param {HTMLElement} container @param {number} count @param {number} size image side in pixels
   * @param {import('../i18n/index.js').I18n} i18n
   */
  constructor(container, count, size = 28, i18n) {
    this.size = size;
    this.i18n = i18n;
    this.originals = [];
    this.recons = [];
    for (const row of [this.originals, this.recons]) {
      for (let i = 0; i < count; i++) {
        const c = document.createElement('canvas');
        c.width = c.height = size;
        c.className = 'pixelated';
        c.dataset.row = row === this.originals ? 'original' : 'reconstruction';
        c.setAttribute('role', 'img');
        container.append(c);
        row.push(c);
      }
    }
  }

  /** @param {Float32Array} pixels count·size² values @param {Uint8Array|number[]} labels @param {string} dataset */
  setOriginals(pixels, labels, dataset) {
    const d = this.size * this.size;
    this.originals.forEach((c, i) => {
      drawGray(c, pixels, i * d);
      this.i18n.attr(c, 'aria-label', 'learn.probeOriginal', { i: i + 1, cls: classMessage(dataset, labels[i]) });
    });
  }

  setReconstructions(pixels) {
    const d = this.size * this.size;
    this.recons.forEach((c, i) => {
      drawGray(c, pixels, i * d);
      if (!c.hasAttribute('aria-label')) this.i18n.attr(c, 'aria-label', 'learn.probeRecon', { i: i + 1 });
    });
  }
}
