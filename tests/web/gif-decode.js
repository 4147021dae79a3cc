// A GIF89a reader for the tests: enough to check what lib/gif.js writes (global palette,
// NETSCAPE looping, graphic-control delays, LZW image data) without trusting the encoder.
export function decodeGif(bytes) {
  let p = 0;
  const u8 = () => bytes[p++];
  const u16 = () => bytes[p++] | (bytes[p++] << 8);
  const ascii = (n) => String.fromCharCode(...bytes.subarray(p, (p += n)));
  const header = ascii(6);
  if (header !== 'GIF89a') throw new Error(`not a GIF89a file: '${header}'`);
  const width = u16(), height = u16();
  const packed = u8();
  p += 2;
  const gctSize = packed & 0x80 ? 3 * (1 << ((packed & 7) + 1)) : 0;
  const palette = bytes.slice(p, p + gctSize);
  p += gctSize;
  const frames = [];
  let loops = null;
  let delayCs = null;
  for (;;) {
    const b = u8();
    if (b === 0x3b) break;
    if (b === 0x21) {
      const label = u8();
      const blocks = [];
      for (let n = u8(); n; n = u8()) blocks.push(bytes.slice(p, (p += n)));
      if (label === 0xf9) delayCs = blocks[0][1] | (blocks[0][2] << 8);
      if (label === 0xff && String.fromCharCode(...blocks[0]) === 'NETSCAPE2.0') loops = blocks[1][1] | (blocks[1][2] << 8);
      continue;
    }
    if (b !== 0x2c) throw new Error(`unexpected block 0x${b.toString(16)} at byte ${p - 1}`);
    p += 4;
    const w = u16(), h = u16();
    const flags = u8();
    if (flags & 0x80) throw new Error('local colour tables are not expected');
    const minCodeSize = u8();
    const chunks = [];
    for (let n = u8(); n; n = u8()) chunks.push(bytes.slice(p, (p += n)));
    const data = new Uint8Array(chunks.reduce((a, c) => a + c.length, 0));
    let o = 0;
    for (const c of chunks) {
      data.set(c, o);
      o += c.length;
    }
    frames.push({ width: w, height: h, delayCs, indices: lzwDecode(data, minCodeSize, w * h) });
  }
  return { width, height, palette, loops, frames };
}

function lzwDecode(data, minCodeSize, count) {
  const clear = 1 << minCodeSize, eoi = clear + 1;
  const out = new Uint8Array(count);
  let o = 0;
  let size = minCodeSize + 1;
  let dict = [];
  const reset = () => {
    dict = [];
    for (let i = 0; i < clear; i++) dict.push([i]);
    dict.push(null, null);
    size = minCodeSize + 1;
  };
  reset();
  let bitPos = 0;
  let prev = null;
  const read = () => {
    let code = 0;
    for (let i = 0; i < size; i++, bitPos++) if (data[bitPos >> 3] & (1 << (bitPos & 7))) code |= 1 << i;
    return code;
  };
  for (;;) {
    if (bitPos + size > data.length * 8) throw new Error('image data ended before the end-of-information code');
    const code = read();
    if (code === clear) {
      reset();
      prev = null;
      continue;
    }
    if (code === eoi) break;
    let entry;
    if (code < dict.length && dict[code]) entry = dict[code];
    else if (code === dict.length && prev) entry = [...prev, prev[0]];
    else throw new Error(`bad LZW code ${code} (dictionary has ${dict.length})`);
    for (const v of entry) out[o++] = v;
    if (prev) dict.push([...prev, entry[0]]);
    prev = entry;
    if (dict.length === 1 << size && size < 12) size++;
  }
  if (o !== count) throw new Error(`decoded ${o} pixels, expected ${count}`);
  return out;
}
