// The drawing canvas: pointer events (mouse, touch, pen), white ink on black like MNIST.
// Brush size, eraser and undo; the keyboard draws too (arrow keys move a cursor, Space or
// Enter lowers and lifts the pen). Calls onChange(imageData) at most once per animation frame
// while drawing and once when a stroke ends, so the reconstruction can follow the pen.
import { hasFocus } from '../lib/dom.js';

const UNDO_DEPTH = 30;
const KEY_STEP = 14; // canvas pixels per arrow press (5% of the pad); Shift for fine steps

export class DrawPad {
  /**
   * @param {HTMLCanvasElement} canvas
   * @param {object} o
   * @param {(img: ImageData) => void} o.onChange
   * @param {HTMLElement} [o.cursor] an element positioned over the pad: the keyboard cursor
   * @param {() => void} [o.onUndoChange] the undo stack became empty or non-empty
   */
  constructor(canvas, { onChange, cursor = null, onUndoChange = () => {}, lineWidth = 22 }) {
    this.canvas = canvas;
    this.ctx = canvas.getContext('2d', { willReadFrequently: true });
    this.onChange = onChange;
    this.onUndoChange = onUndoChange;
    this.cursorEl = cursor;
    this.lineWidth = lineWidth;
    this.erasing = false;
    this.drawing = null; // active pointerId, or 'key' while the keyboard pen is down
    this.last = null;
    this.frame = 0;
    this.undoStack = [];
    this.keyPos = { x: canvas.width / 2, y: canvas.height / 2 };
    this.#fill();
    canvas.addEventListener('pointerdown', (e) => this.#down(e));
    canvas.addEventListener('pointermove', (e) => this.#move(e));
    for (const t of ['pointerup', 'pointercancel', 'lostpointercapture']) canvas.addEventListener(t, (e) => this.#up(e));
    canvas.addEventListener('keydown', (e) => this.#key(e));
    canvas.addEventListener('focus', () => this.#showCursor(canvas.matches(':focus-visible')));
    canvas.addEventListener('blur', () => {
      if (this.drawing === 'key') this.#endStroke();
      this.#showCursor(false);
    });
  }

  get canUndo() {
    return this.undoStack.length > 0;
  }

  setBrush(width) {
    this.lineWidth = width;
    this.#showCursor(this.cursorEl && !this.cursorEl.hidden);
  }

  setEraser(on) {
    this.erasing = Boolean(on);
  }

  clear(notify = true) {
    this.#remember();
    this.#fill();
    if (notify) this.onChange(this.imageData());
  }

  undo() {
    const img = this.undoStack.pop();
    if (!img) return;
    this.ctx.putImageData(img, 0, 0);
    this.onUndoChange();
    this.onChange(this.imageData());
  }

  /** Shows an image (a test digit, a loaded photo) scaled to fit, as the start of a drawing. */
  showImage(source, { smooth = true } = {}) {
    this.#remember();
    this.#fill();
    const { width: W, height: H } = this.canvas;
    const sw = source.width, sh = source.height;
    const s = Math.min(W / sw, H / sh);
    this.ctx.imageSmoothingEnabled = smooth;
    this.ctx.drawImage(source, (W - sw * s) / 2, (H - sh * s) / 2, sw * s, sh * s);
    this.ctx.imageSmoothingEnabled = true;
  }

  /**
   * Draws a stroke through `points` (fractions of the pad), a few segments per frame as a hand
   * would (at once when motion is reduced), then reports the drawing like a pointer stroke.
   */
  async drawStroke(points) {
    const { width: W, height: H } = this.canvas;
    const at = ([fx, fy]) => ({ x: fx * W, y: fy * H });
    const quick = globalThis.matchMedia?.('(prefers-reduced-motion: reduce)').matches;
    this.#remember();
    this.last = at(points[0]);
    for (let i = 1; i < points.length; i++) {
      this.#lineTo(at(points[i]));
      if (!quick && i % 2 === 0) {
        this.onChange(this.imageData());
        await new Promise((r) => requestAnimationFrame(r));
      }
    }
    this.last = null;
    this.onChange(this.imageData());
  }

  imageData() {
    return this.ctx.getImageData(0, 0, this.canvas.width, this.canvas.height);
  }

  #fill() {
    this.ctx.fillStyle = '#000';
    this.ctx.fillRect(0, 0, this.canvas.width, this.canvas.height);
  }

  #remember() {
    this.undoStack.push(this.imageData());
    if (this.undoStack.length > UNDO_DEPTH) this.undoStack.shift();
    this.onUndoChange();
  }

  #point(e) {
    const r = this.rect; // measured when the stroke began: no forced layout per pointer event
    return {
      x: ((e.clientX - r.left) / r.width) * this.canvas.width,
      y: ((e.clientY - r.top) / r.height) * this.canvas.height,
    };
  }

  #down(e) {
    if (this.drawing !== null || (e.pointerType === 'mouse' && e.button !== 0)) return;
    e.preventDefault();
    this.canvas.focus({ preventScroll: true });
    this.#showCursor(false);
    this.drawing = e.pointerId;
    this.rect = this.canvas.getBoundingClientRect();
    try {
      this.canvas.setPointerCapture(e.pointerId); // keep the stroke when the pen leaves the pad
    } catch {
      // synthetic pointers cannot be captured; drawing works without capture
    }
    this.#startStroke(this.#point(e));
  }

  #move(e) {
    if (e.pointerId !== this.drawing) return;
    e.preventDefault();
    const events = e.getCoalescedEvents?.() ?? [];
    for (const ev of events.length ? events : [e]) this.#lineTo(this.#point(ev));
    this.#schedule();
  }

