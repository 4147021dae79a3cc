// Instantiates the WASM engine: one of four builds of the same engine, Emscripten MODULARIZE
// factories that `npm run setup` copies into web/src/wasm:
//   ae.mjs + ae.wasm               single-threaded; runs everywhere
//   ae-mt.mjs + ae-mt.wasm         threaded: Emscripten pthreads on a pool of Web Workers
//   (+ ae-mt.worker.js)            sharing the engine's memory (a SharedArrayBuffer)
//   ae-rx.mjs, ae-mt-rx.mjs        the same two with relaxed SIMD: the GEMM multiplies and adds in
//   (+ .wasm, ae-mt-rx.worker.js)  one instruction (engine/src/kernels/gemm.cpp)
// Browsers give a page SharedArrayBuffer only when it is cross-origin isolated (served with
// COOP: same-origin and COEP: require-corp; README "Performance" says how to host it). Then the
// threaded build runs with one thread per core (at most MAX_THREADS); anywhere else, a course
// page embedding the playground for one, the single-threaded build runs, exactly as before.
// Where the browser validates relaxed SIMD (Chrome and Edge 114+, Firefox 146+) the relaxed
// build of that kind runs; a relaxed build that fails to start falls back to the plain one, and
// a threaded one to the single-threaded. Each build is a dynamic import, so a page downloads only the one it runs.
// The engine reports which one runs in info(): `build` (threads or single), `threads`, and
// `backend` (wasm-relaxed-simd or wasm-simd128), which INIT replies with.

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

/** Whether this scope's WebAssembly has relaxed SIMD (validates f32x4.relaxed_madd). */
export function relaxedSimdAvailable(wasm = globalThis.WebAssembly) {
  try {
    return typeof wasm === 'object' && wasm.validate(RELAXED_PROBE);
  } catch {
    return false;
  }
}

// The dynamic imports, one literal each so that the bundler emits each build as its own chunk.
export const BUILDS = {
  threads: { plain: () => import('../wasm/ae-mt.mjs'), relaxed: () => import('../wasm/ae-mt-rx.mjs') },
  single: { plain: () => import('../wasm/ae.mjs'), relaxed: () => import('../wasm/ae-rx.mjs') },
};

/**
 * @param {object} [options] Emscripten module options, plus
 *   threads: the thread count to ask for (default threadsAvailable()); above 1 loads the
 *            threaded build;
 *   relaxed: whether to load a relaxed-SIMD build (default relaxedSimdAvailable());
 *   log(level, message): told when a build fails and the next one runs;
 *   builds: the factories' imports (default BUILDS; tests give their own).
 * @returns {Promise<object>} the Embind module; `new module.Engine()` makes an engine.
 */
export async function loadEngineModule({ threads = threadsAvailable(), relaxed = relaxedSimdAvailable(), log = () => {}, builds = BUILDS, ...options } = {}) {
  if (typeof WebAssembly !== 'object' || !WebAssembly.validate(SIMD_PROBE)) {
    throw new Error('this browser does not support WebAssembly SIMD, which the engine needs (Chrome 91+, Firefox 89+, Safari 16.4+)');
  }
  // In order of preference; the last one (single-threaded, plain SIMD) runs everywhere.
  const tries = [];
  for (const kind of threads > 1 ? ['threads', 'single'] : ['single'])
    for (const simd of relaxed ? ['relaxed', 'plain'] : ['plain']) tries.push({ kind, simd });
  for (const [i, { kind, simd }] of tries.entries()) {
    const last = i === tries.length - 1;
    const name = `the ${kind === 'threads' ? 'threaded' : 'single-threaded'} engine${simd === 'relaxed' ? ' with relaxed SIMD' : ''}`;
    try {
      const { default: create } = await builds[kind][simd]();
      if (kind === 'single') return await create(options);
      // aeThreads sizes the worker pool the module starts with (engine/CMakeLists.txt).
      const module = await create({ ...options, aeThreads: threads });
      const got = module.setThreads(threads);
      if (got < threads) log('warn', `the engine runs on ${got} of the ${threads} threads asked for`);
      return module;
    } catch (err) {
      if (last) throw err;
      log('warn', `${name} could not start (${err?.message ?? err}); trying the next build`);
    }
  }
  throw new Error('no engine build to load'); // not reached: the last try returns or throws
}

// The smallest module using a v128 instruction: (func (result v128) i32.const 0 i8x16.splat)
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, // magic, version
  1, 5, 1, 96, 0, 1, 123, // type section: () -> v128
  3, 2, 1, 0, // function section
  10, 8, 1, 6, 0, 65, 0, 253, 15, 11, // code: i32.const 0; i8x16.splat; end
]);

// The smallest module using f32x4.relaxed_madd (0xfd 0x105): three splats of i32.const 0, madd.
// (The service worker precaches the builds this test selects: web/build/site-plugin.js.)
export const RELAXED_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, // magic, version
  1, 5, 1, 96, 0, 1, 123, // type section: () -> v128
  3, 2, 1, 0, // function section
  10, 19, 1, 17, 0, // code section, one body of 17 bytes, no locals
  65, 0, 253, 15, 65, 0, 253, 15, 65, 0, 253, 15, // (i32.const 0; i8x16.splat) × 3
  253, 133, 2, 11, // f32x4.relaxed_madd; end
]);
