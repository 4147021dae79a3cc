// web/src/lib/dataset-file.js: header parsing and its refusals (the same cases as
// tests/engine/test_dataset_file.cpp), fetchDataset against an injected fetch, and the real
// prepared MNIST test set when `node datasets/prepare.mjs` has run.
import { existsSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { fetchDataset, parseDatasetHeader } from '../../web/src/lib/dataset-file.js';

// A valid file of N images of H×W: label i % classes, pixel j of image i = (i·31 + j) mod 256.
function makeFile(n, h, w, classes, name = 'tiny') {
  const b = new Uint8Array(48 + n + n * h * w);
  const v = new DataView(b.buffer);
  b.set([0x41, 0x45, 0x44, 0x53], 0);  // "AEDS"
  [1, n, h, w, classes].forEach((x, i) => v.setUint32(4 + 4 * i, x, true));
  for (let i = 0; i < name.length; i++) b[24 + i] = name.charCodeAt(i);
  for (let i = 0; i < n; i++) b[48 + i] = i % classes;
  for (let i = 0; i < n; i++) for (let j = 0; j < h * w; j++) b[48 + n + i * h * w + j] = (i * 31 + j) % 256;
  return b;
}
const setU32 = (b, at, x) => new DataView(b.buffer, b.byteOffset).setUint32(at, x, true);

describe('parseDatasetHeader', () => {
  it('reads the header of a synthetic file and locates labels and pixels', () => {
    const b = makeFile(5, 3, 2, 4);
    const h = parseDatasetHeader(b);
    expect(h).toEqual({ name: 'tiny', count: 5, height: 3, width: 2, classes: 4, labelsOffset: 48, pixelsOffset: 53 });
    expect([...b.subarray(h.labelsOffset, h.labelsOffset + h.count)]).toEqual([0, 1, 2, 3, 0]);
    expect(b[h.pixelsOffset + 1 * 6 + 2]).toBe((1 * 31 + 2) % 256);  // image 1, row 1, column 0
  });

  it('works on a view that does not start at byte 0 of its buffer', () => {
    const inner = makeFile(2, 2, 2, 2, 'offset');
    const outer = new Uint8Array(inner.length + 7);
    outer.set(inner, 7);
    expect(parseDatasetHeader(outer.subarray(7)).name).toBe('offset');
  });

  it('reads a name that fills all 24 bytes', () => {
    expect(parseDatasetHeader(makeFile(1, 1, 1, 1, 'x'.repeat(24))).name).toBe('x'.repeat(24));
  });

  describe('refuses', () => {
    const good = () => makeFile(4, 2, 2, 3);

    it('a file too short for the header', () => {
      expect(() => parseDatasetHeader(good().subarray(0, 47))).toThrow('too short for the AEDS header: need 48 bytes, got 47');
      expect(() => parseDatasetHeader(new Uint8Array(0))).toThrow('got 0');
    });
    it('a bad magic', () => {
      const b = good();
      b.set([0x50, 0x4b], 0);
      expect(() => parseDatasetHeader(b)).toThrow('not an AEDS dataset file');
    });
    it('a version newer than 1, and version 0', () => {
      const b = good();
      setU32(b, 4, 2);
      expect(() => parseDatasetHeader(b)).toThrow('unsupported AEDS version 2');
      setU32(b, 4, 0);
      expect(() => parseDatasetHeader(b)).toThrow('unsupported AEDS version 0');
    });
    it.each([
      ['count', 0, 8],
      ['height', 0, 12],
      ['width', 0, 16],
      ['classes', 0, 20],
      ['height', 1025, 12],
      ['width', 100000, 16],
      ['classes', 257, 20],
    ])('%s = %i (zero or absurd dimensions)', (field, value, at) => {
      const b = good();
      setU32(b, at, value);
      expect(() => parseDatasetHeader(b)).toThrow(`invalid dataset dimensions: ${field} is ${value}`);
    });
    it('a truncated file', () => {
      const b = good();
      expect(() => parseDatasetHeader(b.subarray(0, b.length - 1))).toThrow(
        `truncated: expected ${b.length} bytes, got ${b.length - 1}`);
    });
    it('a huge count in a small file (truncated, computed without overflow)', () => {
      const b = good();
      setU32(b, 8, 0xffffffff);
      expect(() => parseDatasetHeader(b)).toThrow('truncated: expected 21474836523 bytes');
    });
    it('trailing bytes', () => {
      const b = good();
      const longer = new Uint8Array(b.length + 2);
      longer.set(b);
      expect(() => parseDatasetHeader(longer)).toThrow('2 trailing bytes');
    });
    it('a label >= classes', () => {
      const b = good();
      b[48 + 2] = 3;
      expect(() => parseDatasetHeader(b)).toThrow('label 3 of image 2 is out of range: the file declares 3 classes');
    });
    it('a name that is not printable ASCII', () => {
      const b = good();
      b[25] = 0xc3;
      expect(() => parseDatasetHeader(b)).toThrow('not printable ASCII');
    });
    it('something that is not a Uint8Array', () => {
      expect(() => parseDatasetHeader(good().buffer)).toThrow(TypeError);
    });
  });
});

// fetch stand-in: serves body (Uint8Array) with the given status and headers, in chunks.
function fakeFetch(body, { status = 200, headers = {}, chunk = 1000 } = {}) {
  const calls = [];
  const impl = async (url) => {
    calls.push(String(url));
    const stream = new ReadableStream({
      start(controller) {
        for (let i = 0; i < body.length; i += chunk) controller.enqueue(body.slice(i, i + chunk));
        controller.close();
      },
    });
    return new Response(stream, { status, headers });
  };
  impl.calls = calls;
  return impl;
}

describe('fetchDataset', () => {
  const raw = makeFile(50, 8, 8, 10, 'synthetic');
  const gz = new Uint8Array(gzipSync(raw, { level: 9 }));

  it('downloads, reports progress, gunzips and validates', async () => {
    const events = [];
    const fetchImpl = fakeFetch(gz, { headers: { 'Content-Length': String(gz.length) }, chunk: 300 });
    const bytes = await fetchDataset('/data/synthetic.aeds.gz', { fetchImpl, onProgress: (e) => events.push(e) });
    expect(bytes).toEqual(raw);
    expect(fetchImpl.calls).toEqual(['/data/synthetic.aeds.gz']);
    expect(events.length).toBe(Math.ceil(gz.length / 300));
    expect(events.at(-1)).toEqual({ received: gz.length, total: gz.length });
    expect(events.every((e, i) => i === 0 || e.received > events[i - 1].received)).toBe(true);
  });

  it('reports total null without Content-Length', async () => {
    const events = [];
    await fetchDataset('x.aeds.gz', { fetchImpl: fakeFetch(gz), onProgress: (e) => events.push(e) });
    expect(events.at(-1)).toEqual({ received: gz.length, total: null });
  });

  it('reads an uncompressed file when the URL does not end in .gz', async () => {
    expect(await fetchDataset('/data/synthetic.aeds', { fetchImpl: fakeFetch(raw) })).toEqual(raw);
  });

  it('accepts a .gz the server already decoded (Content-Encoding: gzip, as Vite dev sends)', async () => {
    // fetch decodes such a body itself; Content-Length still counts the encoded bytes.
    const events = [];
    const fetchImpl = fakeFetch(raw, { headers: { 'Content-Encoding': 'gzip', 'Content-Length': String(gz.length) }, chunk: 20 });
    const bytes = await fetchDataset('/data/synthetic.aeds.gz?v=1', { fetchImpl, onProgress: (e) => events.push(e) });
    expect(bytes).toEqual(raw);
    expect(events.slice(0, 2).map((e) => e.total)).toEqual([null, null]);  // header not complete yet
    expect(events[2]).toEqual({ received: 60, total: raw.length });        // total from the header
    expect(events.at(-1)).toEqual({ received: raw.length, total: raw.length });
  });

  it('names the file and the HTTP status on 404', async () => {
    const fetchImpl = fakeFetch(new TextEncoder().encode('Not Found'), { status: 404 });
    await expect(fetchDataset('/data/mnist-train.aeds.gz', { fetchImpl }))
      .rejects.toThrow('could not download mnist-train.aeds.gz: HTTP 404');
  });

  it('names the file on a network failure', async () => {
    const fetchImpl = async () => { throw new TypeError('Failed to fetch'); };
    await expect(fetchDataset('https://example.test/data/mnist-test.aeds.gz', { fetchImpl }))
      .rejects.toThrow(/could not download mnist-test\.aeds\.gz: Failed to fetch/);
  });

  it('says the file is missing when the server falls back to an HTML page', async () => {
    const fetchImpl = fakeFetch(new TextEncoder().encode('<!doctype html>'), { headers: { 'Content-Type': 'text/html' } });
    await expect(fetchDataset('/data/mnist-train.aeds.gz', { fetchImpl }))
      .rejects.toThrow('could not download mnist-train.aeds.gz: the server sent an HTML page instead (file missing?');
  });

  it('names the file when the connection drops mid-body', async () => {
    let pulls = 0;
    const fetchImpl = async () => new Response(new ReadableStream({
      pull(controller) {
        if (pulls++ === 0) controller.enqueue(gz.slice(0, 100));
        else controller.error(new TypeError('network error'));
      },
    }));
    await expect(fetchDataset('/data/synthetic.aeds.gz', { fetchImpl }))
      .rejects.toThrow('could not download synthetic.aeds.gz: the connection failed after 100 bytes (network error)');
  });

  it('refuses a body that is not gzip', async () => {
    const fetchImpl = fakeFetch(new TextEncoder().encode('<!doctype html><p>SPA fallback page</p>'));
    await expect(fetchDataset('/data/mnist-train.aeds.gz', { fetchImpl }))
      .rejects.toThrow('mnist-train.aeds.gz is not a valid gzip file');
  });

  it('refuses corrupt gzip data', async () => {
    const bad = gz.slice();
    for (let i = 12; i < 40; i++) bad[i] ^= 0x5a;
    await expect(fetchDataset('/data/synthetic.aeds.gz', { fetchImpl: fakeFetch(bad) }))
      .rejects.toThrow(/synthetic\.aeds\.gz is not a valid gzip file \(.+\)/);
  });

  it('refuses a cut-off gzip body', async () => {
    await expect(fetchDataset('/data/synthetic.aeds.gz', { fetchImpl: fakeFetch(gz.subarray(0, gz.length >> 1)) }))
      .rejects.toThrow('synthetic.aeds.gz is not a valid gzip file');
  });

  it('refuses a body shorter than its Content-Length', async () => {
    const fetchImpl = fakeFetch(gz.subarray(0, 100), { headers: { 'Content-Length': String(gz.length) } });
    await expect(fetchDataset('/data/synthetic.aeds.gz', { fetchImpl }))
      .rejects.toThrow(`could not download synthetic.aeds.gz: incomplete download, received 100 of ${gz.length} bytes`);
  });

  it('wraps format errors with the file name', async () => {
    const truncated = new Uint8Array(gzipSync(raw.subarray(0, raw.length - 10)));
    await expect(fetchDataset('/data/synthetic.aeds.gz', { fetchImpl: fakeFetch(truncated) }))
      .rejects.toThrow(/^synthetic\.aeds\.gz: dataset file is truncated: expected \d+ bytes/);
    const v2 = raw.slice();
    setU32(v2, 4, 2);
    await expect(fetchDataset('/data/synthetic.aeds', { fetchImpl: fakeFetch(v2) }))
      .rejects.toThrow('synthetic.aeds: unsupported AEDS version 2');
  });
});

const REAL = new URL('../../web/public/data/mnist-test.aeds.gz', import.meta.url);

describe('the prepared MNIST test set', () => {
  it('has 10,000 images of 28×28 and image 0 is a 7', async () => {
    // The prepared data are part of the setup: missing data fail here rather than skip.
    expect(existsSync(REAL), `${REAL.pathname} is missing: run npm run setup`).toBe(true);
    const gzBytes = new Uint8Array(readFileSync(REAL));
    const fetchImpl = fakeFetch(gzBytes, { headers: { 'Content-Length': String(gzBytes.length) }, chunk: 1 << 16 });
    const bytes = await fetchDataset('/data/mnist-test.aeds.gz', { fetchImpl });
    const h = parseDatasetHeader(bytes);
    expect(h).toMatchObject({ name: 'mnist', count: 10000, height: 28, width: 28, classes: 10 });
    expect(bytes.length).toBe(48 + 10000 + 10000 * 28 * 28);
    const labels = bytes.subarray(h.labelsOffset, h.labelsOffset + h.count);
    expect([...labels.subarray(0, 5)]).toEqual([7, 2, 1, 0, 4]);
    const hist = new Array(10).fill(0);
    for (const l of labels) hist[l]++;
    expect(hist).toEqual([980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
  });
});
