// Drawing → what the model sees → reconstruction → error, live. The input can also be any
// test image (exact pixels) or an image file (PNG/JPEG, preprocessed like a drawing).
// The pad's pixels go to the worker, which preprocesses them the MNIST way (lib/preprocess.js)
// and reconstructs in one request; requests go through latestOnly (one in flight, the newest
// drawing next), so the output follows the pen without stale work queuing up and the page's
// main thread only copies pixels.
//
// Two measures of the reconstruction error, side by side, each saying which it is: the loss
// the model trains on, per image (BCE or squared error summed over the 784 pixels: the chart's
// measure) and the mean squared error per pixel (the difference image averaged), and how the
// two relate.
import { drawGray, meanSquaredError, reconstructionLoss } from '../lib/image.js';
import { latestOnly } from '../lib/latest.js';
import { randomIndexExcept } from '../lib/random.js';
import { LocalizedError } from '../i18n/errors.js';
import { V } from '../i18n/values.js';
import { DrawPad } from './draw-pad.js';

const D = 28 * 28;
const MAX_FILE_SIDE = 1024; // larger photos are scaled down before preprocessing
// A "3", in fractions of the pad, for the tour (two arcs, drawn as one stroke).
const THREE = [
  [0.34, 0.26], [0.42, 0.19], [0.53, 0.17], [0.63, 0.21], [0.66, 0.3], [0.62, 0.39], [0.52, 0.45], [0.45, 0.47],
  [0.54, 0.49], [0.64, 0.54], [0.68, 0.64], [0.64, 0.75], [0.53, 0.81], [0.41, 0.8], [0.32, 0.74],
];

export class DrawPanel {
  /**
   * @param {object} o
   * @param {Record<string, HTMLElement>} o.el  pad, cursor, input, output, error (canvases and
   *   readouts), errorText, sourceText, brush, eraser, undo, clear, testIndex, testShow,
   *   testRandom, file
   * @param {(pixels: Float32Array) => Promise<{pixels: Float32Array, codes: Float32Array, points: Float32Array|null}>} o.reconstruct
   * @param {(img: ImageData) => Promise<{input: Float32Array|null, pixels: Float32Array, codes: Float32Array, points: Float32Array|null}>} o.reconstructDrawing
   *   preprocesses (in the worker) and reconstructs what is on the pad
   * @param {(index: number) => Promise<{pixels: Float32Array, label: number}>} o.testImage
   * @param {() => {count: number, classNames: string[]}} o.testSet
   * @param {(input: {pixels: Float32Array, code: Float32Array, point: Float32Array|null, label: string}|null) => void} o.onInput
   * @param {(err: Error) => void} o.onError
   * @param {(index: number, label: number) => {key: string, params: object}} o.testLabel a test image's name
   * @param {() => 'bce'|'mse'} o.lossKind the loss the model trains with
   * @param {import('../i18n/index.js').I18n} o.i18n
   */
  constructor({ el, reconstruct, reconstructDrawing, testImage, testSet, testLabel, lossKind, onInput, onError, i18n }) {
    Object.assign(this, { el, reconstructDrawing, testImage, testSet, testLabel, lossKind, onInput, onError, i18n });
    this.pixels = null; // Float32Array (D) the model's input, null when blank
    this.label = null; // where the input came from, for people: a message { key, params }
    this.code = null; // the latest code, for redrawing its bars
    this.pad = new DrawPad(el.pad, {
      cursor: el.cursor,
      onChange: (img) => this.#drawn(img),
      onUndoChange: () => (el.undo.disabled = !this.pad.canUndo),
      lineWidth: Number(el.brush.value),
    });
    this.request = latestOnly(
      (pixels) => reconstruct(pixels.slice()),
      (r, pixels) => this.#show(pixels, r),
      onError,
    );
    this.drawingSeq = 0; // the pad's latest change; older answers are dropped
    this.requestDrawing = latestOnly(
      (img) => reconstructDrawing(img),
      (r, img) => this.#drawnResult(r, img),
      onError,
    );
    el.undo.disabled = true;
    el.brush.addEventListener('input', () => this.pad.setBrush(Number(el.brush.value)));
    el.eraser.addEventListener('click', () => {
      const on = el.eraser.getAttribute('aria-pressed') !== 'true';
      el.eraser.setAttribute('aria-pressed', String(on));
      this.pad.setEraser(on);
    });
    el.undo.addEventListener('click', () => this.pad.undo());
    el.clear.addEventListener('click', () => {
      this.pad.clear(false);
      this.drawingSeq += 1; // whatever is still on its way is for the old drawing
      this.#blank();
    });
    el.testShow.addEventListener('click', () => this.showTest(Number(el.testIndex.value)));
    el.testIndex.addEventListener('keydown', (e) => e.key === 'Enter' && (e.preventDefault(), this.showTest(Number(el.testIndex.value))));
    el.testRandom.addEventListener('click', () => {
      const shown = /^\d+$/.test(el.testIndex.value) ? Number(el.testIndex.value) : undefined;
      const i = randomIndexExcept(testSet().count, shown);
      el.testIndex.value = String(i);
      this.showTest(i);
    });
    el.file.addEventListener('change', () => {
      const f = el.file.files?.[0];
      if (f) this.loadFile(f);
      el.file.value = '';
    });
    for (const t of ['dragover', 'drop']) {
      el.pad.addEventListener(t, (e) => {
        e.preventDefault();
        const f = e.dataTransfer?.files?.[0];
        // A model file dropped here goes on to the page's model drop (main.js).
        if (t === 'drop' && f && !/\.aemf$/i.test(f.name)) {
          e.stopPropagation();
          this.loadFile(f);
        }
      });
    }
    this.#blank();
  }

