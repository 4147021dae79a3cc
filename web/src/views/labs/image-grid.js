// Rows of small images (28×28 drawn at native size, scaled up by CSS), each with a caption under
// it, and a title at the start of each row: the anomaly lab's most and least anomalous test
// images, the compression lab's originals and what their 8-bit codes decode to, the comparison's
// originals, the autoencoder's and PCA's reconstructions. Every image has an accessible name.
import { drawGray } from '../../lib/image.js';

const D = 784;

export class ImageGrid {
  /** @param {HTMLElement} container */
  constructor(container) {
    this.container = container;
    this.token = 0;
  }

  /**
   * @param {{title: string, pixels: Float32Array, offset?: number, count: number,
   *   captions?: string[], names?: string[], marks?: boolean[]}[]} rows
   *   per row: `count` images from pixels (starting at image `offset`), a caption and an
   *   accessible name per image, marks: images to outline (an anomalous one among the normal)
   * One row per animation frame, reusing the canvases already there: a 2-D context costs a
   * couple of milliseconds to make, and the page's main thread takes no task over 50 ms. The
   * container is aria-busy until the last row is in (for assistive technology, and for tests).
   */
  async set(rows) {
    const token = ++this.token;
    this.container.setAttribute('aria-busy', 'true');
    while (this.container.children.length > rows.length) this.container.lastElementChild.remove();
    for (const [r, row] of rows.entries()) {
      if (r > 0) await new Promise((resolve) => requestAnimationFrame(resolve));
      if (token !== this.token) return; // a newer set() (or clear()) took over
      this.#row(r, row);
    }
    this.container.removeAttribute('aria-busy');
  }

  clear() {
    this.token++;
    this.container.removeAttribute('aria-busy');
    this.container.replaceChildren();
  }

  #row(r, row) {
    let el = this.container.children[r];
    if (!el) {
      el = document.createElement('div');
      el.className = 'lab-image-row';
      el.setAttribute('role', 'group');
      const title = document.createElement('p');
      title.className = 'lab-image-row-title';
      title.id = `${this.container.id || 'lab-grid'}-${r}`;
      el.setAttribute('aria-labelledby', title.id);
      const cells = document.createElement('div');
      cells.className = 'lab-image-cells';
      el.append(title, cells);
      this.container.append(el);
    }
    const [title, cells] = el.children;
    title.textContent = row.title;
    while (cells.children.length > row.count) cells.lastElementChild.remove();
    for (let i = 0; i < row.count; i++) {
      let fig = cells.children[i];
      if (!fig) {
        fig = document.createElement('figure');
        fig.className = 'lab-image';
        const c = document.createElement('canvas');
        c.width = c.height = 28;
        c.className = 'pixelated';
        c.setAttribute('role', 'img');
        fig.append(c, document.createElement('figcaption'));
        cells.append(fig);
      }
      const [c, cap] = fig.children;
      fig.classList.toggle('marked', Boolean(row.marks?.[i]));
      c.setAttribute('aria-label', row.names?.[i] ?? row.captions?.[i] ?? row.title);
      drawGray(c, row.pixels, ((row.offset ?? 0) + i) * D);
      cap.textContent = row.captions?.[i] ?? '';
      cap.hidden = row.captions?.[i] === undefined;
    }
  }
}
