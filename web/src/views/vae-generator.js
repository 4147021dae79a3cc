// For VAEs and adversarial autoencoders: the "manifold" (a lattice over the 2-D latent plane,
// each point decoded) and fresh samples drawn from the prior (a VAE's N(0, I); an AAE's own,
// sampled in the engine). Other models get a sentence saying why not.
import { drawGray } from '../lib/image.js';
import { normalQuantile, quantileLattice } from '../lib/lattice.js';
import { V } from '../i18n/values.js';

const SAMPLE_SIDE = 4;

export class VaeGenerator {
  /**
   * @param {object} o
   * @param {Record<string, HTMLElement>} o.el  block, note, manifold, manifoldNote, side, sample, samples
   * @param {(points: Float32Array, n: number) => Promise<{pixels: Float32Array}>} o.decodePoints
   * @param {(n: number, seed: number) => Promise<{pixels: Float32Array}>} o.samplePrior
   * @param {(err: Error) => void} o.onError
   */
  constructor({ el, decodePoints, samplePrior, onError, i18n }) {
    Object.assign(this, { el, decodePoints, samplePrior, onError, i18n });
    this.active = false;
    this.map = null;
    this.seed = 1;
    this.busy = false;
    this.lastDraw = -Infinity;
    el.side.addEventListener('change', () => this.refresh(true));
    el.sample.addEventListener('click', () => this.#sample());
  }

  /** Shown for models with a prior (VAEs, the AAE) only. */
  setVariant(hasPrior, seed, variant = '') {
    const wasActive = this.active;
    this.active = hasPrior;
    this.aae = variant === 'aae';
    if (hasPrior && !wasActive) this.refresh(true);
    this.seed = seed;
    this.el.block.hidden = !hasPrior;
    this.el.note.hidden = hasPrior;
  }

  setMap(m) {
    const first = !this.map || this.map.mean.length !== m.mean.length;
    this.map = m;
    this.refresh(first);
  }

  /** Re-decodes the lattice (at most every 1.5 s while training, unless forced). */
  async refresh(force = false) {
    if (!this.active || !this.map || this.busy) return;
    const now = performance.now();
    if (!force && now - this.lastDraw < 1500) return;
    this.busy = true;
    try {
      const side = Number(this.el.side.value);
      // A VAE with Z = 2 (axes): the prior's own plane, N(0, 1) quantiles. Otherwise (Z > 2: the
      // PCA plane; an AAE, whose prior is not N(0, 1)) spread by the codes' standard deviation
      // along each axis.
      const own = this.map.method === 'axes' && !this.aae;
      const scale = own ? [1, 1] : this.map.variance.map((v) => Math.sqrt(v) || 1);
      const lattice = quantileLattice(side, scale);
      const { pixels } = await this.decodePoints(lattice, side * side);
      drawTiles(this.el.manifold, pixels, side);
      if (own) this.i18n.text(this.el.manifoldNote, 'latent.manifoldAxes', { side, edge: V.fixed(quantileEdge(side), 1) });
      else if (this.map.method === 'axes') this.i18n.text(this.el.manifoldNote, 'latent.manifoldSpread', { side });
      else this.i18n.text(this.el.manifoldNote, 'latent.manifoldPca', { side, z: this.map.mean.length });
      this.lastDraw = performance.now();
    } catch (err) {
      this.onError(err);
    } finally {
      this.busy = false;
    }
  }

  async #sample() {
    try {
      const n = SAMPLE_SIDE * SAMPLE_SIDE;
      const { pixels } = await this.samplePrior(n, this.seed++);
      drawTiles(this.el.samples, pixels, SAMPLE_SIDE);
    } catch (err) {
      this.onError(err);
    }
  }
}

/** side² images of 28×28 into one canvas, row by row. */
function drawTiles(canvas, pixels, side) {
  canvas.width = canvas.height = side * 28;
  const tile = document.createElement('canvas');
  tile.width = tile.height = 28;
  const ctx = canvas.getContext('2d');
  for (let i = 0; i < side * side; i++) {
    drawGray(tile, pixels, i * 784);
    ctx.drawImage(tile, (i % side) * 28, Math.floor(i / side) * 28);
  }
  canvas.dataset.filled = String(side * side);
}

/** |Φ⁻¹(0.5 / side)|: the outermost lattice coordinate. */
const quantileEdge = (side) => -normalQuantile(0.5 / side);
