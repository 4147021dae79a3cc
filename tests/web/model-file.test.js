// Model files through the real WASM binding, as the page's worker will use them:
// saveModel(historyJson, withOptimizer) → Uint8Array, loadModel(Uint8Array) → history JSON,
// exportNpz() → Uint8Array; every refusal arrives as a JS Error with the engine's message and
// leaves the loaded model as it was. (Byte-level behaviour: tests/engine/test_model_file.cpp.)
import { beforeAll, describe, expect, it } from 'vitest';

import { loadModule } from './engine-module.js';
import { bars } from './toy-aeds.js';

const MODEL = { variant: 'dense', input: [1, 4, 4], encoder: [8], latent: 2 };
const TRAIN = { optimizer: 'adam', lr: 0.01, batch_size: 8, seed: 5 };

function trained(module, steps) {
  const e = new module.Engine();
  e.configure(JSON.stringify(MODEL), JSON.stringify(TRAIN));
  e.loadDataset('train', bars(40));
  e.trainSteps(steps);
  return e;
}

const losses = (e, n) => Array.from({ length: n }, () => e.trainSteps(1).loss.total);

let module;
beforeAll(async () => {
  module = await loadModule();
});

describe('saveModel / loadModel', () => {
  it('round-trips weights, history and the training position: training continues identically', () => {
    const a = trained(module, 7);
    const bytes = a.saveModel(JSON.stringify({ curve: [3, 2, 1] }), true);
    expect(bytes).toBeInstanceOf(Uint8Array);
    expect(String.fromCharCode(...bytes.subarray(0, 4))).toBe('AEMF');

    const b = new module.Engine();
    b.loadDataset('train', bars(40));
    expect(JSON.parse(b.loadModel(bytes))).toEqual({ curve: [3, 2, 1] });
    expect(b.info()).toMatchObject({ step: 7, epoch: 1, latentSize: 2 });
    const x = new Float32Array(16).fill(0.5);
    expect(Array.from(b.reconstruct(x, 1))).toEqual(Array.from(a.reconstruct(x, 1)));
    expect(losses(b, 6)).toEqual(losses(a, 6));
    a.delete();
    b.delete();
  });

  it('leaves out optimizer state when asked, giving a smaller file', () => {
    const a = trained(module, 3);
    const full = a.saveModel('', true);
    const light = a.saveModel('', false);
    expect(light.length).toBeLessThan(full.length);
    const b = new module.Engine();
    expect(b.loadModel(light)).toBe('null');
    a.delete();
    b.delete();
  });

  it('refuses damaged files with an Error that says why, keeping the current model', () => {
    const a = trained(module, 3);
    const good = a.saveModel('[]', true);
    const b = trained(module, 1);
    const x = new Float32Array(16).fill(0.25);
    const before = Array.from(b.reconstruct(x, 1));

    expect(() => b.loadModel(good.subarray(0, good.length - 10))).toThrow(/^model file: truncated: the file has \d+ bytes/);
    const flipped = good.slice();
    flipped[good.length - 20] ^= 0xff;
    expect(() => b.loadModel(flipped)).toThrow(/model file: corrupted: checksum mismatch in tensor '/);
    const newer = good.slice();
    newer[4] = 9;
    expect(() => b.loadModel(newer)).toThrow(/newer format version: the file is version 9 but this build reads version 1/);
    expect(() => b.loadModel(bars(4))).toThrow(/not an AEMF model file: this is a dataset file/);
    expect(() => b.loadModel(good.buffer)).toThrow(/loadModel expects a Uint8Array/);
    let caught;
    try {
      b.loadModel(new Uint8Array(0));
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(Error);
    expect(caught.message).toMatch(/model file: truncated: the file is empty/);

    expect(Array.from(b.reconstruct(x, 1))).toEqual(before);
    expect(b.info().step).toBe(1);
    expect(() => a.saveModel('{not json', true)).toThrow(/the history to save is not valid JSON/);
    a.delete();
    b.delete();
  });
});

describe('exportNpz', () => {
  it('returns a ZIP of .npy arrays', () => {
    const a = trained(module, 2);
    const z = a.exportNpz();
    expect(String.fromCharCode(z[0], z[1], z[2], z[3])).toBe('PK\x03\x04');
    const text = new TextDecoder('latin1').decode(z);
    for (const name of ['encoder.0.weight.npy', 'decoder.2.bias.npy', 'model_config.npy']) expect(text).toContain(name);
    a.delete();
    const none = new module.Engine();
    expect(() => none.exportNpz()).toThrow(/no model to export/);
    none.delete();
  });
});
