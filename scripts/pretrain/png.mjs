// A minimal PNG encoder (8-bit RGB, no interlace) on node's zlib, for the preview pictures of
// scripts/pretrain.mjs, plus a canvas that tiles grey 28×28 images into a picture.
import { crc32, deflateSync } from 'node:zlib';

function chunk(type, data) {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** PNG bytes of a width × height RGB image (rgb: width·height·3 bytes, row-major). */
export function encodePng(width, height, rgb) {
  const raw = Buffer.alloc(height * (1 + width * 3));
  for (let y = 0; y < height; y++) {
    raw[y * (1 + width * 3)] = 0; // filter: none
    Buffer.from(rgb.buffer, rgb.byteOffset + y * width * 3, width * 3).copy(raw, y * (1 + width * 3) + 1);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8 bits, RGB, deflate, no filter method, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** An RGB picture to draw tiles and dots into; `png()` encodes it. */
export class Canvas {
  constructor(width, height, background = [255, 255, 255]) {
    this.width = width;
    this.height = height;
    this.rgb = new Uint8Array(width * height * 3);
    for (let i = 0; i < width * height; i++) this.rgb.set(background, i * 3);
  }

  set(x, y, [r, g, b]) {
    if (x < 0 || y < 0 || x >= this.width || y >= this.height) return;
    this.rgb.set([r, g, b], (y * this.width + x) * 3);
  }

  /** A side × side grey image (values in [0, 1], white ink on black as MNIST stores it) at (x0, y0), each pixel scale × scale. */
  image(values, side, x0, y0, scale = 1) {
    for (let y = 0; y < side * scale; y++)
      for (let x = 0; x < side * scale; x++) {
        const v = Math.round(255 * Math.min(1, Math.max(0, values[Math.floor(y / scale) * side + Math.floor(x / scale)])));
        this.set(x0 + x, y0 + y, [v, v, v]);
      }
  }

  /** A filled square of side 2r + 1 centred on (x, y). */
  dot(x, y, r, colour) {
    for (let dy = -r; dy <= r; dy++) for (let dx = -r; dx <= r; dx++) this.set(Math.round(x) + dx, Math.round(y) + dy, colour);
  }

  png() {
    return encodePng(this.width, this.height, this.rgb);
  }
}
