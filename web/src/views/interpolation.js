// Interpolation: two images A and B (from the Draw panel, a random test image, or a point on
// the latent map), the path between their codes decoded frame by frame, and a player: play
// and pause, a scrubber, speed, once / loop / ping-pong, straight or spherical path. The path
// is drawn on the latent map. Exports the frames as a PNG strip and as an animated GIF.
//
// Endpoints that are images are re-encoded whenever the frames are recomputed, so while the
// model trains the animation follows what it has learnt.
import { download } from '../lib/download.js';
import { encodeGif, grayPalette, grayToIndices } from '../lib/gif.js';
import { drawGray } from '../lib/image.js';
import { frameIndex, playhead } from '../lib/latent-path.js';
import { V } from '../i18n/values.js';

const FRAMES = 48;
const BASE_MS = 2400; // A → B at 1× speed
const STRIP = 8; // frames in the on-page strip
const EXPORT_STRIP = 10;
const EXPORT_SCALE = 4;
const D = 784;

export class Interpolation {
  /**
   * @param {object} o
   * @param {Record<string, HTMLElement>} o.el  aCanvas, aLabel, aDraw, aRandom, bCanvas, bLabel,
   *   bDraw, bRandom, frame, strip, play, scrub, speed, mode, path, png, gif, status
   * @param {(a: object, b: object, frames: number, path: string) => Promise<{pixels: Float32Array, points: Float32Array|null}>} o.interpolate
   * @param {(current?: number) => Promise<{pixels: Float32Array, label: string}>} o.randomTest a test image other than `current`
   * @param {() => ({pixels: Float32Array, label: string}|null)} o.drawing  the Draw panel's input
   * @param {(points: Float32Array|null) => void} o.onPath
   * @param {(point: number[]|null) => void} o.onPlayhead
   * @param {(key: string, params?: object) => void} o.announce  a message for the live region
   * @param {(which: 'a'|'b', end: object) => void} [o.onEnd] an end was chosen (end.index: its test image, if it is one)
   * @param {(err: Error) => void} o.onError
   * @param {import('../i18n/index.js').I18n} o.i18n
   * Ends' labels are messages { key, params }.
   */
  constructor({ el, interpolate, randomTest, drawing, onPath, onPlayhead, announce, onEnd = () => {}, onError, i18n }) {
    Object.assign(this, { el, interpolate, randomTest, drawing, onPath, onPlayhead, announce, onEnd, onError, i18n });
    this.ends = { a: null, b: null }; // { pixels?, code?, label }
    this.frames = null; // Float32Array (F·D)
    this.points = null; // Float32Array (F·2) | null
    this.t = 0;
    this.playing = false;
    this.raf = 0;
    this.computing = null;
    this.again = false;
    for (const w of ['a', 'b']) {
      el[`${w}Draw`].addEventListener('click', () => {
        const d = drawing();
        if (d) this.setEnd(w, { pixels: d.pixels.slice(), label: d.label });
      });
      el[`${w}Random`].addEventListener('click', async () => {
        try {
          const t = await randomTest(this.ends[w]?.index);
          this.setEnd(w, t);
        } catch (err) {
          onError(err);
        }
      });
    }
    if (matchMedia('(prefers-reduced-motion: reduce)').matches) {
      // Reduced motion: the animation plays once, slowly, and only when asked.
      el.mode.value = 'once';
      el.speed.value = '0.5';
    }
    el.play.addEventListener('click', () => (this.playing ? this.pause() : this.play()));
    el.scrub.addEventListener('input', () => {
      this.pause();
      this.#show(Number(el.scrub.value) / 1000);
    });
    el.speed.addEventListener('change', () => this.playing && this.#restart());
    el.mode.addEventListener('change', () => this.playing && this.#restart());
    el.path.addEventListener('change', () => this.compute());
    el.png.addEventListener('click', () => this.#exportPng());
    el.gif.addEventListener('click', () => this.#exportGif());
    this.#controls();
  }

  /**
   * @param {'a'|'b'} which
   * @param {{pixels?: Float32Array, code?: Float32Array, label: string, index?: number}} end (index: a test image's)
   */
  setEnd(which, end) {
    this.ends[which] = end;
    this.onEnd(which, end);
    const canvas = this.el[`${which}Canvas`];
    if (end.pixels) drawGray(canvas, end.pixels);
    canvas.dataset.filled = '1';
    this.i18n.text(this.el[`${which}Label`], end.label.key, end.label.params);
    this.compute();
  }

  /** The Draw panel has (or no longer has) an input: the "From the Draw panel" buttons follow. */
  drawingAvailable(yes) {
    this.el.aDraw.disabled = this.el.bDraw.disabled = !yes;
  }

  /** Recomputes the frames with the model as it is now (A and B images are re-encoded). */
  async compute() {
    if (!this.ends.a || !this.ends.b) return;
    if (this.computing) {
      this.again = true;
      return this.computing;
    }
    const run = async () => {
      do {
        this.again = false;
        if (!this.ends.a || !this.ends.b) break; // an end was forgotten meanwhile (a new model)
        const end = (e) => (e.code ? { code: e.code } : { pixels: e.pixels });
        const r = await this.interpolate(end(this.ends.a), end(this.ends.b), FRAMES, this.el.path.value);
        this.frames = r.pixels;
        this.points = r.points;
        if (!this.ends.a.pixels) this.#drawEnd('a', 0);
        if (!this.ends.b.pixels) this.#drawEnd('b', FRAMES - 1);
        this.onPath(r.points);
        this.#drawStrip();
        this.#show(this.t);
        this.#controls();
      } while (this.again);
    };
    this.computing = run()
      .catch((err) => this.onError(err))
      .finally(() => (this.computing = null));
    return this.computing;
  }

  /**
   * A new model: codes picked on the old model's map mean nothing now; images stay.
   * @param {{recompute?: boolean}} [o] recompute: false while the model is being replaced
   */
  forgetCodes({ recompute = true } = {}) {
    for (const w of ['a', 'b']) {
      if (!this.ends[w]?.code) continue;
      this.ends[w] = null;
      this.i18n.text(this.el[`${w}Label`], 'interp.notChosen');
      delete this.el[`${w}Canvas`].dataset.filled;
    }
    this.frames = this.points = null;
    this.onPath(null);
    this.onPlayhead(null);
    if (recompute) this.compute();
    this.#controls();
  }

  clear() {
    this.pause();
    this.ends = { a: null, b: null };
    for (const w of ['a', 'b']) {
      this.i18n.text(this.el[`${w}Label`], 'interp.notChosen');
      delete this.el[`${w}Canvas`].dataset.filled;
    }
    this.frames = this.points = null;
    this.onPath(null);
    this.onPlayhead(null);
    this.#controls();
  }

  play() {
    if (!this.frames) return;
    this.playing = true;
    if (this.el.mode.value === 'once' && this.t >= 1) this.t = 0;
    this.#restart();
    this.#controls();
    this.announce('interp.playing');
  }

  pause() {
    if (!this.playing) return;
    this.playing = false;
    cancelAnimationFrame(this.raf);
    this.raf = 0;
    this.#controls();
  }

  #restart() {
    cancelAnimationFrame(this.raf);
    const start = performance.now();
    const t0 = this.t;
    const duration = BASE_MS / Number(this.el.speed.value);
    const mode = this.el.mode.value;
    const tick = (now) => {
      const { t, done } = playhead(now - start, duration, mode, t0);
      this.#show(t);
      if (done) {
        this.pause();
        return;
      }
      this.raf = requestAnimationFrame(tick);
    };
    this.raf = requestAnimationFrame(tick);
  }

  #show(t) {
    this.t = t;
    this.el.scrub.value = String(Math.round(t * 1000));
    this.i18n.attr(this.el.scrub, 'aria-valuetext', 'interp.scrubText', { pct: V.pct(Math.round(t * 100) / 100) });
    if (!this.frames) return;
    const f = frameIndex(t, FRAMES);
    drawGray(this.el.frame, this.frames, f * D);
    this.el.frame.dataset.frame = String(f);
    if (this.points) this.onPlayhead([this.points[2 * f], this.points[2 * f + 1]]);
  }

  #drawEnd(which, f) {
    drawGray(this.el[`${which}Canvas`], this.frames, f * D);
  }

  #drawStrip() {
    const c = this.el.strip;
    c.width = STRIP * 28;
    c.height = 28;
    paintStrip(c, this.frames, STRIP);
    c.dataset.filled = '1';
  }

