// Our engine as the page runs it: the Embind module web/src/wasm/ae.{mjs,wasm} (what
// `npm run setup` copies there and Vite bundles), loaded in Node with `wasmBinary` as
// tests/web/engine-module.js does, and driven through Engine.trainSteps.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

import { ROOT, trainConfig } from './common.mjs';

export const GLUE = join(ROOT, 'web/src/wasm/ae.mjs');
export const WASM = join(ROOT, 'web/src/wasm/ae.wasm');

/** The page's Embind module, instantiated in this Node process. */
export async function loadEngineModule() {
  if (!existsSync(GLUE) || !existsSync(WASM)) throw new Error('web/src/wasm/ae.{mjs,wasm} is missing: run `npm run setup` first');
  // The node branch of Emscripten 3.1.6's ES6 glue uses __dirname and require (toolchain.md §6).
  globalThis.__dirname ??= dirname(GLUE);
  globalThis.require ??= createRequire(GLUE);
  const { default: create } = await import(pathToFileURL(GLUE).href);
  return create({ wasmBinary: readFileSync(WASM) });
}

/** A configured engine with the training set loaded: { engine, backend, run(batches) }. */
export async function createEngineTrainer({ model, trainBytes, batchSize = 128, seed = 1 }) {
  const module = await loadEngineModule();
  const engine = new module.Engine();
  engine.configure(JSON.stringify(model), JSON.stringify(trainConfig(batchSize, seed)));
  engine.loadDataset('train', trainBytes);
  return {
    engine,
    backend: engine.info().backend,
    /**
     * Trains `batches` steps, one trainSteps(1) call each, as the page's worker calls it in
     * small chunks (so the Embind boundary is paid per step). → { samples, seconds, loss }
     */
    run(batches) {
      let samples = 0;
      let loss = 0;
      const t0 = performance.now();
      for (let i = 0; i < batches; i++) {
        const s = engine.trainSteps(1);
        samples += s.samples;
        loss = s.loss.total;
      }
      return { samples, seconds: (performance.now() - t0) / 1000, loss };
    },
  };
}
