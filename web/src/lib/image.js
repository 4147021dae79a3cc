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
