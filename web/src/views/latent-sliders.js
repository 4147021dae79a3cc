// One slider per latent dimension over the current code (the drawing's, or a point picked on
// the map), decoding live as they move: what each number in the code does to the picture.
import { drawGray } from '../lib/image.js';
import { latestOnly } from '../lib/latest.js';
import { hasFocus } from '../lib/dom.js';
import { V } from '../i18n/values.js';

const MAX_SLIDERS = 32;
const STEPS = 200; // slider resolution over each dimension's range

export class LatentSliders {
  /**
   * @param {object} o
   * @param {Record<string, HTMLElement>} o.el  list, output, source, follow, note
   * @param {(code: Float32Array) => Promise<{pixels: Float32Array}>} o.decode
   * @param {(err: Error) => void} o.onError
   * @param {import('../i18n/index.js').I18n} o.i18n
   */
  constructor({ el, decode, onError, i18n }) {
    this.el = el;
    this.i18n = i18n;
    this.code = null; // Float32Array (Z)
    this.min = null;
    this.max = null;
    this.following = true; // the sliders track the drawing until a map point is explored
    this.inputs = [];
    this.decode = latestOnly(
      (code) => decode(code.slice()),
      ({ pixels }) => {
        drawGray(el.output, pixels);
        el.output.dataset.filled = '1';
      },
      onError,
    );
    el.follow.addEventListener('click', () => {
      this.following = true;
      el.follow.hidden = true;
      if (this.drawing) this.setCode(this.drawing.code, this.drawing.label, true);
    });
    el.follow.hidden = true;
  }

  /**
   * The model is being replaced: its codes (the sliders', the drawing's) mean nothing to the next
   * one, and none may be decoded from now on. The next map's ranges put the sliders back.
   */
  forget() {
    this.decode.cancel();
    this.code = null;
    this.drawing = null;
  }

  /** Slider ranges from the latest map's codes ({min, max} of length Z). */
  setRanges({ min, max }) {
    this.min = min;
    this.max = max;
    if (!this.code || this.code.length !== min.length) this.setCode(midpoints(min, max), { key: 'latent.middle' }, this.following);
    else this.#syncInputs();
  }

  /** The drawing's code; the sliders follow it unless a map point is being explored. */
  followDrawing(input) {
    this.drawing = input ? { code: input.code, label: input.label } : null;
    if (input && this.following) this.setCode(input.code, input.label, true);
  }

  /** Puts a code on the sliders (from the map: stops following the drawing). label: a message { key, params }. */
  setCode(code, label, following = false) {
    this.code = Float32Array.from(code);
    this.following = following;
    this.el.follow.hidden = following || !this.drawing;
    this.i18n.text(this.el.source, 'latent.startingFrom', { label: V.msg(label.key, label.params) });
    if (this.inputs.length !== Math.min(MAX_SLIDERS, this.code.length)) this.#build();
    this.#syncInputs();
    this.decode(this.code);
  }

  #build() {
    const z = this.code.length;
    const shown = Math.min(MAX_SLIDERS, z);
    if (z > MAX_SLIDERS) this.i18n.text(this.el.note, 'latent.firstDims', { max: MAX_SLIDERS, z });
    else this.i18n.clear(this.el.note);
    this.inputs = [];
    this.el.list.replaceChildren();
    for (let j = 0; j < shown; j++) {
      const li = document.createElement('li');
      const id = `latent-dim-${j}`;
      const label = document.createElement('label');
      label.htmlFor = id;
      label.textContent = `z${j + 1}`;
      const input = document.createElement('input');
      input.type = 'range';
      input.id = id;
      input.min = '0';
      input.max = String(STEPS);
      input.step = '1';
      this.i18n.attr(input, 'aria-label', 'latent.dimension', { j: j + 1 });
      const out = document.createElement('output');
      out.htmlFor = id;
      input.addEventListener('input', () => {
        this.code[j] = this.#valueOf(j, Number(input.value));
        out.textContent = this.code[j].toFixed(2);
        input.setAttribute('aria-valuetext', this.code[j].toFixed(2));
        this.decode(this.code);
      });
      li.append(label, input, out);
      this.el.list.append(li);
      this.inputs.push({ input, out });
    }
  }

  #range(j) {
    if (this.min && j < this.min.length) return [this.min[j], this.max[j]];
    return [-3, 3];
  }

  #valueOf(j, step) {
    const [lo, hi] = this.#range(j);
    return lo + ((hi - lo) * step) / STEPS;
  }

  #syncInputs() {
    this.inputs.forEach(({ input, out }, j) => {
      if (hasFocus(input)) return; // being moved: leave the thumb where the person put it
      const [lo, hi] = this.#range(j);
      const v = this.code[j];
      input.value = String(Math.round(((Math.min(hi, Math.max(lo, v)) - lo) / (hi - lo || 1)) * STEPS));
      out.textContent = v.toFixed(2);
      input.setAttribute('aria-valuetext', v.toFixed(2));
    });
  }
}

const midpoints = (min, max) => Float32Array.from(min, (lo, j) => (lo + max[j]) / 2);
