// The drawing canvas: pointer events (mouse, touch, pen), white ink on black like MNIST.
// Calls onChange(imageData) at most once per animation frame while drawing, and once when
// a stroke ends, so the reconstruction can follow the pen.
export class DrawPad {
  /**
   * @param {HTMLCanvasElement} canvas
   * @param {{ onChange: (img: ImageData) => void, lineWidth?: number }} options
   */
  constructor(canvas, { onChange, lineWidth = 22 }) {
    this.canvas = canvas;
    this.ctx = canvas.getContext('2d', { willReadFrequently: true });
    this.onChange = onChange;
    this.lineWidth = lineWidth;
    this.drawing = null; // active pointerId
    this.last = null;
    this.frame = 0;
    this.clear(false);
    canvas.addEventListener('pointerdown', (e) => this.#down(e));
    canvas.addEventListener('pointermove', (e) => this.#move(e));
    for (const t of ['pointerup', 'pointercancel', 'lostpointercapture']) canvas.addEventListener(t, (e) => this.#up(e));
  }

  clear(notify = true) {
    this.ctx.fillStyle = '#000';
    this.ctx.fillRect(0, 0, this.canvas.width, this.canvas.height);
    if (notify) this.onChange(this.imageData());
  }

  imageData() {
    return this.ctx.getImageData(0, 0, this.canvas.width, this.canvas.height);
  }

  #point(e) {
    const r = this.canvas.getBoundingClientRect();
    return {
      x: ((e.clientX - r.left) / r.width) * this.canvas.width,
      y: ((e.clientY - r.top) / r.height) * this.canvas.height,
    };
  }

  #down(e) {
    if (this.drawing !== null || (e.pointerType === 'mouse' && e.button !== 0)) return;
    e.preventDefault();
    this.drawing = e.pointerId;
    try {
      this.canvas.setPointerCapture(e.pointerId); // keep the stroke when the pen leaves the pad
    } catch {
      // synthetic pointers cannot be captured; drawing works without capture
    }
    this.last = this.#point(e);
    this.#segment(this.last, this.last);
    this.#schedule();
  }

  #move(e) {
    if (e.pointerId !== this.drawing) return;
    e.preventDefault();
    const events = e.getCoalescedEvents?.() ?? [];
    for (const ev of events.length ? events : [e]) {
      const p = this.#point(ev);
      this.#segment(this.last, p);
      this.last = p;
    }
    this.#schedule();
  }

  #up(e) {
    if (e.pointerId !== this.drawing) return;
    this.drawing = null;
    this.last = null;
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.onChange(this.imageData());
  }

  #segment(a, b) {
    const ctx = this.ctx;
    ctx.strokeStyle = '#fff';
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    ctx.lineWidth = this.lineWidth;
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
