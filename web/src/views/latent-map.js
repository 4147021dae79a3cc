// The latent map: the test images' codes on a plane (the codes themselves when Z ≤ 2, their
// first two principal components, computed in the engine, above), each drawn as its class
// number in its class colour, so colour is never the only cue. Two stacked canvases: the
// points (redrawn in a task of their own when a new map arrives, stamping pre-rendered glyphs)
// and an overlay (the drawing's marker, the interpolation path and playhead, the hovered and
// picked points; redrawn cheaply in animation frames).
//
// Pointer: hovering previews a point (onHover), a click or tap picks it (onPick).
// Keyboard: the overlay is focusable; arrow keys move a cursor (Shift: finer), Enter or Space
// picks, Escape clears.
import { fitView, fromCanvas, nearestPoint, toCanvas } from '../lib/map-geometry.js';

const colors = new Map(); // read from styles.css once
const cssVar = (el, name, fallback) => {
  if (!colors.has(name)) colors.set(name, getComputedStyle(el).getPropertyValue(name).trim() || fallback);
  return colors.get(name);
};
const HIT_PX = 7; // a hover within this many CSS pixels of a point snaps to it

export class LatentMap {
  /**
   * @param {object} o
   * @param {HTMLCanvasElement} o.base
   * @param {HTMLCanvasElement} o.overlay  focusable, receives the pointer and the keyboard
   * @param {(p: {x: number, y: number, index: number}|null) => void} o.onHover  null: the pointer left
   * @param {(p: {x: number, y: number, index: number}) => void} o.onPick
   */
  constructor({ base, overlay, onHover, onPick, i18n }) {
    Object.assign(this, { base, overlay, onHover, onPick, i18n });
    i18n.onChange(() => {
      this.baseDirty = true;
      this.#schedule();
    });
    this.data = null; // { projected, labels, method }
    this.view = { cx: 0, cy: 0, half: 1 };
    this.marker = null; // [x, y] the drawing
    this.path = null; // Float32Array (F·2)
    this.playhead = null; // [x, y]
    this.hover = null; // {x, y, index}
    this.picked = null; // {x, y, index}
    this.cursor = null; // keyboard cursor [x, y]
    this.frame = 0;
    this.baseTimer = 0;
    this.baseDirty = true;
    this.cssSize = 0; // the overlay's width in CSS pixels, kept by the observer (reading it would force a layout)
    new ResizeObserver(([entry]) => {
      this.cssSize = entry.contentRect.width;
      this.baseDirty = true;
      this.#schedule();
    }).observe(overlay);
    this.rect = null; // the overlay's client rect, measured once per hover (not per pointer event)
    const forget = () => (this.rect = null);
    overlay.addEventListener('pointerenter', forget);
    addEventListener('scroll', forget, { passive: true });
    addEventListener('resize', forget);
    overlay.addEventListener('pointermove', (e) => this.#pointer(e, false));
    overlay.addEventListener('pointerleave', () => {
      this.hover = null;
      this.onHover(null);
      this.#schedule();
    });
    overlay.addEventListener('click', (e) => this.#pointer(e, true));
    overlay.addEventListener('keydown', (e) => this.#key(e));
    overlay.addEventListener('focus', () => {
      if (!this.data || !overlay.matches(':focus-visible')) return;
      this.cursor ??= [this.view.cx, this.view.cy];
      this.#schedule();
    });
    overlay.addEventListener('blur', () => {
      this.cursor = null;
      this.#schedule();
    });
  }

  get size() {
    return this.cssSize;
  }

  /** A new map of the test codes. */
  setData({ projected, labels, method }) {
    this.data = { projected, labels, method };
    this.view = fitView(projected);
    this.baseDirty = true;
    this.#scheduleBase();
    this.#schedule();
  }

  // The points are drawn in a task of their own, not in the animation frame that also lays
  // out and paints the page: two short tasks instead of one long one.
  #scheduleBase() {
    if (this.baseTimer) return;
    this.baseTimer = setTimeout(() => {
      this.baseTimer = 0;
      if (!this.baseDirty || !this.size) return;
      const ctx = this.#fit(this.base);
      this.baseDirty = false;
      this.#drawBase(ctx, this.size);
    }, 0);
  }

  setMarker(point) {
    this.marker = point ? [point[0], point[1]] : null;
    this.#schedule();
  }

  setPath(points) {
    this.path = points;
    this.#schedule();
  }

  setPlayhead(point) {
    this.playhead = point ? [point[0], point[1]] : null;
    this.#schedule();
  }

  setPicked(p) {
    this.picked = p;
    this.#schedule();
  }

  /** The map point under a canvas position (CSS pixels), snapped to a data point when close. */
  pointAt(px, py) {
    const size = this.size;
    const [x, y] = fromCanvas(this.view, size, px, py);
    const index = this.data ? nearestPoint(this.data.projected, x, y, (HIT_PX * 2 * this.view.half) / size) : -1;
    if (index < 0) return { x, y, index };
    const p = this.data.projected;
    return { x: p[2 * index], y: p[2 * index + 1], index };
  }

  #pointer(e, pick) {
    if (!this.data) return;
    this.rect ??= this.overlay.getBoundingClientRect();
    const p = this.pointAt(e.clientX - this.rect.left, e.clientY - this.rect.top);
    if (pick) {
      this.picked = p;
      this.onPick(p);
    } else {
      this.hover = p;
      this.onHover(p);
    }
    this.#schedule();
  }

  #key(e) {
    if (!this.data) return;
    const moves = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1] };
    if (e.key in moves) {
      e.preventDefault();
      const step = (this.view.half * 2) / (e.shiftKey ? 100 : 25);
      const [cx, cy] = this.cursor ?? [this.view.cx, this.view.cy];
      const [dx, dy] = moves[e.key];
      this.cursor = [cx + dx * step, cy + dy * step];
      this.hover = { x: this.cursor[0], y: this.cursor[1], index: -1 };
      this.onHover(this.hover);
      this.#schedule();
    } else if ((e.key === 'Enter' || e.key === ' ') && this.cursor) {
      e.preventDefault();
      this.picked = { x: this.cursor[0], y: this.cursor[1], index: -1 };
      this.onPick(this.picked);
      this.#schedule();
    } else if (e.key === 'Escape') {
      this.cursor = this.hover = null;
      this.onHover(null);
      this.#schedule();
    }
  }

  #schedule() {
    if (!this.frame) this.frame = requestAnimationFrame(() => ((this.frame = 0), this.#draw()));
  }

  #fit(canvas) {
    const dpr = window.devicePixelRatio || 1;
    const size = this.size;
    const px = Math.max(1, Math.round(size * dpr));
    if (canvas.width !== px || canvas.height !== px) {
      canvas.width = canvas.height = px;
      this.baseDirty = true;
    }
    const ctx = canvas.getContext('2d');
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    return ctx;
  }

  #draw() {
    const size = this.size;
    if (!size) return;
    const octx = this.#fit(this.overlay);
    if (this.baseDirty) {
      const ctx = this.#fit(this.base);
      this.baseDirty = false;
      this.#drawBase(ctx, size);
    }
    this.#drawOverlay(octx, size);
  }

  #drawBase(ctx, size) {
    ctx.clearRect(0, 0, size, size);
    const line = cssVar(this.base, '--line', '#dfe3ea');
    const muted = cssVar(this.base, '--muted', '#5b6475');
    // Axes through the origin when it is in view, and a light frame.
    ctx.strokeStyle = line;
    ctx.lineWidth = 1;
    const [ox, oy] = toCanvas(this.view, size, 0, 0);
    ctx.beginPath();
    if (ox > 0 && ox < size) ctx.moveTo(ox, 0), ctx.lineTo(ox, size);
    if (oy > 0 && oy < size) ctx.moveTo(0, oy), ctx.lineTo(size, oy);
    ctx.stroke();
    if (!this.data) {
      ctx.fillStyle = muted;
      ctx.font = '13px system-ui, sans-serif';
      ctx.textAlign = 'center';
      ctx.fillText(this.i18n.plain('latent.mapEmpty'), size / 2, size / 2);
      return;
    }
    const { projected, labels } = this.data;
    const font = Math.max(9, Math.min(13, size / 42));
    const glyphs = this.#glyphs(font);
    const half = glyphs.size / 2;
    for (let i = 0; i < labels.length; i++) {
      const [x, y] = toCanvas(this.view, size, projected[2 * i], projected[2 * i + 1]);
      if (x < -8 || y < -8 || x > size + 8 || y > size + 8) continue;
      ctx.drawImage(glyphs.canvas, (labels[i] % 10) * glyphs.cell, 0, glyphs.cell, glyphs.cell, x - half, y - half, glyphs.size, glyphs.size);
    }
  }

  /** Each class's number in its colour, rendered once into a strip (drawImage beats fillText). */
  #glyphs(font) {
    const dpr = window.devicePixelRatio || 1;
    if (this.glyphCache?.font === font && this.glyphCache.dpr === dpr) return this.glyphCache;
    const size = Math.ceil(font * 1.4); // CSS pixels per glyph cell
    const canvas = document.createElement('canvas');
    canvas.width = Math.ceil(10 * size * dpr);
    canvas.height = Math.ceil(size * dpr);
    const ctx = canvas.getContext('2d');
    ctx.scale(dpr, dpr);
    ctx.font = `600 ${font}px system-ui, sans-serif`;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    for (let k = 0; k < 10; k++) {
      ctx.fillStyle = cssVar(this.base, `--class-${k}`, '#000');
      ctx.fillText(String(k), k * size + size / 2, size / 2 + 0.5);
    }
    // size: a cell in CSS pixels (where it is drawn); cell: the same in the strip's own pixels.
    this.glyphCache = { font, dpr, size, cell: size * dpr, canvas };
    return this.glyphCache;
  }

  #drawOverlay(ctx, size) {
    ctx.clearRect(0, 0, size, size);
    const ink = cssVar(this.overlay, '--ink', '#1d2330');
    const accent = cssVar(this.overlay, '--accent', '#0072b2');
    const at = (x, y) => toCanvas(this.view, size, x, y);

    let ends = []; // the path's ends A and B on the canvas
    if (this.path && this.path.length >= 4) {
      ctx.strokeStyle = ink;
      ctx.lineWidth = 2.5;
      ctx.setLineDash([6, 4]);
      ctx.beginPath();
      for (let i = 0; i < this.path.length / 2; i++) {
        const [x, y] = at(this.path[2 * i], this.path[2 * i + 1]);
        if (i === 0) ctx.moveTo(x, y);
        else ctx.lineTo(x, y);
      }
      ctx.stroke();
      ctx.setLineDash([]);
      const n = this.path.length / 2;
      ends = [at(this.path[0], this.path[1]), at(this.path[2 * n - 2], this.path[2 * n - 1])];
      this.#badge(ctx, ends[0], 'A', ink);
      this.#badge(ctx, ends[1], 'B', ink);
    }
    // A's x y, B's x y (CSS px), for tests; written only when they move, not every frame of play.
    const where = ends.flat().map((v) => v.toFixed(1)).join(' ');
    if (this.overlay.dataset.ends !== where) this.overlay.dataset.ends = where;
    if (this.playhead) {
      const [x, y] = at(...this.playhead);
      ctx.beginPath();
      if (ends.some(([ex, ey]) => Math.hypot(x - ex, y - ey) < 12)) {
        // On A or B (where the animation starts and turns): a ring around the badge, whose
        // letter a dot would hide.
        ctx.strokeStyle = accent;
        ctx.lineWidth = 3;
        ctx.arc(x, y, 13, 0, 2 * Math.PI);
        ctx.stroke();
      } else {
        ctx.fillStyle = accent;
        ctx.strokeStyle = '#fff';
        ctx.lineWidth = 2;
        ctx.arc(x, y, 6, 0, 2 * Math.PI);
        ctx.fill();
        ctx.stroke();
      }
    }
    for (const p of [this.picked, this.hover]) {
      if (!p) continue;
      const [x, y] = at(p.x, p.y);
      ctx.strokeStyle = accent;
      ctx.lineWidth = p === this.picked ? 2.5 : 1.5;
      ctx.beginPath();
      ctx.arc(x, y, p === this.picked ? 9 : 7, 0, 2 * Math.PI);
      ctx.stroke();
    }
    if (this.cursor) {
      const [x, y] = at(...this.cursor);
      ctx.strokeStyle = ink;
      ctx.lineWidth = 1.5;
      ctx.beginPath();
      ctx.moveTo(x - 10, y), ctx.lineTo(x + 10, y);
      ctx.moveTo(x, y - 10), ctx.lineTo(x, y + 10);
      ctx.stroke();
    }
    if (this.marker) {
      // The drawing: a ring with a white halo, readable over any point colour.
      const [x, y] = at(...this.marker);
      ctx.lineWidth = 5;
      ctx.strokeStyle = '#fff';
      ctx.beginPath();
      ctx.arc(x, y, 10, 0, 2 * Math.PI);
      ctx.stroke();
      ctx.lineWidth = 2.5;
      ctx.strokeStyle = ink;
      ctx.stroke();
      const label = this.i18n.plain('latent.yourDrawing');
      ctx.font = '600 12px system-ui, sans-serif';
      ctx.textAlign = x > size - 90 ? 'right' : 'left';
      ctx.textBaseline = 'middle';
      const tx = x > size - 90 ? x - 14 : x + 14;
      ctx.lineWidth = 4;
      ctx.strokeStyle = '#fff';
      ctx.strokeText(label, tx, y);
      ctx.fillStyle = ink;
      ctx.fillText(label, tx, y);
    }
  }

  #badge(ctx, [x, y], text, color) {
    ctx.fillStyle = color;
    ctx.beginPath();
    ctx.arc(x, y, 9, 0, 2 * Math.PI);
    ctx.fill();
    ctx.fillStyle = '#fff';
    ctx.font = '700 11px system-ui, sans-serif';
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.fillText(text, x, y + 0.5);
  }
}
