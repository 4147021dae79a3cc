// Rewrites an .aemf model file (engine/src/io/FORMAT.md) with one tensor value or the history
// changed, and every checksum made valid again, so that a test reaches the loader's checks of
// the values themselves (a NaN weight) rather than its checksum refusal.
import { crc32 } from 'node:zlib';

const FIXED = 28; // "AEMF" · version · H · crc(header) · B (u64) · crc(bytes 0..24)

/** { header (the JSON object), data (the tensor bytes, a copy) } of a model file. */
export function splitModelFile(bytes) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const h = view.getUint32(8, true);
  const b = Number(view.getBigUint64(16, true));
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(FIXED, FIXED + h)));
  return { header, data: new Uint8Array(bytes.subarray(FIXED + h, FIXED + h + b)) }; // a copy (a Buffer's slice is not)
}

/** The file for a header object and tensor bytes: padding, lengths and every checksum. */
export function joinModelFile(header, data) {
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - ((FIXED + json.length) % 8)) % 8);
  const text = new TextEncoder().encode(json);
  const out = new Uint8Array(FIXED + text.length + data.length + 4);
  const view = new DataView(out.buffer);
  out.set([65, 69, 77, 70]); // "AEMF"
  view.setUint32(4, 1, true);
  view.setUint32(8, text.length, true);
  view.setUint32(12, crc32(text), true);
  view.setBigUint64(16, BigInt(data.length), true);
  view.setUint32(24, crc32(out.subarray(0, 24)), true);
  out.set(text, FIXED);
  out.set(data, FIXED + text.length);
  view.setUint32(out.length - 4, crc32(out.subarray(0, out.length - 4)), true);
  return out;
}

/** The file with float32 value `index` of tensor `name` set to `value` (the tensor's checksum too). */
export function withTensorValue(bytes, name, index, value) {
  const { header, data } = splitModelFile(bytes);
  const t = header.tensors.find((x) => x.name === name);
  if (!t || t.dtype !== 'f32') throw new Error(`no f32 tensor '${name}' in the file`);
  new DataView(data.buffer).setFloat32(t.offset + 4 * index, value, true);
  t.crc32 = crc32(data.subarray(t.offset, t.offset + t.bytes));
  return joinModelFile(header, data);
}

/** The file with its history replaced by `history` (any JSON value). */
export function withHistory(bytes, history) {
  const { header, data } = splitModelFile(bytes);
  header.history = history;
  return joinModelFile(header, data);
}
