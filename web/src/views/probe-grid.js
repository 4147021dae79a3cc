// Fixed test images (top row) and the model's current reconstructions (bottom row).
import { drawGray } from '../lib/image.js';

export class ProbeGrid {
  /** @param {HTMLElement} container @param {number} count @param {number} size image side in pixels */
  constructor(container, count, size = 28) {
    this.size = size;
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

  /** @param {Float32Array} pixels count·size² values @param {Uint8Array|number[]} labels */
  setOriginals(pixels, labels, classNames) {
    const d = this.size * this.size;
    this.originals.forEach((c, i) => {
      drawGray(c, pixels, i * d);
      c.setAttribute('aria-label', `test image ${i + 1}: ${classNames[labels[i]] ?? labels[i]}`);
    });
  }

  setReconstructions(pixels) {
    const d = this.size * this.size;
    this.recons.forEach((c, i) => {
      drawGray(c, pixels, i * d);
      c.setAttribute('aria-label', `reconstruction of test image ${i + 1}`);
    });
  }
}
