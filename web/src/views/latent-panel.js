// The latent-space panel around the map: what the axes are, the class legend, and the
// inspector, which decodes whatever point is hovered or picked and offers it to the sliders
// and to the interpolation.
import { formatPercent } from '../lib/format.js';
import { drawGray } from '../lib/image.js';
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
   */
  constructor({ el, decode, decodePoint, onUse, onExplore, onPick = () => {}, onError }) {
    Object.assign(this, { el, onUse, onExplore, onPick });
    this.map = null; // the latest LATENT event
    this.classNames = [];
    this.shown = null; // { code, pixels, label } in the inspector
    this.picked = null; // the point last clicked (or chosen with Enter)
    this.widget = new LatentMap({
      base: el.base,
      overlay: el.overlay,
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

  setClassNames(names) {
    this.classNames = names;
    const digits = names.every((n, k) => n === String(k));
    this.el.legend.classList.toggle('digits', digits);
    this.el.legend.replaceChildren(
      ...names.map((name, k) => {
        const li = document.createElement('li');
        li.style.setProperty('--swatch', `var(--class-${k})`);
        const sw = document.createElement('span');
        sw.className = 'swatch';
        sw.textContent = String(k);
        if (digits) sw.setAttribute('aria-label', `digit ${k}`);
        else sw.setAttribute('aria-hidden', 'true');
        li.append(sw);
        if (!digits) li.append(name);
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
    if (m.method === 'pca') {
      this.el.note.textContent = `Latent size ${z}: too many numbers to plot, so the map shows the two directions in which the codes vary most (principal components, computed in the engine). They hold ${formatPercent(e0 + e1)} of the codes' variance: points close on the map may still differ in other directions.`;
      this.el.axisX.textContent = `principal component 1 (${formatPercent(e0)} of variance)`;
      this.el.axisY.textContent = `principal component 2 (${formatPercent(e1)})`;
    } else if (z === 2) {
      this.el.note.textContent = 'Latent size 2: the map shows each code exactly, its first number across and its second up.';
      this.el.axisX.textContent = 'code value 1';
      this.el.axisY.textContent = 'code value 2';
    } else {
      this.el.note.textContent = 'Latent size 1: each code is a single number, shown across; the rows only separate the classes.';
      this.el.axisX.textContent = 'code value';
      this.el.axisY.textContent = 'class';
    }
    this.el.overlay.setAttribute(
      'aria-label',
      `Latent map of ${m.labels.length} test images. Arrow keys move a cursor; the image decoded there appears beside the map. Enter picks it.`,
    );
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
    this.el.caption.textContent = 'Point at the map to decode any spot.';
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
    let label;
    if (p.index >= 0) {
      const c = this.map.labels[p.index];
      label = `Test image #${p.index} (${this.classNames[c] ?? c})`;
    } else label = `Map point (${p.x.toFixed(2)}, ${p.y.toFixed(2)})`;
    this.shown = { code, pixels, label };
    this.el.caption.textContent = `${p.picked ? 'Picked' : 'Pointing at'}: ${label}`;
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
