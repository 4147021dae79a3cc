// The compression lab's rate–distortion chart: mean PSNR (dB, higher is better) against bytes
// per image (log scale), measured on the same test images for every method: the model's code
// (8-bit: k bytes; float32: 4·k), PCA's 8-bit coefficients for k = 2 … 64, JPEG at each quality
// counted two ways (the whole file, and its entropy-coded payload without the fixed header),
// and the 784 raw bytes as the lossless reference. A table (fillTable) holds every point.
import { Plot, extent, tickText } from './plot.js';

export class RateDistortionChart {
  /** @param {HTMLCanvasElement} canvas @param {HTMLTableSectionElement} [table] */
  constructor(canvas, table = null) {
    this.canvas = canvas;
    this.table = table;
    this.curve = null;
    this.labels = {
      x: 'bytes per image', y: 'PSNR (dB)', ae8: 'autoencoder, 8-bit code', ae32: 'autoencoder, float32 code', pca: 'PCA, 8-bit',
      jpegFile: 'JPEG file', jpegPayload: 'JPEG payload', raw: 'raw 784 B', k: (k) => `k=${k}`, q: (q) => `q${q}`,
      method: (row) => row.method, db: (v) => v.toFixed(2), bytes: (v) => tickText(v),
    };
    this.plot = new Plot(canvas, (p) => this.#paint(p), { l: 40, r: 14, t: 22, b: 34 });
  }

  setLabels(labels) {
    Object.assign(this.labels, labels);
    this.plot.draw();
    this.#fillTable();
  }

  /** curve: { ae: [{ bytes, psnr, kind }], pca: [{ k, bytes, psnr }], jpeg: [{ quality, file, payload, psnr }] | null } */
  set(curve) {
    this.curve = curve;
    this.plot.draw();
    this.#fillTable();
  }

  #paint(p) {
    const c = this.curve;
    if (!c) return p.empty(this.labels.empty ?? '');
    const L = this.labels;
    const jpeg = c.jpeg ?? [];
    const xs = [...c.ae.map((a) => a.bytes), ...c.pca.map((q) => q.bytes), ...jpeg.flatMap((j) => [j.file, j.payload]), 784];
    const ys = [...c.ae.map((a) => a.psnr), ...c.pca.map((q) => q.psnr), ...jpeg.map((j) => j.psnr)];
    const entries = [
      { label: L.ae8, color: '--lab-ae', shape: 'circle' },
      { label: L.ae32, color: '--lab-ae', shape: 'circle', filled: false },
      { label: L.pca, color: '--lab-pca', shape: 'square' },
    ];
    if (jpeg.length) entries.push({ label: L.jpegPayload, color: '--lab-jpeg', shape: 'triangle' }, { label: L.jpegFile, color: '--lab-jpeg', shape: 'triangle', filled: false });
    // Room in px above the highest point for its label and the legend's rows, as many as the
    // width needs (three on a phone: JPEG's quality 90 sat under the legend), and below the
    // lowest for its label.
    const [lo, hi] = extent(ys, { margin: 0 });
    const top = p.legendHeight(entries) + 22, bottom = 22;
    const perPx = (hi - lo || 1) / Math.max(p.h - top - bottom, 0.3 * p.h);
    p.scales({ domain: extent(xs, { log: true, margin: 0.06 }), log: true }, { domain: [lo - bottom * perPx, hi + top * perPx] });
    p.axes({ xLabel: L.x, yLabel: L.y, xFormat: L.bytes });
    const { ctx } = p;
    // raw bytes: lossless, so no PSNR to plot: a vertical line
    ctx.strokeStyle = p.color('--muted', '#596275');
    ctx.setLineDash([2, 4]);
    ctx.lineWidth = 1;
    const xr = p.X(784);
    ctx.beginPath();
    ctx.moveTo(xr, p.pad.t);
    ctx.lineTo(xr, p.pad.t + p.h);
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.fillStyle = p.color('--muted', '#596275');
    ctx.save();
    ctx.translate(xr - 3, p.pad.t + p.h - 4);
    ctx.rotate(-Math.PI / 2);
    ctx.textAlign = 'left';
    ctx.textBaseline = 'bottom';
    ctx.fillText(L.raw, 0, 0);
    ctx.restore();
    const pcaPts = c.pca.map((q) => [q.bytes, q.psnr]);
    p.line(pcaPts, { color: '--lab-pca', width: 2, dash: [6, 3] });
    p.points(pcaPts, { color: '--lab-pca', shape: 'square', size: 3.5 });
    const label = (x, y, text, color, below = false) => {
      ctx.fillStyle = p.color(color, '#596275');
      ctx.textAlign = 'center';
      ctx.textBaseline = below ? 'top' : 'bottom';
      ctx.fillText(text, p.X(x), p.Y(y) + (below ? 6 : -6));
    };
    for (const q of c.pca) if ([2, 8, 32, 64].includes(q.k)) label(q.bytes, q.psnr, L.k(q.k), '--lab-pca', true);
    if (jpeg.length) {
      const file = jpeg.map((j) => [j.file, j.psnr]);
      const payload = jpeg.map((j) => [j.payload, j.psnr]);
      p.line(file, { color: '--lab-jpeg', width: 1.5, dash: [2, 3] });
      p.points(file, { color: '--lab-jpeg', shape: 'triangle', size: 4, filled: false });
      p.line(payload, { color: '--lab-jpeg', width: 2 });
      p.points(payload, { color: '--lab-jpeg', shape: 'triangle', size: 4 });
      for (const j of jpeg) label(j.payload, j.psnr, L.q(j.quality), '--lab-jpeg');
    }
    const ae8 = c.ae.find((a) => a.kind === 'int8'), ae32 = c.ae.find((a) => a.kind === 'float32');
    if (ae32) p.points([[ae32.bytes, ae32.psnr]], { color: '--lab-ae', shape: 'circle', size: 5.5, filled: false });
    if (ae8) {
      p.points([[ae8.bytes, ae8.psnr]], { color: '--lab-ae', shape: 'circle', size: 6 });
      label(ae8.bytes, ae8.psnr, L.k(ae8.bytes), '--lab-ae');
    }
    p.legend(entries, { align: 'left' });
  }

  #fillTable() {
    const c = this.curve;
    if (!this.table || !c) return;
    const L = this.labels;
    const rows = [
      ...c.ae.map((a) => [a.kind === 'int8' ? L.ae8 : L.ae32, L.k(a.kind === 'int8' ? a.bytes : a.bytes / 4), a.bytes, a.psnr]),
      ...c.pca.map((q) => [L.pca, L.k(q.k), q.bytes, q.psnr]),
      ...(c.jpeg ?? []).flatMap((j) => [[L.jpegFile, L.q(j.quality), j.file, j.psnr], [L.jpegPayload, L.q(j.quality), j.payload, j.psnr]]),
    ];
    this.table.replaceChildren(...rows.map((r) => {
      const tr = document.createElement('tr');
      for (const [i, v] of r.entries()) {
        const td = document.createElement('td');
        td.textContent = i === 2 ? L.bytes(v) : i === 3 ? L.db(v) : v;
        tr.append(td);
      }
      return tr;
    }));
  }
}
