// A small animated-GIF encoder (GIF89a, one global 256-entry palette, LZW), enough to export
// the interpolation as a looping animation. Pure: runs in the page, in workers and in Node.
//
//   const gif = encodeGif({ width, height, palette: grayPalette(), frames: [indices…], delayMs: 80 });
//   new Blob([gif], { type: 'image/gif' })
//
// Format: W3C/CompuServe "Graphics Interchange Format 89a"; looping through the NETSCAPE2.0
// application extension. Each frame's pixels are palette indices (Uint8Array, width·height).

/** 256 grey levels: index i is (i, i, i). */
export function grayPalette() {
  const p = new Uint8Array(256 * 3);
  for (let i = 0; i < 256; i++) p[3 * i] = p[3 * i + 1] = p[3 * i + 2] = i;
  return p;
}

/**
 * Grey image in [0, 1] (h·w floats) → palette indices, each pixel repeated `scale`×`scale`
 * (nearest-neighbour upscaling, like CSS `image-rendering: pixelated`).
 */
export function grayToIndices(pixels, width, height, scale = 1) {
  const W = width * scale;
  const out = new Uint8Array(W * height * scale);
  for (let y = 0; y < height * scale; y++) {
    const sy = Math.floor(y / scale);
    for (let x = 0; x < W; x++) {
      const v = pixels[sy * width + Math.floor(x / scale)];
      out[y * W + x] = Math.max(0, Math.min(255, Math.round(v * 255)));
    }
  }
  return out;
}

class ByteWriter {
  constructor() {
    this.buf = new Uint8Array(1 << 16);
    this.length = 0;
  }
  byte(b) {
    if (this.length === this.buf.length) {
      const next = new Uint8Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.length++] = b;
  }
  bytes(arr) {
    for (const b of arr) this.byte(b);
  }
  u16(v) {
    this.byte(v & 0xff);
    this.byte((v >> 8) & 0xff);
  }
  ascii(s) {
    for (let i = 0; i < s.length; i++) this.byte(s.charCodeAt(i));
  }
  result() {
    return this.buf.slice(0, this.length);
  }
}

/**
 * LZW-compresses palette indices into GIF image data: the minimum code size byte, then the
 * codes packed least-significant bit first into sub-blocks of at most 255 bytes, then a 0.
 */
export function lzwEncode(indices, minCodeSize = 8, w = new ByteWriter()) {
  const clear = 1 << minCodeSize;
  const eoi = clear + 1;
  let codeSize = minCodeSize + 1;
  let next = eoi + 1;
  let table = new Map(); // (prefix code << 8 | index) → code

  const block = new Uint8Array(255);
  let blockLen = 0;
  let acc = 0; // bit accumulator
  let bits = 0;
  const flushByte = (b) => {
    block[blockLen++] = b;
    if (blockLen === 255) {
      w.byte(255);
      w.bytes(block);
      blockLen = 0;
    }
  };
  const emit = (code) => {
    acc |= code << bits;
    bits += codeSize;
    while (bits >= 8) {
      flushByte(acc & 0xff);
      acc >>>= 8;
      bits -= 8;
    }
  };

  w.byte(minCodeSize);
  emit(clear);
  if (indices.length) {
    let prefix = indices[0];
    for (let i = 1; i < indices.length; i++) {
      const k = indices[i];
      const key = (prefix << 8) | k;
      const code = table.get(key);
      if (code !== undefined) {
        prefix = code;
        continue;
      }
      emit(prefix);
      if (next === 4096) {
        // Table full: start over, as a decoder will when it reads the clear code.
        emit(clear);
        table = new Map();
        next = eoi + 1;
        codeSize = minCodeSize + 1;
      } else {
        // The decoder adds each entry one code later than we do, so widen before this entry
        // would need the extra bit.
        if (next >= 1 << codeSize) codeSize++;
        table.set(key, next++);
      }
      prefix = k;
    }
    emit(prefix);
  }
  emit(eoi);
  if (bits > 0) flushByte(acc & 0xff);
  if (blockLen) {
    w.byte(blockLen);
    w.bytes(block.subarray(0, blockLen));
  }
  w.byte(0); // block terminator
  return w;
}

/**
 * @param {object} o
 * @param {number} o.width
 * @param {number} o.height
 * @param {Uint8Array} o.palette 256·3 bytes RGB
 * @param {Uint8Array[]} o.frames palette indices, width·height each
 * @param {number} [o.delayMs] per frame (GIF stores hundredths of a second)
 * @param {number} [o.plays] how many times the animation plays: Infinity = forever, 1 = once
 * @returns {Uint8Array} the .gif file
 */
export function encodeGif({ width, height, palette, frames, delayMs = 100, plays = Infinity }) {
  if (!(Number.isInteger(width) && Number.isInteger(height) && width >= 1 && height >= 1 && width < 65536 && height < 65536)) {
    throw new Error(`GIF: width and height must be integers in [1, 65535], got ${width}×${height}`);
  }
  if (!palette || palette.length !== 768) throw new Error(`GIF: the palette must have 256 RGB entries (768 bytes), got ${palette?.length}`);
  if (!frames?.length) throw new Error('GIF: needs at least one frame');
  frames.forEach((f, i) => {
    if (f.length !== width * height) throw new Error(`GIF: frame ${i} has ${f.length} pixels, expected ${width}×${height} = ${width * height}`);
  });
  if (!(plays === Infinity || (Number.isInteger(plays) && plays >= 1 && plays <= 65536))) {
    throw new Error(`GIF: plays must be Infinity or an integer in [1, 65536], got ${plays}`);
  }
  const delay = Math.max(2, Math.min(65535, Math.round(delayMs / 10)));
  const w = new ByteWriter();
  w.ascii('GIF89a');
  w.u16(width);
  w.u16(height);
  w.byte(0xf7); // global colour table, 8 bits per primary, 2^(7+1) = 256 entries
  w.byte(0); // background colour index
  w.byte(0); // pixel aspect ratio: unspecified
  w.bytes(palette);
  // The NETSCAPE2.0 extension's count is how many times the animation REPEATS after its first
  // play (0: forever), as browsers read it; without the extension it plays once. So "once" writes
  // no extension at all (a count of 1 would play it twice).
  if (frames.length > 1 && plays !== 1) {
    w.bytes([0x21, 0xff, 11]);
    w.ascii('NETSCAPE2.0');
    w.bytes([3, 1]);
    w.u16(plays === Infinity ? 0 : plays - 1);
    w.byte(0);
  }
  for (const f of frames) {
    w.bytes([0x21, 0xf9, 4, 0x04]); // graphic control: disposal 1 (leave in place), no transparency
    w.u16(delay);
    w.bytes([0, 0]);
    w.byte(0x2c); // image descriptor
    w.u16(0);
    w.u16(0);
    w.u16(width);
    w.u16(height);
    w.byte(0); // no local colour table, not interlaced
    lzwEncode(f, 8, w);
  }
  w.byte(0x3b); // trailer
  return w.result();
}