  /** Re-runs the reconstruction (the model changed). */
  refresh() {
    if (this.pixels) this.request(this.pixels);
  }

  /** A test image, exactly as the dataset has it, becomes the input. */
  async showTest(index) {
    const { count } = this.testSet();
    if (!Number.isInteger(index) || index < 0 || index >= count) {
      const value = this.el.testIndex.value;
      this.onError(new LocalizedError('draw.errIndex', { max: count - 1, value: V.raw(value) }, `test image number must be an integer from 0 to ${count - 1}, got '${value}'`));
      return;
    }
    try {
      const { pixels, label } = await this.testImage(index);
      this.pad.showImage(grayCanvas(pixels), { smooth: false });
      this.#setInput(pixels, this.testLabel(index, label));
    } catch (err) {
      this.onError(err);
    }
  }

  /** A PNG or JPEG file: shown on the pad, preprocessed like a drawing. */
  async loadFile(file) {
    try {
      const name = V.raw(file.name);
      if (!/^image\/(png|jpeg)$/.test(file.type)) {
        const type = file.type ? V.raw(file.type) : V.msg('draw.errUnknownType');
        throw new LocalizedError('draw.errNotImage', { name, type }, `"${file.name}" is not a PNG or JPEG image (it is ${file.type || 'of an unknown type'})`);
      }
      let bitmap;
      try {
        bitmap = await createImageBitmap(file);
      } catch {
        throw new LocalizedError('draw.errUnreadable', { name }, `"${file.name}" could not be read as an image: the file may be damaged`);
      }
      const s = Math.min(1, MAX_FILE_SIDE / Math.max(bitmap.width, bitmap.height));
      const c = new OffscreenCanvas(Math.max(1, Math.round(bitmap.width * s)), Math.max(1, Math.round(bitmap.height * s)));
      const ctx = c.getContext('2d', { willReadFrequently: true });
      ctx.drawImage(bitmap, 0, 0, c.width, c.height);
      // Preprocessed in the worker, like drawings: a large photo would hold up the page.
      const { input } = await this.reconstructDrawing(ctx.getImageData(0, 0, c.width, c.height));
      if (!input) throw new LocalizedError('draw.errBlank', { name }, `"${file.name}" looks blank: no digit or object stands out from its background`);
      this.pad.showImage(bitmap);
      this.#setInput(input, { key: 'draw.imageFile', params: { name } });
    } catch (err) {
      this.onError(err);
    }
  }

