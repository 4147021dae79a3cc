// The latent map's geometry: which part of the plane the canvas shows, and conversions
// between map coordinates (x right, y up) and canvas pixels (y down). Pure.

/**
 * A square view that holds every point, with a margin (so that no dot at the edge is cut by
 * the canvas), centred on them. Degenerate spreads get a unit-size view.
 * @param {Float32Array} points (N·2)
 * @returns {{cx: number, cy: number, half: number}} centre and half-width in map units
 */
export function fitView(points, margin = 0.08) {
  const n = points.length / 2;
  if (!n) return { cx: 0, cy: 0, half: 1 };
  let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
  for (let i = 0; i < n; i++) {
    const x = points[2 * i], y = points[2 * i + 1];
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
    x0 = Math.min(x0, x);
    x1 = Math.max(x1, x);
    y0 = Math.min(y0, y);
    y1 = Math.max(y1, y);
  }
  if (x0 > x1) return { cx: 0, cy: 0, half: 1 };
  const span = Math.max(x1 - x0, y1 - y0);
  const half = span > 1e-9 ? (span / 2) * (1 + 2 * margin) : 1;
  return { cx: (x0 + x1) / 2, cy: (y0 + y1) / 2, half };
}

/** Map point → canvas pixel for a square canvas of `size` pixels. */
export function toCanvas(view, size, x, y) {
  const s = size / (2 * view.half);
  return [(x - view.cx) * s + size / 2, size / 2 - (y - view.cy) * s];
}

/** Canvas pixel → map point. */
export function fromCanvas(view, size, px, py) {
  const s = (2 * view.half) / size;
  return [view.cx + (px - size / 2) * s, view.cy - (py - size / 2) * s];
}

/** Index of the point nearest (x, y) within `radius` map units, or -1. */
export function nearestPoint(points, x, y, radius) {
  let best = -1, bestD = radius * radius;
  for (let i = 0; i < points.length / 2; i++) {
    const dx = points[2 * i] - x, dy = points[2 * i + 1] - y;
    const d = dx * dx + dy * dy;
    if (d <= bestD) {
      bestD = d;
      best = i;
    }
  }
  return best;
}

/**
 * Slider ranges for each latent dimension: the codes' mean ± 3 standard deviations (a little
 * wider than the data, so a slider can push a code past what the model has seen).
 * @param {Float32Array} codes (N·Z)
 * @returns {{min: Float32Array, max: Float32Array}} (Z) each
 */
export function dimensionRanges(codes, n, z) {
  const min = new Float32Array(z), max = new Float32Array(z);
  for (let j = 0; j < z; j++) {
    let s = 0, s2 = 0;
    for (let i = 0; i < n; i++) {
      const v = codes[i * z + j];
      s += v;
      s2 += v * v;
    }
    const mean = n ? s / n : 0;
    const sd = n > 1 ? Math.sqrt(Math.max(0, (s2 - n * mean * mean) / (n - 1))) : 1;
    const w = Math.max(3 * sd, 0.05);
    min[j] = mean - w;
    max[j] = mean + w;
  }
  return { min, max };
}
