// The page's client of the worker (web/src/engine-client.js) against the real worker handlers
// and WASM engine (tests/web/local-worker.js): replies, engine errors with their code, and a
// worker that dies without a word — noticed, every request rejected (none hangs), and restarted.
import { beforeAll, describe, expect, it } from 'vitest';

import { ClientEvent, EngineClient } from '../../web/src/engine-client.js';
import { SEED_MODEL, SEED_TRAIN } from '../../web/src/lib/presets.js';
import { Event, Request } from '../../web/src/protocol.js';
import { loadModule } from './engine-module.js';
import { LocalWorker } from './local-worker.js';
import { waitFor } from './worker-host.js';

const SMALL_MODEL = { ...SEED_MODEL, encoder: [32], latent: 4 };
// Short deadlines, though long enough for a loaded machine (two cores shared by several builds).
const FAST = { pingEveryMs: 100, deadAfterMs: 2000, errorGraceMs: 1500 };

let module;
beforeAll(async () => {
  module = await loadModule();
});

describe('EngineClient', () => {
  it('resolves replies and rejects refusals with the engine message', async () => {
    const client = new EngineClient(new LocalWorker(module), FAST);
    const { info } = await client.request(Request.CONFIGURE, { model: SMALL_MODEL, train: SEED_TRAIN });
    expect(info.latentSize).toBe(4);
    const err = await client.request(Request.CONFIGURE, { model: { ...SEED_MODEL, latent: 0 }, train: SEED_TRAIN }).catch((e) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err.message).toMatch(/'latent' must be an integer/);
    expect(err.request).toBe(Request.CONFIGURE);
    client.kill();
  });

  it('keeps a quiet but living worker: it answers the heartbeat', async () => {
    const client = new EngineClient(new LocalWorker(module), FAST);
    const dead = [];
    client.on(ClientEvent.DEAD, (d) => dead.push(d));
    const t0 = Date.now();
    await waitFor(() => Date.now() - t0 > 4 * FAST.deadAfterMs);
    expect(dead).toEqual([]);
    expect((await client.request(Request.INIT, {})).info).toBeDefined();
    client.kill();
  });

  it('notices a terminated worker: the waiting request rejects, later ones at once, and DEAD says why', async () => {
    const worker = new LocalWorker(module);
    const client = new EngineClient(worker, FAST);
    await client.request(Request.INIT, {});
    const dead = [];
    client.on(ClientEvent.DEAD, (d) => dead.push(d));
    worker.terminate();
    const err = await client.request(Request.CONFIGURE, { model: SMALL_MODEL, train: SEED_TRAIN }).catch((e) => e);
    expect(err.code).toBe('worker-dead');
    expect(err.message).toMatch(/^the engine stopped: it stopped answering \(nothing for [\d.]+ s\)/);
    expect(dead).toHaveLength(1);
    await expect(client.request(Request.INIT, {})).rejects.toMatchObject({ code: 'worker-dead' });
  });

  it('after an error event, a worker that no longer answers is dead within the grace period', async () => {
    const worker = new LocalWorker(module);
    const client = new EngineClient(worker, { ...FAST, deadAfterMs: 60_000 });
    await client.request(Request.INIT, {});
    const errors = [];
    client.on('error', (e) => errors.push(e.message));
    const pending = client.request(Request.INIT, {});
    worker.close(); // the worker closed itself...
    worker.fail('out of memory'); // ...and said only this
    await expect(pending).rejects.toMatchObject({ code: 'worker-dead' });
    expect(errors).toEqual(['worker failed: out of memory']);
  });

  it('an error event from a worker that still answers is reported, and the worker kept', async () => {
    const worker = new LocalWorker(module);
    const client = new EngineClient(worker, FAST);
    const dead = [];
    client.on(ClientEvent.DEAD, (d) => dead.push(d));
    worker.fail('a script error');
    const t0 = Date.now();
    await waitFor(() => Date.now() - t0 > 3 * FAST.errorGraceMs);
    expect(dead).toEqual([]);
    expect((await client.request(Request.INIT, {})).info).toBeDefined();
    client.kill();
  });

  it('restarts a dead worker from its factory, keeping the subscriptions', async () => {
    let made = 0;
    const createWorker = () => {
      made += 1;
      return new LocalWorker(module);
    };
    // Long deadlines: this "worker" shares the test's thread, and loading a dataset holds it.
    const client = new EngineClient(createWorker(), { pingEveryMs: 100, deadAfterMs: 30_000, createWorker });
    await client.request(Request.CONFIGURE, { model: SMALL_MODEL, train: SEED_TRAIN });
    const restarted = [];
    const progress = [];
    client.on(ClientEvent.RESTARTED, () => restarted.push(true));
    client.on(Event.DATASET_PROGRESS, (p) => progress.push(p));
    client.worker.terminate();
    client.kill('the test stopped it');
    client.restart();
    expect(made).toBe(2);
    expect(restarted).toHaveLength(1);
    const { info } = await client.request(Request.INIT, {});
    expect(info.configured).toBe(false); // a new, empty engine: the page restores the model
    await client.request(Request.CONFIGURE, { model: SMALL_MODEL, train: SEED_TRAIN });
    await client.request(Request.LOAD_DATASET, { dataset: 'mnist', split: 'test' });
    expect(progress.length).toBeGreaterThan(0); // the new worker's events reach the old subscribers
    const { pixels } = await client.request(Request.DECODE, { codes: new Float32Array(4), n: 1 });
    expect(pixels).toHaveLength(784);
    client.kill();
  });

  it("hands on a BATCH's events one by one, in order, in the task the message arrived in", async () => {
    // Long deadlines: this "worker" shares the test's thread, and loading a dataset holds it.
    const client = new EngineClient(new LocalWorker(module), { pingEveryMs: 100, deadAfterMs: 30_000 });
    await client.request(Request.CONFIGURE, { model: SMALL_MODEL, train: { ...SEED_TRAIN, batch_size: 64 } });
    await client.request(Request.LOAD_DATASET, { dataset: 'mnist', split: 'test' });
    await client.request(Request.LOAD_DATASET, { dataset: 'mnist', split: 'train' });
    // A task counter: it moves once per macrotask of this thread.
    let task = 0;
    let ticking = true;
    const tick = () => ticking && (task++, setTimeout(tick, 0));
    tick();
    const seen = [];
    client.on(Event.PROGRESS, (p) => seen.push({ type: 'progress', step: p.step, task }));
    client.on(Event.SNAPSHOT, (s) => seen.push({ type: 'snapshot', step: s.step, task, probes: s.probes.length }));
    client.on(Event.BATCH, () => seen.push({ type: 'batch' })); // never: the client unpacks it
    await client.request(Request.START, { probes: [0, 1] });
    await waitFor(() => seen.filter((e) => e.type === 'snapshot').length >= 3);
    await client.request(Request.PAUSE);
    ticking = false;
    const snapshots = seen.flatMap((e, i) => (e.type === 'snapshot' ? [i] : []));
    expect(seen.some((e) => e.type === 'batch')).toBe(false);
    for (const i of snapshots) {
      expect(seen[i].probes).toBe(2 * 784);
      expect(seen[i - 1]).toMatchObject({ type: 'progress', step: seen[i].step, task: seen[i].task });
    }
    client.kill();
  });
});
