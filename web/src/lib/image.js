// Grey images (floats in [0, 1], row-major) drawn at native size into a canvas; CSS scales
// them up with `image-rendering: pixelated`.

/**
 * @param {HTMLCanvasElement} canvas a canvas whose width/height are the image size
 * @param {Float32Array} pixels
 * @param {number} [offset] index of the first pixel (to draw one image out of a batch)
 */
export function drawGray(canvas, pixels, offset = 0) {
  const { width, height } = canvas;
  const ctx = canvas.getContext('2d');
  const img = ctx.createImageData(width, height);
  const n = width * height;
  for (let i = 0; i < n; i++) {
    const v = Math.max(0, Math.min(255, Math.round(pixels[offset + i] * 255)));
    img.data[4 * i] = v;
    img.data[4 * i + 1] = v;
    img.data[4 * i + 2] = v;
    img.data[4 * i + 3] = 255;
  }
  ctx.putImageData(img, 0, 0);
}

/** Mean squared difference of n values of a and b (per-pixel reconstruction error). */
export function meanSquaredError(a, b, offsetA = 0, offsetB = 0, n = a.length) {
  let s = 0;
  for (let i = 0; i < n; i++) {
    const d = a[offsetA + i] - b[offsetB + i];
    s += d * d;
  }
  return s / n;
}

/**
 * The reconstruction loss of one image exactly as the chart measures a training image (the
 * engine's losses: per image, summed over its pixels): 'bce' −Σ[x log x̂ + (1 − x) log(1 − x̂)],
 * 'mse' Σ(x − x̂)². x̂ is a sigmoid output, so it is clamped away from 0 and 1 as float32 can
 * round it there (the engine computes BCE from the logits, which never saturate).
 */
export function reconstructionLoss(kind, x, xhat, offsetX = 0, offsetY = 0, n = x.length) {
  let s = 0;
  if (kind === 'mse') {
    for (let i = 0; i < n; i++) {
      const d = x[offsetX + i] - xhat[offsetY + i];
      s += d * d;
    }
    return s;
  }
  const EPS = 1e-7;
  for (let i = 0; i < n; i++) {
    const t = x[offsetX + i];
    const y = Math.min(1 - EPS, Math.max(EPS, xhat[offsetY + i]));
    s -= t * Math.log(y) + (1 - t) * Math.log(1 - y);
  }
  return s;
}
