// What the page reads of a model file (.aemf, engine/src/io/FORMAT.md) without the engine:
// its JSON header (configs, training state, history, tensor directory), for the saved-models
// list and for checking a file before it is loaded; and whether its float32 tensors are all
// finite, so that a model whose weights blew up is never kept as a "good" state.
// The engine's loader stays the judge of a file: these functions only look.
//
// Layout: bytes 0–3 "AEMF", 4–7 u32 version, 8–11 u32 H (JSON header length), then from byte
// 28 the H bytes of JSON; the tensor data starts at 28 + H, each tensor at its directory offset.

export const AEMF_MAGIC = 'AEMF';
const FIXED = 28;

/**
 * The parsed JSON header of an AEMF file.
 * @param {Uint8Array} bytes
 * @returns {{version: number, header: object, dataStart: number}}
 * @throws Error (a short reason) when the bytes are not a readable AEMF header
 */
export function readHeader(bytes) {
  if (!(bytes instanceof Uint8Array)) throw new Error('readHeader expects a Uint8Array');
  if (bytes.length < FIXED || String.fromCharCode(...bytes.subarray(0, 4)) !== AEMF_MAGIC) throw new Error('not an AEMF model file');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(4, true);
  const h = view.getUint32(8, true);
  if (FIXED + h > bytes.length) throw new Error('truncated inside the JSON header');
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(FIXED, FIXED + h)));
  return { version, header, dataStart: FIXED + h };
}

/**
 * The name of the first float32 tensor holding NaN or ±infinity (index too), or null when
 * every f32 value is finite. About 2 ms for the seed model with Adam state (1.9 M floats).
 * @param {Uint8Array} bytes a whole AEMF file
 * @returns {{name: string, index: number} | null}
 */
export function firstNonFinite(bytes) {
  const { header, dataStart } = readHeader(bytes);
  for (const t of header.tensors ?? []) {
    if (t.dtype !== 'f32') continue;
    const start = bytes.byteOffset + dataStart + t.offset;
    const n = t.bytes / 4;
    // Tensor data is 8-byte aligned in the file; a view needs it aligned in the buffer too.
    const f = start % 4 === 0 ? new Float32Array(bytes.buffer, start, n) : new Float32Array(bytes.slice(dataStart + t.offset, dataStart + t.offset + t.bytes).buffer);
    for (let i = 0; i < n; i++) {
      const v = f[i];
      if (v - v !== 0) return { name: t.name, index: i }; // NaN − NaN and ∞ − ∞ are NaN
    }
  }
  return null;
}

/**
 * A summary of a model file for lists and messages: variant, dataset, step, epoch and whether
 * it carries optimizer state.
 * @param {Uint8Array} bytes
 */
export function describeFile(bytes) {
  const { version, header } = readHeader(bytes);
  const history = header.history && typeof header.history === 'object' ? header.history : {};
  return {
    version,
    variant: header.model?.variant ?? 'unknown',
    model: header.model,
    train: header.train,
    dataset: typeof history.dataset === 'string' ? history.dataset : null,
    step: Number(header.state?.step ?? 0),
    epoch: Number(header.state?.epoch ?? 0),
    optimizerState: header.optimizer_state === true,
    weights: header.weights ?? 'f32',
    size: bytes.length,
  };
}
