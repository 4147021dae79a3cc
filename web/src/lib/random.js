// Seeded random numbers in JS: the page's own draws (samples from a VAE's prior: the same seed
// gives the same samples, so a shared link shows the same pictures), the Fashion-MNIST split
// (datasets/prepare.mjs), the benchmark's TF.js batches and test fixtures. No imports: it runs
// in the page, in workers and in plain node before node_modules exists.

/** mulberry32: a 32-bit generator, uniform in [0, 1). */
export function uniformGenerator(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher–Yates, last position first, in place with `random` (uniform in [0, 1)); returns `array`. */
export function shuffleInPlace(array, random) {
  for (let i = array.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [array[i], array[j]] = [array[j], array[i]];
  }
  return array;
}

/** n standard-normal values (Box–Muller) from `seed`. */
export function normalSamples(n, seed) {
  const u = uniformGenerator(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i += 2) {
    const u1 = Math.max(u(), 1e-300);
    const u2 = u();
    const r = Math.sqrt(-2 * Math.log(u1));
    out[i] = r * Math.cos(2 * Math.PI * u2);
    if (i + 1 < n) out[i + 1] = r * Math.sin(2 * Math.PI * u2);
  }
  return out;
}

/**
 * A uniform index in [0, count) other than `current` when there is another to pick ("Random test
 * image" never shows the image already there). `current` may be undefined or out of range.
 */
export function randomIndexExcept(count, current, random = Math.random) {
  const n = Math.max(1, Math.floor(count));
  const skip = Number.isInteger(current) && current >= 0 && current < n && n > 1;
  const i = Math.floor(random() * (skip ? n - 1 : n));
  return skip && i >= current ? i + 1 : i;
}
