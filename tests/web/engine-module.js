// Loads the real WASM engine (web/src/wasm, built by `npm run setup`) in Node for unit tests.
import { readFileSync } from 'node:fs';

const glue = new URL('../../web/src/wasm/ae.mjs', import.meta.url);
const wasm = new URL('../../web/src/wasm/ae.wasm', import.meta.url);

let modulePromise = null;

/** The instantiated Embind module, shared by the tests of one file. */
export function loadModule() {
  modulePromise ??= import(glue.href).then(({ default: create }) => create({ wasmBinary: readFileSync(wasm) }));
  return modulePromise;
}

/** A fetch that serves files from web/public, as the page's server would. */
export async function localFetch(url) {
  const path = new URL(url).pathname;
  try {
    const bytes = readFileSync(new URL(`../../web/public${path}`, import.meta.url));
    return new Response(bytes, { status: 200, headers: { 'content-length': String(bytes.length) } });
  } catch {
    return new Response('not found', { status: 404 });
  }
}
