// The GIF encoder, read back by an independent decoder (tests/web/gif-decode.js).
import { describe, expect, it } from 'vitest';

import { encodeGif, grayPalette, grayToIndices, lzwEncode } from '../../web/src/lib/gif.js';
import { uniformGenerator } from '../../web/src/lib/random.js';
import { decodeGif } from './gif-decode.js';

describe('GIF encoding', () => {
  it('writes a looping animation whose frames, palette and delay read back exactly', () => {
    const w = 6, h = 4;
    const frames = [0, 1, 2].map((k) => Uint8Array.from({ length: w * h }, (_, i) => (i * 37 + k * 91) % 256));
    const gif = encodeGif({ width: w, height: h, palette: grayPalette(), frames, delayMs: 80 });
    expect(String.fromCharCode(...gif.subarray(0, 6))).toBe('GIF89a');
    expect(gif.at(-1)).toBe(0x3b);
    const d = decodeGif(gif);
    expect([d.width, d.height, d.loops]).toEqual([w, h, 0]);
    expect(d.palette.length).toBe(768);
    expect(Array.from(d.palette.subarray(3 * 200, 3 * 201))).toEqual([200, 200, 200]);
    expect(d.frames.length).toBe(3);
    d.frames.forEach((f, i) => {
      expect(f.delayCs).toBe(8);
      expect(Array.from(f.indices)).toEqual(Array.from(frames[i]));
    });
  });

  it('plays once, n times or forever as browsers count (the NETSCAPE2.0 count is repeats after the first play)', () => {
    const frames = [new Uint8Array(4), new Uint8Array(4).fill(255)];
    const gif = (plays) => decodeGif(encodeGif({ width: 2, height: 2, palette: grayPalette(), frames, plays }));
    expect(gif(1).loops).toBeNull(); // no extension: one play ("play once" wrote 1 and looped twice)
    expect(gif(3).loops).toBe(2);
    expect(gif(Infinity).loops).toBe(0);
    expect(() => gif(0)).toThrow('GIF: plays must be Infinity or an integer in [1, 65536], got 0');
  });

  it('survives a full LZW table (noise forces clear codes) and long runs', () => {
    const rand = uniformGenerator(9);
    const noise = Uint8Array.from({ length: 160 * 120 }, () => Math.floor(rand() * 256));
    const runs = Uint8Array.from({ length: 160 * 120 }, (_, i) => (Math.floor(i / 700) % 2 ? 255 : 0));
    const d = decodeGif(encodeGif({ width: 160, height: 120, palette: grayPalette(), frames: [noise, runs] }));
    expect(Array.from(d.frames[0].indices)).toEqual(Array.from(noise));
    expect(Array.from(d.frames[1].indices)).toEqual(Array.from(runs));
  });

  it('compresses flat images to a few bytes and splits data into sub-blocks of at most 255', () => {
    const flat = new Uint8Array(112 * 112);
    const bytes = lzwEncode(flat).result();
    expect(bytes.length).toBeLessThan(300);
    expect(bytes[0]).toBe(8); // minimum code size
    let p = 1;
    while (bytes[p]) {
      expect(bytes[p]).toBeLessThanOrEqual(255);
      p += bytes[p] + 1;
    }
    expect(p).toBe(bytes.length - 1);
  });

  it('upscales grey images by pixel repetition into palette indices', () => {
    const img = Float32Array.from([0, 1, 0.5, 0.25]); // 2×2
    const idx = grayToIndices(img, 2, 2, 2);
    expect(Array.from(idx)).toEqual([0, 0, 255, 255, 0, 0, 255, 255, 128, 128, 64, 64, 128, 128, 64, 64]);
  });

  it('refuses frames of the wrong size and bad palettes with messages', () => {
    expect(() => encodeGif({ width: 2, height: 2, palette: grayPalette(), frames: [new Uint8Array(3)] })).toThrow(
      'GIF: frame 0 has 3 pixels, expected 2×2 = 4',
    );
    expect(() => encodeGif({ width: 2, height: 2, palette: new Uint8Array(9), frames: [new Uint8Array(4)] })).toThrow(/256 RGB entries/);
    expect(() => encodeGif({ width: 0, height: 2, palette: grayPalette(), frames: [] })).toThrow(/width and height/);
    expect(() => encodeGif({ width: 2, height: 2, palette: grayPalette(), frames: [] })).toThrow('GIF: needs at least one frame');
  });
});
