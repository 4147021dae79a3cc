// The page's WASM engine (the Embind module web/src/wasm/ae.{mjs,wasm}, built by `npm run setup`)
// in a plain Node process, for scripts/pretrain.mjs: it checks every shipped model the way the
// page will load it, and renders the preview pictures.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';

/** The instantiated module from dir/ae.mjs and dir/ae.wasm. */
export async function loadEngineModule(dir) {
  const glue = join(dir, 'ae.mjs');
  const wasm = join(dir, 'ae.wasm');
  if (!existsSync(glue) || !existsSync(wasm))
    throw new Error(`the WASM engine is missing (${glue}, ${wasm}): run \`npm run setup\` first, or pass --wasm DIR`);
  // The 3.1.6 ES6 glue's Node branch uses __dirname and require, which ES modules lack.
  globalThis.__dirname ??= dirname(fileURLToPath(pathToFileURL(glue)));
  globalThis.require ??= createRequire(pathToFileURL(glue));
  const { default: create } = await import(pathToFileURL(glue).href);
  return create({ wasmBinary: readFileSync(wasm) });
}

/** The uncompressed AEDS bytes of dataDir/<name>-<split>.aeds.gz. */
export function readDataset(dataDir, name, split) {
  const path = join(dataDir, `${name}-${split}.aeds.gz`);
  if (!existsSync(path)) throw new Error(`${path} is missing: run \`npm run setup\` (or node datasets/prepare.mjs)`);
  return new Uint8Array(gunzipSync(readFileSync(path)));
}

/** An Engine with the model file loaded and the test split of its dataset; call .delete(). */
export function engineWith(module, modelBytes, testBytes) {
  const e = new module.Engine();
  try {
    e.loadModel(new Uint8Array(modelBytes));
    e.loadDataset('test', testBytes);
    return e;
  } catch (err) {
    e.delete();
    throw err;
  }
}

/** Reconstructions of test images [0, n) as one Float32Array (n × 784). */
export function reconstructTest(engine, n) {
  const x = engine.images('test', Array.from({ length: n }, (_, i) => i));
  return engine.reconstruct(x, n);
}

/** How far two sets of reconstructions differ, in grey levels of 255: mean and max over every pixel. */
export function greyLevelDiff(a, b) {
  let sum = 0;
  let max = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]) * 255;
    sum += d;
    if (d > max) max = d;
  }
  return { mean: sum / a.length, max };
}
