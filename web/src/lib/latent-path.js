// Paths through the latent space, for the interpolation panel: straight lines (lerp) and
// great-circle arcs about the origin (slerp, as in White, "Sampling Generative Networks",
// 2016), and the playhead that turns elapsed time into a position along the path.
// Codes are Float32Arrays of length Z; a path of F frames is one Float32Array (F·Z).

/** (1 − t)·a + t·b */
export function lerp(a, b, t, out = new Float32Array(a.length)) {
  for (let i = 0; i < a.length; i++) out[i] = (1 - t) * a[i] + t * b[i];
  return out;
}

/**
 * Spherical interpolation about the origin: sin((1 − t)Ω)/sin Ω · a + sin(tΩ)/sin Ω · b, where
 * Ω is the angle between a and b. It keeps the norm when |a| = |b| (typical codes of a VAE
 * prior lie near a sphere, and a straight line cuts through its low-density middle). Falls
 * back to lerp when the angle is too small (or a code is zero) for the formula to be stable.
 */
export function slerp(a, b, t, out = new Float32Array(a.length)) {
  let ab = 0, aa = 0, bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += a[i] * b[i];
    aa += a[i] * a[i];
    bb += b[i] * b[i];
  }
  const denom = Math.sqrt(aa * bb);
  if (denom < 1e-12) return lerp(a, b, t, out);
  const omega = Math.acos(Math.min(1, Math.max(-1, ab / denom)));
  const so = Math.sin(omega);
  if (so < 1e-6) return lerp(a, b, t, out);
  const wa = Math.sin((1 - t) * omega) / so;
  const wb = Math.sin(t * omega) / so;
  for (let i = 0; i < a.length; i++) out[i] = wa * a[i] + wb * b[i];
  return out;
}

export const PATH_KINDS = Object.freeze(['linear', 'spherical']);

/**
 * F codes evenly spaced in t from a (t = 0) to b (t = 1).
 * @param {Float32Array} a (Z)
 * @param {Float32Array} b (Z)
 * @param {number} frames F ≥ 2
 * @param {'linear'|'spherical'} kind
 * @returns {Float32Array} (F·Z)
 */
export function latentPath(a, b, frames, kind = 'linear') {
  if (a.length !== b.length) throw new Error(`latent path: codes differ in size (${a.length} and ${b.length})`);
  if (!Number.isInteger(frames) || frames < 2) throw new Error(`latent path: frames must be an integer >= 2, got ${frames}`);
  if (!PATH_KINDS.includes(kind)) throw new Error(`latent path: kind must be linear or spherical, got '${kind}'`);
  const z = a.length;
  const out = new Float32Array(frames * z);
  const step = kind === 'spherical' ? slerp : lerp;
  for (let f = 0; f < frames; f++) step(a, b, f / (frames - 1), out.subarray(f * z, (f + 1) * z));
  return out;
}

export const PLAY_MODES = Object.freeze(['once', 'loop', 'pingpong']);

/**
 * Where the playhead is after `elapsedMs` of playback of a path that takes `durationMs`
 * from A to B, starting at t0.
 *   once      A → B, then stays at B (done)
 *   loop      A → B, A → B, …
 *   pingpong  A → B → A → …
 * @returns {{t: number, done: boolean}} t in [0, 1]
 */
export function playhead(elapsedMs, durationMs, mode = 'loop', t0 = 0) {
  if (!(durationMs > 0)) throw new Error(`playhead: duration must be > 0, got ${durationMs}`);
  const u = t0 + Math.max(0, elapsedMs) / durationMs; // path lengths travelled
  if (mode === 'once') return u >= 1 ? { t: 1, done: true } : { t: u, done: false };
  if (mode === 'loop') return { t: u % 1, done: false };
  if (mode === 'pingpong') {
    const p = u % 2;
    return { t: p <= 1 ? p : 2 - p, done: false };
  }
  throw new Error(`playhead: mode must be once, loop or pingpong, got '${mode}'`);
}

/** The frame shown at position t of a path of F frames (the nearest one). */
export const frameIndex = (t, frames) => Math.min(frames - 1, Math.max(0, Math.round(t * (frames - 1))));
