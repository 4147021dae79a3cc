// The latent-space panel around the map: what the axes are, the class legend, and the
// inspector, which decodes whatever point is hovered or picked and offers it to the sliders
// and to the interpolation.
import { drawGray } from '../lib/image.js';
import { classMessage } from '../lib/presets.js';
import { V } from '../i18n/values.js';
import { latestOnly } from '../lib/latest.js';
import { LatentMap } from './latent-map.js';

export class LatentPanel {
  /**
   * @param {object} o
   * @param {Record<string, HTMLElement>} o.el  base, overlay, note, axisX, axisY, preview,
   *   caption, useA, useB, explore, legend
   * @param {(code: Float32Array) => Promise<{pixels: Float32Array}>} o.decode
   * @param {(xy: Float32Array) => Promise<{pixels: Float32Array, codes: Float32Array}>} o.decodePoint
   * @param {(which: 'a'|'b', end: {code: Float32Array, pixels: Float32Array, label: string}) => void} o.onUse
   * @param {(code: Float32Array, label: string) => void} o.onExplore
   * @param {(point: {x: number, y: number, index: number}|null) => void} [o.onPick] a point was picked (or forgotten)
   * @param {(err: Error) => void} o.onError
   * @param {import('../i18n/index.js').I18n} o.i18n
   */
  constructor({ el, decode, decodePoint, onUse, onExplore, onPick = () => {}, onError, i18n }) {
    Object.assign(this, { el, onUse, onExplore, onPick, i18n });
    this.map = null; // the latest LATENT event
    this.dataset = 'mnist';
    this.shown = null; // { code, pixels, label } in the inspector
    this.picked = null; // the point last clicked (or chosen with Enter)
    this.widget = new LatentMap({
      base: el.base,
      overlay: el.overlay,
      i18n,
      // Leaving the map goes back to the picked point, if any.
      onHover: (p) => (p ? this.#inspect(p, false) : this.picked && this.#inspect(this.picked, true)),
      onPick: (p) => {
        this.picked = p;
        this.#inspect(p, true);
        this.onPick(p);
      },
    });
    this.inspect = latestOnly(
      async (p) => {
        if (p.index >= 0) {
          const code = this.#codeOf(p.index);
          return { code, pixels: (await decode(code)).pixels };
        }
        const r = await decodePoint(Float32Array.of(p.x, p.y));
        return { code: r.codes, pixels: r.pixels };
      },
      (r, p) => this.#showInspected(r, p),
      onError,
    );
    el.useA.addEventListener('click', () => this.shown && onUse('a', this.shown));
    el.useB.addEventListener('click', () => this.shown && onUse('b', this.shown));
    el.explore.addEventListener('click', () => this.shown && onExplore(this.shown.code, this.shown.label));
    this.#enableButtons();
  }

  /** The classes of `dataset` (count of them) for the legend and the labels of points. */
  setClasses(dataset, count) {
    this.dataset = dataset;
    const digits = dataset !== 'fashion-mnist';
    this.el.legend.classList.toggle('digits', digits);
    this.el.legend.replaceChildren(
      ...Array.from({ length: count }, (_, k) => {
        const li = document.createElement('li');
        li.style.setProperty('--swatch', `var(--class-${k})`);
        const sw = document.createElement('span');
        sw.className = 'swatch';
        sw.textContent = String(k);
        if (digits) this.i18n.attr(sw, 'aria-label', 'latent.digit', { k });
        else sw.setAttribute('aria-hidden', 'true');
        li.append(sw);
        if (!digits) {
          const name = document.createElement('span');
          this.i18n.text(name, 'describe.text', { text: classMessage(dataset, k) });
          li.append(name);
        }
        return li;
      }),
    );
  }

  /** A LATENT event: the new map of the test codes. */
  setMap(m) {
    const z = m.mean.length;
    let projected = m.projected;
    if (z === 1) {
      // One number per code: spread the classes over rows so the points do not pile up.
      projected = Float32Array.from(projected);
      for (let i = 0; i < m.labels.length; i++) projected[2 * i + 1] = (4.5 - m.labels[i]) * 0.1 * spread(m.projected);
    }
    this.map = { ...m, projected, z };
    this.updates = (this.updates ?? 0) + 1;
    this.el.base.dataset.updates = String(this.updates);
    this.widget.setData({ projected, labels: m.labels, method: m.method });
    this.el.base.dataset.points = String(m.labels.length);
    this.el.base.dataset.method = m.method;
    const [e0, e1] = m.explainedVariance;
    const t = (el, key, params) => this.i18n.text(el, key, params);
    if (m.method === 'pca') {
      t(this.el.note, 'latent.notePca', { z, both: V.pct(e0 + e1) });
      t(this.el.axisX, 'latent.axisPc1', { pct: V.pct(e0) });
      t(this.el.axisY, 'latent.axisPc2', { pct: V.pct(e1) });
    } else if (z === 2) {
      t(this.el.note, 'latent.noteAxes');
      t(this.el.axisX, 'latent.axisCode1');
      t(this.el.axisY, 'latent.axisCode2');
    } else {
      t(this.el.note, 'latent.note1d');
      t(this.el.axisX, 'latent.axisCode');
      t(this.el.axisY, 'latent.axisClass');
    }
    this.i18n.attr(this.el.overlay, 'aria-label', 'latent.mapLabelFull', { n: V.int(m.labels.length) });
  }

  /** Picks a point of the map (map coordinates), as a click there would; once the map is in. */
  pick(x, y) {
    if (!this.map) return false;
    this.picked = { x, y, index: -1 };
    this.widget.setPicked(this.picked);
    this.#inspect(this.picked, true);
    return true;
  }

  /** A new model: what was picked on the old map means nothing now. */
  forgetPicked() {
    this.inspect.cancel();
    this.shown = null;
    this.picked = null;
    this.widget.setPicked(null);
    drawGray(this.el.preview, new Float32Array(784));
    delete this.el.preview.dataset.filled;
    this.i18n.text(this.el.caption, 'latent.pointHint');
    this.#enableButtons();
  }

  /** The drawing's code on the map (points from RECONSTRUCT), or null. */
  setDrawing(input) {
    this.widget.setMarker(input?.point ?? null);
    this.el.overlay.dataset.marker = input?.point ? `${input.point[0].toFixed(3)},${input.point[1].toFixed(3)}` : '';
  }

  setPath(points) {
    this.widget.setPath(points);
    this.el.overlay.dataset.path = points ? String(points.length / 2) : '';
  }

  setPlayhead(point) {
    this.widget.setPlayhead(point);
  }

  #codeOf(index) {
    const z = this.map.z;
    return this.map.codes.slice(index * z, (index + 1) * z);
  }

  #inspect(p, picked) {
    if (!this.map) return;
    this.inspect({ ...p, picked });
  }

  #showInspected({ code, pixels }, p) {
    drawGray(this.el.preview, pixels);
    this.el.preview.dataset.filled = '1';
    // label: a message { key, params } (the sliders and the interpolation show it too)
    let label;
    if (p.index >= 0) {
      const c = this.map.labels[p.index];
      label = { key: 'draw.testImage', params: { index: p.index, cls: classMessage(this.dataset, c) } };
    } else label = { key: 'latent.mapPoint', params: { x: V.fixed(p.x, 2), y: V.fixed(p.y, 2) } };
    this.shown = { code, pixels, label };
    this.i18n.text(this.el.caption, p.picked ? 'latent.picked' : 'latent.pointing', { label: V.msg(label.key, label.params) });
    this.#enableButtons();
  }

  #enableButtons() {
    for (const b of [this.el.useA, this.el.useB, this.el.explore]) b.disabled = !this.shown;
  }
}

function spread(projected) {
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < projected.length; i += 2) {
    lo = Math.min(lo, projected[i]);
    hi = Math.max(hi, projected[i]);
  }
  return hi > lo ? hi - lo : 1;
}