  #controls() {
    const ready = Boolean(this.frames);
    for (const k of ['play', 'scrub', 'png', 'gif']) this.el[k].disabled = !ready;
    this.i18n.text(this.el.play, this.playing ? 'interp.pause' : 'interp.play');
    this.el.play.setAttribute('aria-pressed', String(this.playing));
    if (ready) this.i18n.clear(this.el.status);
    else this.i18n.text(this.el.status, 'interp.choose');
  }

  #exportPng() {
    const c = document.createElement('canvas');
    c.width = EXPORT_STRIP * 28 * EXPORT_SCALE;
    c.height = 28 * EXPORT_SCALE;
    const small = document.createElement('canvas');
    small.width = EXPORT_STRIP * 28;
    small.height = 28;
    paintStrip(small, this.frames, EXPORT_STRIP);
    const ctx = c.getContext('2d');
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(small, 0, 0, c.width, c.height);
    c.toBlob((blob) => {
      download(blob, this.i18n.t('interp.pngName'));
      this.announce('interp.pngSaved');
    }, 'image/png');
  }

  #exportGif() {
    const order = [...Array(FRAMES).keys()];
    if (this.el.mode.value === 'pingpong') order.push(...order.slice(1, -1).reverse());
    const size = 28 * EXPORT_SCALE;
    const frames = order.map((f) => grayToIndices(this.frames.subarray(f * D, (f + 1) * D), 28, 28, EXPORT_SCALE));
    const delayMs = BASE_MS / Number(this.el.speed.value) / (FRAMES - 1);
    const gif = encodeGif({ width: size, height: size, palette: grayPalette(), frames, delayMs, plays: this.el.mode.value === 'once' ? 1 : Infinity });
    download(new Blob([gif], { type: 'image/gif' }), this.i18n.t('interp.gifName'));
    this.announce('interp.gifSaved', { n: V.int(frames.length) });
  }
}

/** `count` frames evenly spaced along the path, side by side. */
function paintStrip(canvas, frames, count) {
  const total = frames.length / D;
  const tile = document.createElement('canvas');
  tile.width = tile.height = 28;
  const ctx = canvas.getContext('2d');
  for (let i = 0; i < count; i++) {
    const f = Math.round((i * (total - 1)) / (count - 1));
    drawGray(tile, frames, f * D);
    ctx.drawImage(tile, i * 28, 0);
  }
}

