// The VAE's "manifold" figure (Kingma & Welling 2014, fig. 4): a regular lattice over the 2-D
// latent plane, spaced by the quantiles of the standard normal so that each cell holds the same
// prior mass, decoded image by image.

/**
 * Inverse of the standard normal CDF (Acklam's rational approximation, relative error below
 * 1.2e-9 over (0, 1)).
 */
export function normalQuantile(p) {
  if (!(p > 0 && p < 1)) throw new Error(`normalQuantile: p must be in (0, 1), got ${p}`);
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const lo = 0.02425;
  if (p < lo) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  if (p > 1 - lo) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

/**
 * side × side map points, row by row from the top (largest y) to the bottom, left to right,
 * at the normal quantiles of (i + 0.5) / side scaled by each axis' spread.
 * @param {number} side 2…30
 * @param {[number, number]} [scale] standard deviation along x and y (1 for a VAE's prior)
 * @returns {Float32Array} (side²·2)
 */
export function quantileLattice(side, scale = [1, 1]) {
  if (!(Number.isInteger(side) && side >= 2 && side <= 30)) throw new Error(`lattice: side must be an integer in [2, 30], got ${side}`);
  const q = Array.from({ length: side }, (_, i) => normalQuantile((i + 0.5) / side));
  const out = new Float32Array(side * side * 2);
  for (let r = 0; r < side; r++) {
    for (let c = 0; c < side; c++) {
      const k = 2 * (r * side + c);
      out[k] = q[c] * scale[0];
      out[k + 1] = q[side - 1 - r] * scale[1];
    }
  }
  return out;
}
