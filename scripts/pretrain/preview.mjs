// Pictures of a shipped model, to look at before committing it (`npm run pretrain -- --preview DIR`):
//   <id>-recon.png     two test images of each class (top row) and their reconstructions (below);
//                      for a denoising model: clean, noisy input (its training noise), output
//   <id>-manifold.png  2-D latent models: the decoder on a 20 × 20 lattice of z in [-3, 3]²
//                      (z₁ left to right, z₂ bottom to top)
//   <id>-latent.png    2-D latent models: the codes (μ) of the first 2,000 test images in
//                      [-4, 4]², coloured by class
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { Canvas } from './png.mjs';

const SIDE = 28;
// Okabe–Ito, then two greys for classes 8 and 9.
const CLASS_COLOURS = [
  [230, 159, 0], [86, 180, 233], [0, 158, 115], [240, 228, 66], [0, 114, 178],
  [213, 94, 0], [204, 121, 167], [0, 0, 0], [120, 120, 120], [190, 190, 190],
];

function firstOfEachClass(labels, perClass) {
  const picked = [];
  for (let c = 0; c < 10; c++) {
    let found = 0;
    for (let i = 0; i < labels.length && found < perClass; i++)
      if (labels[i] === c) {
        picked.push(i);
        found++;
      }
  }
  return picked;
}

/** Writes the pictures of one model (an Engine with the model and its test split loaded); returns the paths. */
export function writePreview(engine, id, dir) {
  const model = JSON.parse(engine.modelConfig());
  const train = JSON.parse(engine.trainConfig());
  const count = engine.datasetInfo('test').count;
  const labels = engine.labels('test', Array.from({ length: count }, (_, i) => i));
  const picked = firstOfEachClass(labels, 2);
  const n = picked.length;
  const clean = engine.images('test', picked);
  const rows = [clean];
  if (train.noise && train.noise !== 'none') {
    const noisy = engine.corrupt(clean, n, train.noise, train.noise_amount, 1);
    rows.push(noisy, engine.reconstruct(noisy, n));
  } else {
    rows.push(engine.reconstruct(clean, n));
  }

  const scale = 2;
  const cell = SIDE * scale + 2;
  const recon = new Canvas(n * cell + 2, rows.length * cell + 2, [255, 255, 255]);
  rows.forEach((row, r) => {
    for (let i = 0; i < n; i++) recon.image(row.subarray(i * SIDE * SIDE, (i + 1) * SIDE * SIDE), SIDE, 2 + i * cell, 2 + r * cell, scale);
  });
  const paths = [join(dir, `${id}-recon.png`)];
  writeFileSync(paths[0], recon.png());

  if (model.latent === 2) {
    const k = 20;
    const z = new Float32Array(k * k * 2);
    for (let row = 0; row < k; row++)
      for (let col = 0; col < k; col++) {
        z[(row * k + col) * 2] = -3 + (6 * col) / (k - 1);
        z[(row * k + col) * 2 + 1] = 3 - (6 * row) / (k - 1);
      }
    const decoded = engine.decode(z, k * k);
    const grid = new Canvas(k * SIDE, k * SIDE, [0, 0, 0]);
    for (let i = 0; i < k * k; i++)
      grid.image(decoded.subarray(i * SIDE * SIDE, (i + 1) * SIDE * SIDE), SIDE, (i % k) * SIDE, Math.floor(i / k) * SIDE);
    paths.push(join(dir, `${id}-manifold.png`));
    writeFileSync(paths.at(-1), grid.png());

    const m = Math.min(2000, count);
    const codes = engine.encode(engine.images('test', Array.from({ length: m }, (_, i) => i)), m);
    const size = 480;
    const map = new Canvas(size, size, [255, 255, 255]);
    const px = (v) => ((v + 4) / 8) * (size - 1);
    for (let t = -4; t <= 4; t++) for (let s = 0; s < size; s++) {
      map.set(Math.round(px(t)), s, t === 0 ? [170, 170, 170] : [228, 228, 228]);
      map.set(s, Math.round(px(-t)), t === 0 ? [170, 170, 170] : [228, 228, 228]);
    }
    for (let i = 0; i < m; i++) map.dot(px(codes[2 * i]), px(-codes[2 * i + 1]), 1, CLASS_COLOURS[labels[i]]);
    paths.push(join(dir, `${id}-latent.png`));
    writeFileSync(paths.at(-1), map.png());
  }
  return paths;
}
