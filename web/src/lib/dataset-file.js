// Dataset files: AEDS version 1, made by datasets/prepare.mjs (layout in datasets/README.md).
//   little-endian, 48-byte header, then labels (N) u8, then pixels (N, H, W) u8
//   offset 0 "AEDS" · 4 version · 8 N · 12 H · 16 W · 20 classes (u32 each) · 24 name (24 B, NUL-padded)
// The checks and messages mirror engine/src/data/dataset_file.cpp, so the worker can refuse a
// bad file before handing its bytes to the engine. Plain ES module: runs in the browser and
// in Node 20 (fetch, Response, DecompressionStream are globals in both).

export const DATASET_VERSION = 1;
export const HEADER_BYTES = 48;

const MAX_SIDE = 1024;    // height, width
const MAX_CLASSES = 256;  // labels are u8
const REGENERATE = '; regenerate it with `node datasets/prepare.mjs`';

function checkRange(field, v, lo, hi) {
  if (v < lo || v > hi) throw new Error(`invalid dataset dimensions: ${field} is ${v}, expected ${lo}..${hi}`);
}

// bytes: the uncompressed file. Returns the header fields and where the two arrays start:
//   labels = bytes.subarray(labelsOffset, labelsOffset + count)              (N)
//   pixels = bytes.subarray(pixelsOffset, pixelsOffset + count·height·width)  (N, H, W)
// Throws Error saying what is wrong (also checks every label < classes).
export function parseDatasetHeader(bytes) {
  if (!(bytes instanceof Uint8Array)) throw new TypeError('parseDatasetHeader expects a Uint8Array');
  const size = bytes.length;
  if (size < HEADER_BYTES) {
    throw new Error(`dataset file is too short for the AEDS header: need ${HEADER_BYTES} bytes, got ${size}`);
  }
  if (bytes[0] !== 0x41 || bytes[1] !== 0x45 || bytes[2] !== 0x44 || bytes[3] !== 0x53) {
    throw new Error(`not an AEDS dataset file (it should start with "AEDS")${REGENERATE}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, HEADER_BYTES);
  const version = view.getUint32(4, true);
  if (version !== DATASET_VERSION) {
    throw new Error(`unsupported AEDS version ${version}: this build reads version ${DATASET_VERSION}${REGENERATE}`);
  }
  const count = view.getUint32(8, true);
  const height = view.getUint32(12, true);
  const width = view.getUint32(16, true);
  const classes = view.getUint32(20, true);
  checkRange('count', count, 1, 0xffffffff);
  checkRange('height', height, 1, MAX_SIDE);
  checkRange('width', width, 1, MAX_SIDE);
  checkRange('classes', classes, 1, MAX_CLASSES);

  let name = '';
  for (let i = 24; i < HEADER_BYTES && bytes[i] !== 0; i++) {
    if (bytes[i] < 0x20 || bytes[i] > 0x7e) throw new Error(`dataset name is not printable ASCII${REGENERATE}`);
    name += String.fromCharCode(bytes[i]);
  }

  // At most 48 + 2^32 · (1 + 2^20) < 2^53: exact in a double.
  const labelsOffset = HEADER_BYTES;
  const pixelsOffset = labelsOffset + count;
  const expected = pixelsOffset + count * height * width;
  if (size < expected) throw new Error(`dataset file is truncated: expected ${expected} bytes, got ${size}${REGENERATE}`);
  if (size > expected) {
    throw new Error(`dataset file has ${size - expected} trailing bytes: expected ${expected} bytes, got ${size}`);
  }
  for (let i = 0; i < count; i++) {
    const label = bytes[labelsOffset + i];
    if (label >= classes) {
      throw new Error(`label ${label} of image ${i} is out of range: the file declares ${classes} classes`);
    }
  }
  return { name, count, height, width, classes, labelsOffset, pixelsOffset };
}

// "…/data/mnist-train.aeds.gz?v=2" → "…/data/mnist-train.aeds.gz" (url: string or URL).
const pathOf = (url) => String(url).split(/[?#]/)[0];
// The last path segment, for messages: "mnist-train.aeds.gz".
const fileName = (url) => pathOf(url).slice(pathOf(url).lastIndexOf('/') + 1) || pathOf(url);

const isGzip = (b) => b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;
const isAeds = (b) => b.length >= 4 && b[0] === 0x41 && b[1] === 0x45 && b[2] === 0x44 && b[3] === 0x53;

// Size of the whole file from the header at the start of chunks, or null if it is not AEDS.
function aedsSizeFromHead(chunks) {
  const head = new Uint8Array(HEADER_BYTES);
  let at = 0;
  for (const c of chunks) {
    const n = Math.min(c.length, HEADER_BYTES - at);
    head.set(c.subarray(0, n), at);
    if ((at += n) === HEADER_BYTES) break;
  }
  if (at < HEADER_BYTES || !isAeds(head)) return null;
  const v = new DataView(head.buffer);
  const count = v.getUint32(8, true);
  return HEADER_BYTES + count + count * v.getUint32(12, true) * v.getUint32(16, true);
}

async function gunzip(bytes) {
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

// Downloads a dataset file and returns its uncompressed, validated bytes (Uint8Array).
//   onProgress({ received, total })  after every chunk, in body bytes; total is null when unknown
// URLs ending in .gz are gunzipped with DecompressionStream. Some servers (Vite's dev server)
// send a .gz file with Content-Encoding: gzip, so fetch hands over the decoded file; that is
// recognised by the AEDS magic, and total then comes from the header rather than from
// Content-Length, which counts the encoded bytes. Every error message names the file.
export async function fetchDataset(url, { fetchImpl = globalThis.fetch, onProgress } = {}) {
  const file = fileName(url);
  let response;
  try {
    response = await fetchImpl(url);
  } catch (e) {
    throw new Error(`could not download ${file}: ${e?.message || e} (network error or server not reachable)`);
  }
  if (!response.ok) throw new Error(`could not download ${file}: HTTP ${response.status}`);
  // Vite's dev server answers a missing file with 200 and the app's index.html.
  if (/^text\/html/i.test(response.headers.get('Content-Type') ?? '')) {
    throw new Error(`could not download ${file}: the server sent an HTML page instead (file missing? run \`node datasets/prepare.mjs\`)`);
  }

  const lengthHeader = response.headers.get('Content-Length');
  const encoded = Boolean(response.headers.get('Content-Encoding'));
  const contentLength = lengthHeader !== null && /^\d+$/.test(lengthHeader.trim()) ? Number(lengthHeader) : null;
  let total = encoded ? null : contentLength;
  let sniffed = !encoded;

  const chunks = [];
  let received = 0;
  const reader = response.body?.getReader();
  for (;;) {
    let chunk = { done: true };
    try {
      if (reader) chunk = await reader.read();
    } catch (e) {
      throw new Error(`could not download ${file}: the connection failed after ${received} bytes (${e?.message || e})`);
    }
    if (chunk.done) break;
    chunks.push(chunk.value);
    received += chunk.value.length;
    if (!sniffed && received >= HEADER_BYTES) {
      total = aedsSizeFromHead(chunks);
      sniffed = true;
    }
    onProgress?.({ received, total });
  }
  // With Content-Encoding, Content-Length counts encoded bytes: parseDatasetHeader checks instead.
  if (!encoded && contentLength !== null && received !== contentLength) {
    throw new Error(`could not download ${file}: incomplete download, received ${received} of ${contentLength} bytes`);
  }

  let bytes = new Uint8Array(received);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.length;
  }

  if (/\.gz$/i.test(pathOf(url)) && !isAeds(bytes)) {
    if (!isGzip(bytes)) throw new Error(`${file} is not a valid gzip file (it does not start with the gzip signature)`);
    try {
      bytes = await gunzip(bytes);
    } catch (e) {
      throw new Error(`${file} is not a valid gzip file (${e?.message || e}); the download may be damaged`);
    }
  }
  try {
    parseDatasetHeader(bytes);
  } catch (e) {
    throw new Error(`${file}: ${e.message}`);
  }
  return bytes;
}
