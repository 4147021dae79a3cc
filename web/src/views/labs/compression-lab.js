// 2 · Compression, on the page: the model's code as bytes (float32, 8-bit) against the raw
// image, mean PSNR and SSIM over the test set, some test images decoded from their 8-bit codes,
// the rate–distortion chart (the model, PCA at k = 2 … 64, JPEG encoded in the worker, file and
// payload), and the person's drawing compressed live. The numbers come from the worker
// (LAB_COMPRESSION, LAB_DRAWING: worker/labs/compression.js); this module only draws them.
import { V } from '../../i18n/values.js';
import { drawGray } from '../../lib/image.js';
import { classMessage } from '../../lib/presets.js';
import { ImageGrid } from './image-grid.js';
import { RateDistortionChart } from './rd-chart.js';

const D = 784;

export class CompressionLab {
  /**
   * @param {object} o
   * @param {Record<string, HTMLElement>} o.el  bytes, quality, rd, table, jpegNote, samples, drawing, drawingText
   * @param {import('../../i18n/index.js').I18n} o.i18n
   * @param {(payload: object) => Promise<object>} o.compute  LAB_COMPRESSION
   * @param {() => number[]} o.samples  the test images to show decoded
   */
  constructor({ el, i18n, compute, samples }) {
    Object.assign(this, { el, i18n, computeRequest: compute, samples });
    this.dataset = 'mnist';
    this.result = null;
    this.drawing = null; // LAB_DRAWING's result, or null when the pad is blank
    this.rd = new RateDistortionChart(el.rd, el.table);
    this.grid = new ImageGrid(el.samples);
  }

  setDataset(dataset) {
    if (dataset === this.dataset) return;
    this.dataset = dataset;
    this.clear();
  }

  clear() {
    this.result = null;
    this.rd.set(null);
    this.grid.clear();
    for (const k of ['bytes', 'quality', 'jpegNote']) this.i18n.clear(this.el[k]);
  }

  async compute() {
    this.result = await this.computeRequest({ samples: this.samples() });
    this.render();
    return this.result;
  }

  render() {
    this.#labels();
    this.#showDrawing();
    const r = this.result;
    if (!r) return;
    const { i18n, el } = this;
    const k = r.model.k;
    i18n.text(el.bytes, 'labs.compression.bytes', { f32: V.int(r.bytes.float32), int8: V.int(r.bytes.int8), raw: V.int(r.bytes.raw), ratio: V.fixed(r.bytes.raw / r.bytes.int8, 1) });
    const t = r.test;
    i18n.text(el.quality, 'labs.compression.quality', { n: V.int(t.images), psnr: V.fixed(t.psnr, 2), ssim: V.fixed(t.ssim, 3), psnrFloat: V.fixed(t.psnrFloat, 2), ssimFloat: V.fixed(t.ssimFloat, 3) });
    el.quality.dataset.psnr = String(t.psnr);
    this.rd.set(r.curve);
    const c = r.curve;
    if (c.jpeg) {
      i18n.text(el.jpegNote, 'labs.compression.jpegNote', {
        n: V.int(c.images), qualities: V.join(c.jpeg.map((j) => V.int(j.quality)), ', '), min: V.int(Math.round(c.jpegHeader.min)), max: V.int(Math.round(c.jpegHeader.max)),
      });
    } else i18n.text(el.jpegNote, 'labs.compression.jpegNone', { n: V.int(c.images) });
    const s = r.samples;
    if (s) {
      const n = s.indices.length;
      const cls = (i) => classMessage(this.dataset, s.labels[i]);
      const each = (f) => Array.from({ length: n }, (_, i) => f(i));
      this.grid.set([
        { title: i18n.plain('labs.compression.originals'), pixels: s.pixels, count: n, names: each((i) => i18n.plain('labs.compression.originalName', { index: V.int(s.indices[i]), cls: cls(i) })) },
        {
          title: i18n.plain('labs.compression.decoded', { k: V.int(k) }),
          pixels: s.decoded,
          count: n,
          captions: each((i) => i18n.plain('labs.compression.psnrCaption', { psnr: V.fixed(s.psnr[i], 1) })),
          names: each((i) => i18n.plain('labs.compression.decodedName', { index: V.int(s.indices[i]), psnr: V.fixed(s.psnr[i], 1) })),
        },
      ]);
    }
  }

  /** The drawing through the lab (LAB_DRAWING), or null when the pad is blank. */
  setDrawing(result) {
    this.drawing = result;
    this.#showDrawing();
  }

  #showDrawing() {
    const { i18n, el } = this;
    const d = this.drawing;
    const c = d?.compressed;
    el.drawing.hidden = !c;
    if (!d) return i18n.text(el.drawingText, 'labs.compression.drawingNone');
    if (!c) return i18n.text(el.drawingText, 'labs.compression.drawingWait');
    drawGray(el.drawing, c.decoded.length === D ? c.decoded : c.decoded.subarray(0, D));
    i18n.text(el.drawingText, 'labs.compression.drawingText', { k: V.int(c.code.length), bytes: V.join(Array.from(c.code), ' '), psnr: V.fixed(c.psnr, 1), ssim: V.fixed(c.ssim, 3) });
    el.drawingText.dataset.psnr = String(c.psnr);
  }

  #labels() {
    const p = (k, params) => this.i18n.plain(k, params);
    this.rd.setLabels({
      x: p('labs.compression.axisBytes'), y: p('labs.compression.axisPsnr'), ae8: p('labs.compression.ae8'), ae32: p('labs.compression.ae32'), pca: p('labs.compression.pca'),
      jpegFile: p('labs.compression.jpegFile'), jpegPayload: p('labs.compression.jpegPayload'), raw: p('labs.compression.raw', { n: V.int(D) }),
      k: (k) => p('labs.compression.k', { k }), q: (q) => p('labs.compression.q', { q }), db: (v) => this.i18n.format(V.fixed(v, 2)), bytes: (v) => this.i18n.format(V.fixed(v, v < 10 ? 1 : 0)), empty: '',
    });
  }
}
