// Instantiates the WASM engine: one of two builds of the same engine, both Emscripten MODULARIZE
// factories that `npm run setup` copies into web/src/wasm:
//   ae.mjs + ae.wasm               single-threaded; runs everywhere
//   ae-mt.mjs + ae-mt.wasm         threaded: Emscripten pthreads on a pool of Web Workers
//   (+ ae-mt.worker.js)            sharing the engine's memory (a SharedArrayBuffer)
// Browsers give a page SharedArrayBuffer only when it is cross-origin isolated (served with
// COOP: same-origin and COEP: require-corp; README "Performance" says how to host it). Then the
// threaded build runs with one thread per core (at most MAX_THREADS); anywhere else, a course
// page embedding the playground for one, the single-threaded build runs, exactly as before.
// Each build is a dynamic import, so a page downloads only the one it runs. The engine reports
// which one runs and its thread count in info() (`build`, `threads`), which INIT replies with.

/** The most threads the engine uses (its own thread and a pool of MAX_THREADS − 1 workers). */
export const MAX_THREADS = 8;

/**
 * How many threads the engine can use in this scope: 1 unless it is cross-origin isolated with
 * SharedArrayBuffer, else the number of cores, at most MAX_THREADS.
 */
export function threadsAvailable(scope = globalThis) {
  if (!scope.crossOriginIsolated || typeof scope.SharedArrayBuffer !== 'function') return 1;
  const cores = Number(scope.navigator?.hardwareConcurrency) || 1;
  return Math.max(1, Math.min(MAX_THREADS, Math.floor(cores)));
}

/**
 * @param {object} [options] Emscripten module options, plus
 *   threads: the thread count to ask for (default threadsAvailable()); above 1 loads the
 *            threaded build;
 *   log(level, message): told when the threaded build fails and the single-threaded one runs.
 * @returns {Promise<object>} the Embind module; `new module.Engine()` makes an engine.
 */
export async function loadEngineModule({ threads = threadsAvailable(), log = () => {}, ...options } = {}) {
  if (typeof WebAssembly !== 'object' || !WebAssembly.validate(SIMD_PROBE)) {
    throw new Error('this browser does not support WebAssembly SIMD, which the engine needs (Chrome 91+, Firefox 89+, Safari 16.4+)');
  }
  if (threads > 1) {
    try {
      const { default: createThreaded } = await import('../wasm/ae-mt.mjs');
      // aeThreads sizes the worker pool the module starts with (engine/CMakeLists.txt).
      const module = await createThreaded({ ...options, aeThreads: threads });
      const got = module.setThreads(threads);
      if (got < threads) log('warn', `the engine runs on ${got} of the ${threads} threads asked for`);
      return module;
    } catch (err) {
      log('warn', `the threaded engine could not start (${err?.message ?? err}); running the single-threaded one`);
    }
  }
  const { default: createAeModule } = await import('../wasm/ae.mjs');
  return createAeModule(options);
}

// The smallest module using a v128 instruction: (func (result v128) i32.const 0 i8x16.splat)
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, // magic, version
  1, 5, 1, 96, 0, 1, 123, // type section: () -> v128
  3, 2, 1, 0, // function section
  10, 8, 1, 6, 0, 65, 0, 253, 15, 11, // code: i32.const 0; i8x16.splat; end
]);