  #drawn(img) {
    this.drawingSeq += 1;
    img.seq = this.drawingSeq;
    this.el.pad.dataset.drawing = String(img.seq); // the pad's latest drawing …
    this.requestDrawing(img);
  }

  #drawnResult({ input, pixels, codes, points, posterior }, img) {
    if (img.seq !== this.drawingSeq) return; // a newer stroke (or a test image) came since
    this.el.output.dataset.drawing = String(img.seq); // … and the one whose result shows
    if (!input) {
      this.#blank();
      return;
    }
    this.pixels = input;
    this.label = { key: 'draw.yourDrawing' };
    this.i18n.text(this.el.sourceText, this.label.key);
    drawGray(this.el.input, input);
    this.#show(input, { pixels, codes, points, posterior });
  }

  #setInput(pixels, label) {
    this.drawingSeq += 1; // supersedes any drawing still being preprocessed
    this.pixels = pixels;
    this.label = label;
    this.i18n.text(this.el.sourceText, label.key, label.params);
    drawGray(this.el.input, pixels);
    this.request(pixels);
  }

  /** The tour's action: draws a "3" on the pad, stroke by stroke, as a hand would. */
  async drawExample() {
    this.pad.clear(false);
    await this.pad.drawStroke(THREE);
  }

  #show(sent, { pixels, codes, points, posterior = null }) {
    if (this.pixels !== sent) return; // the drawing changed (or was cleared) meanwhile
    drawGray(this.el.output, pixels);
    drawError(this.el.error, sent, pixels);
    this.code = codes;
    drawCode(this.el.code, codes);
    this.i18n.text(this.el.codeCaption, 'draw.codeCaption', { z: codes.length });
    this.i18n.attr(this.el.code, 'aria-label', 'draw.codeLabel', { z: codes.length });
    this.el.code.dataset.values = Array.from(codes, (v) => v.toFixed(3)).join(',');
    // The two measures of the error, each named, and how they relate (lib/image.js).
    const kind = this.lossKind();
    const mse = meanSquaredError(sent, pixels);
    const loss = reconstructionLoss(kind, sent, pixels);
    this.i18n.text(this.el.errorText, 'describe.text', { text: '' });
    this.i18n.text(this.el.lossText, 'draw.loss', { loss: V.loss(loss), kind });
    this.i18n.text(this.el.mseText, 'draw.mse', { mse: V.fixed(mse, 4) });
    this.i18n.text(this.el.relation, 'draw.relation', { kind, mse: V.fixed(mse, 4), sum: V.loss(mse * D) });
    this.el.lossText.dataset.value = String(loss);
    this.el.mseText.dataset.value = String(mse);
    this.#measures(true);
    this.el.output.dataset.filled = '1';
    this.el.output.dataset.seq = String((Number(this.el.output.dataset.seq) || 0) + 1); // reconstructions shown so far
    this.onInput({ pixels: sent, code: codes, point: points, label: this.label, posterior });
  }

  #measures(shown) {
    for (const el of [this.el.lossText, this.el.mseText]) el.parentElement.hidden = !shown;
    this.el.relation.hidden = !shown;
  }

  #blank() {
    this.pixels = null;
    this.code = null;
    const zeros = new Float32Array(D);
    drawGray(this.el.input, zeros);
    drawGray(this.el.output, zeros);
    drawGray(this.el.error, zeros);
    drawCode(this.el.code, null);
    this.i18n.text(this.el.codeCaption, 'draw.codeCaption', { z: 0 });
    this.i18n.attr(this.el.code, 'aria-label', 'draw.codeLabel', { z: 0 });
    delete this.el.output.dataset.filled;
    this.i18n.text(this.el.errorText, 'draw.blank');
    this.i18n.clear(this.el.sourceText);
    this.#measures(false);
    this.onInput(null);
  }
}

/** The code as bars around a middle line, up for positive values and down for negative ones. */
function drawCode(canvas, codes) {
  const ctx = canvas.getContext('2d');
  const { width: w, height: h } = canvas;
  ctx.fillStyle = '#000';
  ctx.fillRect(0, 0, w, h);
  ctx.fillStyle = '#3a4152';
  ctx.fillRect(0, h / 2, w, 1);
  if (!codes?.length) return;
  const n = codes.length;
  let max = 1e-6;
  for (const v of codes) max = Math.max(max, Math.abs(v));
  const slot = w / n;
  const bar = Math.max(1, slot * 0.7);
  const color = getComputedStyle(canvas).getPropertyValue('--code-bar').trim() || '#56b4e9';
  ctx.fillStyle = color;
  for (let j = 0; j < n; j++) {
    const v = (codes[j] / max) * (h / 2 - 4);
    ctx.fillRect(j * slot + (slot - bar) / 2, v >= 0 ? h / 2 - v : h / 2, bar, Math.max(1, Math.abs(v)));
  }
}

/** A 28×28 canvas holding a grey image (for scaling onto the pad). */
function grayCanvas(pixels) {
  const c = document.createElement('canvas');
  c.width = c.height = 28;
  drawGray(c, pixels);
  return c;
}

/** |x − x̂| per pixel in the error colour (styles.css --error), brighter where the model misses. */
function drawError(canvas, a, b) {
  const ctx = canvas.getContext('2d');
  const img = ctx.createImageData(28, 28);
  const [r, g, bl] = errorRgb(canvas);
  for (let i = 0; i < D; i++) {
    const e = Math.min(1, Math.abs(a[i] - b[i]));
    img.data[4 * i] = Math.round(r * e);
    img.data[4 * i + 1] = Math.round(g * e);
    img.data[4 * i + 2] = Math.round(bl * e);
    img.data[4 * i + 3] = 255;
  }
  ctx.putImageData(img, 0, 0);
}

let cachedRgb = null;
function errorRgb(el) {
  if (cachedRgb) return cachedRgb;
  const hex = getComputedStyle(el).getPropertyValue('--error').trim() || '#e69f00';
  const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  cachedRgb = m ? [1, 2, 3].map((k) => parseInt(m[k], 16)) : [230, 159, 0];
  return cachedRgb;
}