  #up(e) {
    if (e.pointerId !== this.drawing) return;
    this.#endStroke();
  }

  #startStroke(p) {
    this.#remember();
    this.last = p;
    this.#segment(p, p);
    this.#schedule();
  }

  #lineTo(p) {
    this.#segment(this.last, p);
    this.last = p;
  }

  #endStroke() {
    this.drawing = null;
    this.last = null;
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.onChange(this.imageData());
    this.#showCursor(hasFocus(this.canvas) && this.cursorEl && !this.cursorEl.hidden);
  }

  #key(e) {
    const moves = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
    if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'z') {
      e.preventDefault();
      this.undo();
      return;
    }
    if (e.key in moves) {
      e.preventDefault();
      const step = e.shiftKey ? KEY_STEP / 3.5 : KEY_STEP;
      const [dx, dy] = moves[e.key];
      const { width: W, height: H } = this.canvas;
      this.keyPos = { x: clamp(this.keyPos.x + dx * step, 0, W), y: clamp(this.keyPos.y + dy * step, 0, H) };
      if (this.drawing === 'key') {
        this.#lineTo({ ...this.keyPos });
        this.#schedule();
      }
      this.#showCursor();
      return;
    }
    if (e.key === ' ' || e.key === 'Enter') {
      e.preventDefault();
      if (this.drawing === 'key') this.#endStroke();
      else if (this.drawing === null) {
        this.drawing = 'key';
        this.#startStroke({ ...this.keyPos });
      }
      this.#showCursor();
      return;
    }
    if (e.key === 'Escape' && this.drawing === 'key') this.#endStroke();
  }

  #showCursor(show = true) {
    const el = this.cursorEl;
    if (!el) return;
    el.hidden = !show;
    if (!show) return;
    const { width: W, height: H } = this.canvas;
    el.style.left = `${(this.keyPos.x / W) * 100}%`;
    el.style.top = `${(this.keyPos.y / H) * 100}%`;
    el.style.width = el.style.height = `${(this.lineWidth / W) * 100}%`;
    el.classList.toggle('pen-down', this.drawing === 'key');
  }

  #segment(a, b) {
    const ctx = this.ctx;
    const width = this.erasing ? this.lineWidth * 1.6 : this.lineWidth;
    ctx.strokeStyle = ctx.fillStyle = this.erasing ? '#000' : '#fff';
    if (a.x === b.x && a.y === b.y) {
      // A click or a tap: canvas prunes zero-length segments before stroking (no round cap is
      // drawn), so the dot is a filled disc of the brush's width.
      ctx.beginPath();
      ctx.arc(a.x, a.y, width / 2, 0, 2 * Math.PI);
      ctx.fill();
      return;
    }
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    ctx.lineWidth = width;
    ctx.beginPath();
    ctx.moveTo(a.x, a.y);
    ctx.lineTo(b.x, b.y);
    ctx.stroke();
  }

  #schedule() {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.onChange(this.imageData());
    });
  }
}

const clamp = (v, lo, hi) => Math.min(hi, Math.max(lo, v));
