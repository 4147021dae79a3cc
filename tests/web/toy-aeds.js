// A tiny dataset for tests that drive the real WASM engine: an AEDS file (datasets/README.md)
// of n 4×4 images with a bar in row i mod 4, labelled by that row.
export function bars(n) {
  const b = new Uint8Array(48 + n + n * 16);
  b.set([65, 69, 68, 83]); // "AEDS"
  new DataView(b.buffer).setUint32(4, 1, true);
  [n, 4, 4, 4].forEach((v, i) => new DataView(b.buffer).setUint32(8 + 4 * i, v, true));
  for (let i = 0; i < n; i++) {
    b[48 + i] = i % 4;
    for (let c = 0; c < 4; c++) b[48 + n + i * 16 + (i % 4) * 4 + c] = 255;
  }
  return b;
}
