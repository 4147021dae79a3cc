// Instantiates the WASM engine (an Emscripten MODULARIZE factory built by `npm run build:wasm`).
import createAeModule from '../wasm/ae.mjs';

/** @returns {Promise<object>} the Embind module; `new module.Engine()` makes an engine. */
export async function loadEngineModule(options = {}) {
  if (typeof WebAssembly !== 'object' || !WebAssembly.validate(SIMD_PROBE)) {
    throw new Error('this browser does not support WebAssembly SIMD, which the engine needs (Chrome 91+, Firefox 89+, Safari 16.4+)');
  }
  return createAeModule(options);
}

// The smallest module using a v128 instruction: (func (result v128) i32.const 0 i8x16.splat)
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, // magic, version
  1, 5, 1, 96, 0, 1, 123, // type section: () -> v128
  3, 2, 1, 0, // function section
  10, 8, 1, 6, 0, 65, 0, 253, 15, 11, // code: i32.const 0; i8x16.splat; end
]);
