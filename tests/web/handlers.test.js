// The worker's handlers, driven exactly as worker.js drives them, against the real WASM engine.
import { beforeAll, describe, expect, it } from 'vitest';

import { Event, Request } from '../../web/src/protocol.js';
import { SEED_MODEL, SEED_TRAIN } from '../../web/src/lib/presets.js';
import { HANDLERS, errorOf } from '../../web/src/worker/handlers.js';
import { configure } from '../../web/src/worker/model-life.js';
import { decode } from '../../web/src/worker/inference.js';
import { loadModule } from './engine-module.js';
import { makeHost, waitFor } from './worker-host.js';

const SMALL_MODEL = { ...SEED_MODEL, encoder: [32], latent: 4 };



let module;
beforeAll(async () => {
  module = await loadModule();
});

describe('engine binding', () => {
  it('reports C++ errors as JS Error objects carrying the message, and stays usable', () => {
    const engine = new module.Engine();
    let caught;
    try {
      engine.configure(JSON.stringify({ ...SEED_MODEL, latent: 0 }), '{}');
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(Error);
    expect(caught.message).toMatch(/'latent' must be an integer in \[1/);
    engine.configure(JSON.stringify(SMALL_MODEL), JSON.stringify(SEED_TRAIN));
    expect(engine.info().latentSize).toBe(4);
    expect(() => engine.reconstruct(new Float32Array(5), 1)).toThrow(/expected 1 x 784 = 784 values, got 5/);
    expect(() => engine.loadDataset('train', new Uint8Array([1, 2, 3]))).toThrow(/too short|AEDS/);
    engine.delete();
  });

  it('uses the SIMD kernel in the WASM build', () => {
    const engine = new module.Engine();
    expect(engine.info().backend).toBe('wasm-simd128');
    engine.delete();
  });
});

describe('worker handlers', () => {
  it('answer every request type of the protocol, one handler each, and nothing else', () => {
    expect([...HANDLERS.keys()].sort()).toEqual(Object.values(Request).sort());
    for (const fn of HANDLERS.values()) expect(typeof fn).toBe('function');
  });

  it('are plain functions over the shared context, callable without a worker', async () => {
    const { host } = makeHost(module);
    const r = await configure(host, { model: SMALL_MODEL, train: SEED_TRAIN, dataset: 'mnist' });
    expect(r.info.latentSize).toBe(4);
    expect(host.model).toEqual(SMALL_MODEL);
    expect(host.dataset).toBe('mnist');
    const out = decode(host, { codes: new Float32Array(4), n: 1 });
    expect(out.result.pixels).toHaveLength(784);
    expect(out.buffers).toEqual([out.result.pixels.buffer]);
  });

  it("reply with the error's message, and its code and numbers when the engine gave them", async () => {
    expect(errorOf(new Error('plain'))).toEqual({ message: 'plain' });
    const coded = Object.assign(new Error('training diverged'), { code: 'diverged', params: { step: 3, value: NaN, term: 'total' } });
    expect(errorOf(coded)).toEqual({ message: 'training diverged', code: 'diverged', params: { step: 3, value: NaN, term: 'total' } });
    const { handle, posted } = makeHost(module);
    await handle({ type: Request.CONFIGURE, id: 7, model: { ...SEED_MODEL, latent: 0 }, train: SEED_TRAIN });
    const reply = posted.find((m) => m.id === 7);
    expect(reply.ok).toBe(false);
    expect(reply.error.message).toMatch(/'latent' must be an integer/);
  });

  it('configures, loads the real MNIST test set, and reconstructs', async () => {
    const { call, events } = makeHost(module);
    const { info } = await call(Request.INIT);
    expect(info.configured).toBe(false);
    const r = await call(Request.CONFIGURE, { model: SEED_MODEL, train: SEED_TRAIN });
    expect(r.info.parameterCount).toBe(644804);
    const test = await call(Request.LOAD_DATASET, { dataset: 'mnist', split: 'test' });
    expect(test).toMatchObject({ name: 'mnist', count: 10000, height: 28, width: 28, classes: 10 });
    // The download's progress in bytes (it read "NaN MB" when the callback's arguments disagreed).
    const progress = events(Event.DATASET_PROGRESS);
    expect(progress.length).toBeGreaterThan(0);
    for (const p of progress) {
      expect(p.split).toBe('test');
      expect(Number.isInteger(p.loaded) && p.loaded > 0).toBe(true);
      expect(p.total).toBe(progress.at(-1).loaded); // the server sent Content-Length
    }
    const imgs = await call(Request.IMAGES, { split: 'test', indices: [0, 1, 2] });
    expect(Array.from(imgs.labels)).toEqual([7, 2, 1]);
    const rec = await call(Request.RECONSTRUCT, { pixels: imgs.pixels, n: 3 });
    expect(rec.pixels).toBeInstanceOf(Float32Array);
    expect(rec.pixels.length).toBe(3 * 784);
    expect(rec.codes.length).toBe(3 * 20);
    for (const v of rec.pixels) expect(v > 0 && v < 1).toBe(true);
  });

  it('refuses bad requests with messages and keeps working', async () => {
    const { call } = makeHost(module);
    await expect(call('nonsense')).rejects.toThrow("unknown request type 'nonsense'");
    await expect(call(Request.CONFIGURE, { model: { ...SEED_MODEL, encoder: [-4] }, train: SEED_TRAIN })).rejects.toThrow(
      /'encoder' must be in \[1/,
    );
    await expect(call(Request.CONFIGURE, { model: SEED_MODEL, train: { ...SEED_TRAIN, lr: NaN } })).rejects.toThrow(/'lr' is null/);
    await call(Request.CONFIGURE, { model: SMALL_MODEL, train: SEED_TRAIN });
    await expect(call(Request.START)).rejects.toThrow(/no training data/);
    await expect(call(Request.LOAD_DATASET, { dataset: 'nope', split: 'test' })).rejects.toThrow(/HTTP 404/);
    await expect(call(Request.SET_TRAINING, { train: { batch_size: 0 } })).rejects.toThrow(/'batch_size'/);
    const ok = await call(Request.SET_TRAINING, { train: { lr: 0.002 } });
    expect(ok.train.lr).toBeCloseTo(0.002);
  });

  it('trains in chunks, reports progress and snapshots, and pauses', async () => {
    const { call, posted } = makeHost(module);
    await call(Request.CONFIGURE, { model: SMALL_MODEL, train: { ...SEED_TRAIN, batch_size: 64 } });
    await call(Request.LOAD_DATASET, { dataset: 'mnist', split: 'test' });
    await call(Request.LOAD_DATASET, { dataset: 'mnist', split: 'train' });
    await call(Request.START, { probes: [0, 1, 2, 3] });
    await waitFor(() => posted.filter((m) => m.type === Event.PROGRESS).length >= 5);
    const paused = await call(Request.PAUSE);
    const progress = posted.filter((m) => m.type === Event.PROGRESS);
    expect(paused.step).toBe(progress.at(-1).step);
    expect(progress[0].samplesPerSec).toBeGreaterThan(0);
    const snap = posted.find((m) => m.type === Event.SNAPSHOT && m.probes.length === 4 * 784);
    expect(snap).toBeDefined();
    expect(posted.filter((m) => m.type === Event.STATE).map((m) => m.running)).toEqual([true, false]);
    const count = posted.length;
    await new Promise((r) => setTimeout(r, 100));
    expect(posted.filter((m) => m.type === Event.PROGRESS).length).toBe(progress.length);
    expect(posted.length).toBe(count);
  });

  it('sends each snapshot with a PROGRESS, every second one, so that the page draws both in one frame', async () => {
    // A clock that moves an irregular 0.2–9.8 ms each time the loop reads it (steps and the
    // work between chunks do not take the same time twice): chunks of about 20 ms, PROGRESS
    // every 250 ms, snapshots every 500 ms, whatever the machine's speed.
    let t = 0;
    let x = 1; // a linear congruential sequence: steps with no period that 250 or 500 could match
    const now = () => ((x = (x * 1103515245 + 12345) % 2 ** 31), (t += 0.2 + (x % 97) / 10));
    const { call, posted, sent } = makeHost(module, { loopOptions: { budgetMs: 20, progressMs: 250, snapshotMs: 500, latentMs: 1e9, now } });
    await call(Request.CONFIGURE, { model: SMALL_MODEL, train: { ...SEED_TRAIN, batch_size: 64 } });
    await call(Request.LOAD_DATASET, { dataset: 'mnist', split: 'test' });
    await call(Request.LOAD_DATASET, { dataset: 'mnist', split: 'train' });
    await call(Request.START, { probes: [0, 1, 2, 3] });
    await waitFor(() => posted.filter((m) => m.type === Event.SNAPSHOT).length >= 8);
    await call(Request.PAUSE);
    const stream = posted.filter((m) => m.type === Event.PROGRESS || m.type === Event.SNAPSHOT).map((m) => `${m.type}@${m.step}`);
    const snapshots = stream.flatMap((m, i) => (m.startsWith(Event.SNAPSHOT) ? [i] : []));
    // Right after a PROGRESS of the same step, from the same chunk (on timers of their own they
    // drifted apart: 'progress@152 snapshot@175 progress@177').
    for (const i of snapshots) expect(`${stream[i - 1]} ${stream[i]}`).toBe(`${stream[i].replace(Event.SNAPSHOT, Event.PROGRESS)} ${stream[i]}`);
    const progress = stream.length - snapshots.length;
    expect(progress / snapshots.length).toBeGreaterThan(1.6);
    expect(progress / snapshots.length).toBeLessThan(2.4);
    // In one message: the client hands both on in one task (engine-client.test.js).
    expect(sent.filter((m) => m.type === Event.SNAPSHOT)).toEqual([]);
    const batches = sent.filter((m) => m.type === Event.BATCH);
    expect(batches.length).toBe(snapshots.length);
    for (const b of batches) expect(b.events.map((m) => m.type)).toEqual([Event.PROGRESS, Event.SNAPSHOT]);
  });
});
