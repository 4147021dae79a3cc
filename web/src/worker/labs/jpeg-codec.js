// JPEG encoded and decoded in the worker, for the compression lab's rate–distortion chart: each
// 28×28 image is put on an OffscreenCanvas as grey pixels, encoded by the browser
// (convertToBlob, image/jpeg, at each quality), its bytes counted (the whole file, and the
// entropy-coded payload read from the markers: lib/jpeg.js), and decoded back with
// createImageBitmap to measure what was lost. The browser's encoder is libjpeg(-turbo) writing a
// baseline JPEG with standard tables; it encodes a canvas as colour (YCbCr, three components),
// so its header is larger than a greyscale file's and its payload carries two (nearly empty)
// chroma channels: the chart says so.
import { jpegSegments } from '../../lib/jpeg.js';

/** Whether this worker can encode JPEG (OffscreenCanvas with convertToBlob, createImageBitmap). */
export function canEncodeJpeg() {
  return typeof OffscreenCanvas === 'function' && typeof OffscreenCanvas.prototype.convertToBlob === 'function' && typeof createImageBitmap === 'function';
}

/**
 * Encodes and decodes images at several qualities.
 * @param {Float32Array} images (n·H·W) grey levels in [0, 1]
 * @param {number} n
 * @param {number[]} qualities in (0, 100]
 * @param {{width?: number, height?: number, between?: () => Promise<void>}} [o] between(): awaited
 *   after each image (the lab's slice boundary: it may throw to cancel)
 * @returns {Promise<{quality: number, file: number, payload: number, decoded: Float32Array}[]>}
 *   per quality: bytes summed over the n images, and the decoded images (n·H·W)
 */
export async function jpegRoundTrip(images, n, qualities, { width = 28, height = 28, between = async () => {} } = {}) {
  if (!canEncodeJpeg()) throw new Error('this browser cannot encode JPEG in a worker (OffscreenCanvas.convertToBlob)');
  const d = width * height;
  const canvas = new OffscreenCanvas(width, height);
  const g = canvas.getContext('2d');
  const back = new OffscreenCanvas(width, height);
  const gb = back.getContext('2d', { willReadFrequently: true });
  const out = qualities.map((quality) => ({ quality, file: 0, payload: 0, decoded: new Float32Array(n * d) }));
  const rgba = g.createImageData(width, height);
  for (let i = 0; i < n; i++) {
    for (let p = 0; p < d; p++) {
      const v = Math.round(Math.min(1, Math.max(0, images[i * d + p])) * 255);
      rgba.data[4 * p] = rgba.data[4 * p + 1] = rgba.data[4 * p + 2] = v;
      rgba.data[4 * p + 3] = 255;
    }
    g.putImageData(rgba, 0, 0);
    for (const o of out) {
      const blob = await canvas.convertToBlob({ type: 'image/jpeg', quality: o.quality / 100 });
      const bytes = new Uint8Array(await blob.arrayBuffer());
      const seg = jpegSegments(bytes);
      o.file += seg.file;
      o.payload += seg.payload;
      const bitmap = await createImageBitmap(blob, { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
      gb.clearRect(0, 0, width, height);
      gb.drawImage(bitmap, 0, 0);
      bitmap.close();
      const px = gb.getImageData(0, 0, width, height).data;
      for (let p = 0; p < d; p++) o.decoded[i * d + p] = (px[4 * p] + px[4 * p + 1] + px[4 * p + 2]) / (3 * 255);
    }
    await between();
  }
  return out;
}
