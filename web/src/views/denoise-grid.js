// For denoising models: each probe image corrupted (what the model is given), clean (what it
// is asked for) and the model's output, side by side in three rows.
import { drawGray } from '../lib/image.js';

const ROWS = [
  { id: 'noisy', label: 'learn.row.noisy' },
  { id: 'clean', label: 'learn.row.clean' },
  { id: 'denoised', label: 'learn.row.denoised' },
];

export class DenoiseGrid {
  /** @param {HTMLElement} container @param {number} count @param {import('../i18n/index.js').I18n} i18n */
  constructor(container, count, size = 28, i18n) {
    this.size = size;
    this.rows = {};
    for (const row of ROWS) {
      const label = document.createElement('span');
      label.className = 'row-label';
      i18n.text(label, row.label);
      container.append(label);
      this.rows[row.id] = Array.from({ length: count }, (_, i) => {
        const c = document.createElement('canvas');
        c.width = c.height = size;
        c.className = 'pixelated';
        c.dataset.row = row.id;
        c.setAttribute('role', 'img');
        i18n.attr(c, 'aria-label', 'learn.rowItem', { row: { $: 'msg', k: row.label }, i: i + 1 });
        container.append(c);
        return c;
      });
    }
  }

  setClean(pixels) {
    this.#draw('clean', pixels);
  }

  set({ noisy, denoised }) {
    this.#draw('noisy', noisy);
    this.#draw('denoised', denoised);
  }

  #draw(row, pixels) {
    const d = this.size * this.size;
    this.rows[row].forEach((c, i) => drawGray(c, pixels, i * d));
  }
}
