// What a JPEG file spends its bytes on, read from its markers: the compression lab compares the
// autoencoder's code with JPEG both as whole files and as the entropy-coded payload alone (the
// scan data between each SOS header and the next marker), because on a 28×28 image the fixed
// header (quantisation and Huffman tables, frame and scan headers) is most of the file.
//
//   SOI (FFD8) · segments, each FFxx + a 2-byte length (APPn, DQT, SOF, DHT, SOS, …) · after each
//   SOS header its entropy-coded data, in which FF00 is a stuffed FF and FFD0–FFD7 are restart
//   markers (both counted as payload) · EOI (FFD9)
//
// The reference figures (applications-anchors.md) count the payload the same way.

/**
 * @param {Uint8Array} bytes a whole JPEG file
 * @returns {{file: number, payload: number, header: number, scans: number, markers: string[]}}
 *   file: its length; payload: bytes of entropy-coded data; header: the rest; scans: SOS count;
 *   markers: the markers in order ('D8', 'E0', 'DB', 'C0', 'C4', 'DA', 'D9', …), for tests
 */
export function jpegSegments(bytes) {
  const n = bytes.length;
  if (n < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) throw new Error('not a JPEG file: it does not start with the SOI marker FFD8');
  const markers = ['D8'];
  let pos = 2;
  let payload = 0;
  let scans = 0;
  for (;;) {
    if (pos >= n) throw new Error(`truncated JPEG file: no EOI marker (FFD9) after ${n} bytes`);
    if (bytes[pos] !== 0xff) throw new Error(`bad JPEG file: expected a marker at byte ${pos}, found ${hex(bytes[pos])}`);
    while (pos < n && bytes[pos] === 0xff) pos++; // fill bytes before a marker
    if (pos >= n) throw new Error(`truncated JPEG file: a marker is cut off at byte ${n}`);
    const marker = bytes[pos++];
    markers.push(hex(marker));
    if (marker === 0xd9) return { file: n, payload, header: n - payload, scans, markers };
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) continue; // markers without a length
    if (pos + 2 > n) throw new Error(`truncated JPEG file: the length of segment FF${hex(marker)} is cut off`);
    const length = (bytes[pos] << 8) | bytes[pos + 1];
    if (length < 2 || pos + length > n) throw new Error(`truncated JPEG file: segment FF${hex(marker)} at byte ${pos - 2} claims ${length} bytes, ${n - pos} remain`);
    pos += length;
    if (marker !== 0xda) continue;
    // Entropy-coded data up to the next marker that is neither a stuffed FF nor a restart.
    scans++;
    const start = pos;
    while (pos < n) {
      if (bytes[pos] !== 0xff) pos++;
      else if (pos + 1 < n && (bytes[pos + 1] === 0x00 || (bytes[pos + 1] >= 0xd0 && bytes[pos + 1] <= 0xd7))) pos += 2;
      else break;
    }
    payload += pos - start;
  }
}

const hex = (b) => b.toString(16).toUpperCase().padStart(2, '0');
