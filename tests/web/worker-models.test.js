// Models in the worker, against the real WASM engine: loading files (and refusing bad ones
// without touching the current model), saving with the page's history, the autosave, and the
// rollback when the loss diverges. The browser's IndexedDB is replaced by an in-memory store
// with the same methods (the real one runs in tests/e2e/models.test.js).
import { beforeAll, describe, expect, it } from 'vitest';

import { Event, Request } from '../../web/src/protocol.js';
import { firstNonFinite, readHeader } from '../../web/src/lib/aemf.js';
import { TrainingHistory } from '../../web/src/lib/history.js';
import { SEED_MODEL, SEED_TRAIN } from '../../web/src/lib/presets.js';
import { loadModule } from './engine-module.js';
import { makeHost as makeBareHost, waitFor } from './worker-host.js';

const SMALL_MODEL = { ...SEED_MODEL, encoder: [32], latent: 4 };

/** The same methods as lib/model-store.js's ModelStore, in memory. */
class MemoryStore {
  constructor() {
    this.meta = new Map();
    this.data = new Map();
    this.puts = 0;
  }
  async put(meta, bytes) {
    this.puts += 1;
    this.meta.set(meta.id, { ...meta });
    this.data.set(meta.id, bytes.slice());
    return meta;
  }
  async get(id) {
    return this.meta.get(id) ?? null;
  }
  async bytes(id) {
    return this.data.get(id).slice();
  }
  async list() {
    return [...this.meta.values()].filter((m) => m.kind === 'saved');
  }
}

/** A clock the test moves by hand: training time advances `tick` ms per reading. */
function fakeClock(tick = 1) {
  let t = 0;
  return () => (t += tick);
}

/** A worker host whose autosaves go to a fresh MemoryStore unless `opts.store` says otherwise. */
const makeHost = (module, opts = {}) => makeBareHost(module, { store: new MemoryStore(), ...opts });

async function trainedHost(module, steps, opts) {
  const h = makeHost(module, opts);
  await h.call(Request.CONFIGURE, { model: SMALL_MODEL, train: SEED_TRAIN, dataset: 'mnist' });
  await h.call(Request.LOAD_DATASET, { dataset: 'mnist', split: 'test' });
  await h.call(Request.LOAD_DATASET, { dataset: 'mnist', split: 'train' });
  await h.call(Request.WATCH, { probes: [3, 2, 1], mapCount: 0 });
  for (let i = 0; i < steps; i++) await h.call(Request.STEP);
  return h;
}

const testImages = (host, n = 4) => host.engine.images('test', Array.from({ length: n }, (_, i) => i));

let module;
beforeAll(async () => {
  module = await loadModule();
});

describe('saving and loading through the worker', () => {
  it('a saved model loads in another worker with identical reconstructions, history and position', async () => {
    const a = await trainedHost(module, 5);
    const { bytes } = await a.call(Request.SAVE_MODEL, { withOptimizer: true });
    const header = readHeader(bytes).header;
    expect(header.optimizer_state).toBe(true);
    expect(header.state.step).toBe(5);
    // The history is the page's (chart, table) and ae train's (dataset) at once.
    expect(header.history.dataset).toBe('mnist');
    expect(header.history.page.series.total[0]).toHaveLength(5);
    expect(header.history.page.probes).toEqual([3, 2, 1]);

    const b = makeHost(module);
    await b.call(Request.LOAD_DATASET, { dataset: 'mnist', split: 'test' });
    const loaded = await b.call(Request.LOAD_MODEL, { bytes, name: 'a.aemf' });
    expect(loaded.info).toMatchObject({ step: 5, epoch: 0, latentSize: 4 });
    expect(loaded.model).toMatchObject({ variant: 'dense', encoder: [32], latent: 4 });
    expect(loaded.dataset).toBe('mnist');
    expect(loaded.source).toEqual({ kind: 'file', name: 'a.aemf' });
    expect(loaded.optimizerState).toBe(true);
    expect(loaded.history.series.total.xs).toEqual(a.host.loop.history.chartData().total.xs);
    expect(loaded.history.series.total.ys).toEqual(a.host.loop.history.chartData().total.ys);
    expect(loaded.history.progress.step).toBe(5);
    const x = testImages(a.host);
    expect(Array.from(b.host.engine.reconstruct(x, 4))).toEqual(Array.from(a.host.engine.reconstruct(x, 4)));

    // Training on continues exactly as the original does.
    await b.call(Request.LOAD_DATASET, { dataset: 'mnist', split: 'train' });
    const next = [];
    for (let i = 0; i < 3; i++) next.push((await b.call(Request.STEP)).stats.loss.total);
    const same = [];
    for (let i = 0; i < 3; i++) same.push((await a.call(Request.STEP)).stats.loss.total);
    expect(next).toEqual(same);
  });

  it('refuses bad files with the engine\'s specific message and keeps the current model', async () => {
    const h = await trainedHost(module, 2);
    const { bytes } = await h.call(Request.SAVE_MODEL, {});
    const x = testImages(h.host);
    const before = Array.from(h.host.engine.reconstruct(x, 4));
    const chartBefore = h.host.loop.history.chartData();

    const truncated = bytes.slice(0, bytes.length - 100);
    const notModel = new TextEncoder().encode('just some text, not a model');
    const newer = bytes.slice();
    new DataView(newer.buffer).setUint32(4, 99, true);
    const corrupted = bytes.slice();
    corrupted[bytes.length - 5000] ^= 0x55;
    const cases = [
      [truncated, /^model file: truncated: the file has \d+ bytes but its header says \d+/],
      [notModel, /^model file: not an AEMF model file/],
      [newer, /^model file: newer format version: the file is version 99/],
      [corrupted, /^model file: corrupted: checksum mismatch in tensor '/],
    ];
    for (const [file, message] of cases) {
      await expect(h.call(Request.LOAD_MODEL, { bytes: file, name: 'bad.aemf' })).rejects.toThrow(message);
      expect(Array.from(h.host.engine.reconstruct(x, 4))).toEqual(before);
      expect(h.host.loop.history.chartData()).toEqual(chartBefore);
      expect(h.host.engine.info().step).toBe(2);
    }
    // A model for other images than 28×28 is refused before the engine is touched.
    const other = new module.Engine();
    other.configure(JSON.stringify({ ...SMALL_MODEL, input: [1, 8, 8] }), JSON.stringify(SEED_TRAIN));
    await expect(h.call(Request.LOAD_MODEL, { bytes: other.saveModel('', false), name: 'small.aemf' })).rejects.toThrow(
      /this model takes 1×8×8 images, but the playground's images are 1×28×28/,
    );
    other.delete();
    // Still trains on.
    expect((await h.call(Request.STEP)).stats.step).toBe(3);
  });

  it('loads a shipped-style file (f16, no optimizer state, ae train history) and fine-tunes from it', async () => {
    const a = await trainedHost(module, 4);
    // What scripts/pretrain.mjs ships: ae train's history (per-epoch losses), f16 weights.
    a.host.engine.setTraining(JSON.stringify({}));
    const cliHistory = { dataset: 'mnist', epochs: [{ epoch: 1, step: 4, train: { total: 300, recon: 300, kl: 0, sparsity: 0, weight_decay: 0 }, test: { total: 250, recon: 250, kl: 0, sparsity: 0, weight_decay: 0 } }] };
    const bytes = a.host.engine.saveModel(JSON.stringify(cliHistory), false);
    const b = makeHost(module);
    const loaded = await b.call(Request.LOAD_PRETRAINED, { url: 'http://localhost/data/manifest.json', modelId: 'x', name: 'X' }).catch((e) => e);
    expect(loaded).toBeInstanceOf(Error); // not a model: the engine's message
    expect(loaded.message).toMatch(/^model file: not an AEMF model file/);
    const ok = await b.call(Request.LOAD_MODEL, { bytes, name: 'cli.aemf' });
    expect(ok.optimizerState).toBe(false);
    expect(ok.history.table).toHaveLength(1);
    expect(ok.history.table[0]).toMatchObject({ epoch: 1, trainLoss: 300, testLoss: { total: 250 } });
    expect(ok.history.series.test).toEqual({ xs: [1], ys: [250] });
    expect(ok.history.progress).toMatchObject({ step: 4, epoch: 0 });
    await b.call(Request.LOAD_DATASET, { dataset: 'mnist', split: 'train' });
    expect((await b.call(Request.STEP)).stats.step).toBe(5); // continues from its weights and step
  });

  it('a missing pretrained file is reported with the URL, and the model stays', async () => {
    const h = await trainedHost(module, 1);
    await expect(h.call(Request.LOAD_PRETRAINED, { url: 'http://localhost/models/nope.aemf', modelId: 'mnist-nope', name: 'Nope' })).rejects.toThrow(
      'the pretrained model "Nope" could not be downloaded: the server answered 404 for http://localhost/models/nope.aemf',
    );
    expect(h.host.engine.info().step).toBe(1);
  });

  it('exports the weights as .npz', async () => {
    const h = await trainedHost(module, 1);
    const { bytes } = await h.call(Request.EXPORT_NPZ);
    expect(Array.from(bytes.subarray(0, 4))).toEqual([0x50, 0x4b, 0x03, 0x04]); // a ZIP archive
    expect(new TextDecoder().decode(bytes)).toContain('encoder.0.weight.npy');
  });
});

describe('saved models and the autosave', () => {
  it('"Save now" stores the model with its metadata; loading it gives it back', async () => {
    const h = await trainedHost(module, 3);
    const { meta } = await h.call(Request.STORE_MODEL, { name: 'my first model' });
    expect(meta).toMatchObject({ kind: 'saved', name: 'my first model', dataset: 'mnist', variant: 'dense', step: 3, epoch: 0 });
    expect(meta.size).toBe(h.store.data.get(meta.id).length);
    expect(meta.title).toMatch(/^Autoencoder 784 → 32 → 4 → 32 → 784/);
    const x = testImages(h.host);
    const before = Array.from(h.host.engine.reconstruct(x, 4));
    await h.call(Request.STEP);
    const back = await h.call(Request.LOAD_STORED, { modelId: meta.id });
    expect(back.source).toEqual({ kind: 'saved', id: meta.id, name: 'my first model' });
    expect(back.info.step).toBe(3);
    expect(Array.from(h.host.engine.reconstruct(x, 4))).toEqual(before);
  });

  it('autosaves when training pauses and every interval of wall time, only once the model has trained', async () => {
    const clock = fakeClock(1); // 1 ms per reading of the clock
    const h = await trainedHost(module, 0, { loopOptions: { now: clock }, keeperOptions: { now: clock, autosaveEveryMs: 200 } });
    // Nothing trained yet: nothing to autosave.
    expect((await h.call(Request.AUTOSAVE, { reason: 'hidden' })).meta).toBeNull();
    await h.call(Request.START, { maxEpochs: 1 });
    await waitFor(() => h.store.puts >= 2); // the interval autosave came, more than once
    expect(h.posted.some((m) => m.type === Event.SAVED && m.reason === 'interval')).toBe(true);
    await h.call(Request.PAUSE);
    // Pausing autosaves where it stopped (unless an interval autosave just did).
    const step = h.host.engine.info().step;
    await waitFor(() => h.store.meta.get('autosave')?.step === step);
    expect(h.store.meta.get('autosave')).toMatchObject({ kind: 'autosave', step, dataset: 'mnist', variant: 'dense' });
    // Resuming gives the same step, chart and table; nothing new to autosave until it trains.
    const chart = h.host.loop.history.chartData();
    const b = makeHost(module, { store: h.store });
    const r = await b.call(Request.LOAD_STORED, { modelId: 'autosave' });
    expect(r.source.kind).toBe('autosave');
    expect(r.info.step).toBe(step);
    expect(r.history.series).toEqual(chart);
    expect(r.history.progress.step).toBe(step);
    expect((await b.call(Request.AUTOSAVE, { reason: 'hidden' })).meta).toBeNull();
  });
});

describe('divergence', () => {
  it('pauses, explains, and goes back to the last good state; never keeps a non-finite one', async () => {
    // No autosave by the clock (it would also be a later good state): the snapshot at the start is the one.
    const h = await trainedHost(module, 3, { keeperOptions: { autosaveEveryMs: Infinity } });
    const x = testImages(h.host);
    const good = Array.from(h.host.engine.reconstruct(x, 4));
    const chart = h.host.loop.history.chartData();
    await h.call(Request.SET_TRAINING, { train: { optimizer: 'sgd', lr: 1, momentum: 0.9 } });
    await h.call(Request.START, {});
    await waitFor(() => h.posted.some((m) => m.type === Event.DIVERGED));
    const d = h.posted.find((m) => m.type === Event.DIVERGED);
    // As data, from the engine's coded error: nothing on the page reads the message's text.
    expect(['nan', 'inf']).toContain(d.value);
    expect(typeof d.term).toBe('string');
    expect(d.train).toEqual({ optimizer: 'sgd', lr: 1, clip_norm: 0 });
    expect(d.divergedAt).toBeGreaterThan(3);
    expect(d.restored).toEqual({ step: 3, epoch: 0 }); // the snapshot taken when the run started
    expect(d.history.series.total).toEqual(chart.total);
    expect(h.posted.filter((m) => m.type === Event.STATE).at(-1)).toEqual({ type: Event.STATE, running: false, reason: 'diverged' });
    expect(h.host.engine.info().step).toBe(3);
    expect(Array.from(h.host.engine.reconstruct(x, 4))).toEqual(good);
    // The training settings stay the person's (to be lowered), not the snapshot's.
    expect(JSON.parse(h.host.engine.trainConfig())).toMatchObject({ optimizer: 'sgd', lr: 1 });
    // No autosave holds a diverged state: not even the one tried when the run stopped.
    await waitFor(() => h.host.keeper.lastAttempt?.reason === 'stopped');
    for (const [id, bytes] of h.store.data) expect(firstNonFinite(bytes), id).toBeNull();
    // Lower the learning rate and it trains again.
    await h.call(Request.SET_TRAINING, { train: { optimizer: 'adam', lr: 1e-3 } });
    expect((await h.call(Request.STEP)).stats.step).toBe(4);
  });

  it('quotes the learning rate the model trains at, also after a model file set it', async () => {
    // A file trained at lr 10 (above what the page's controls offer): loaded, its lr stays.
    const a = await trainedHost(module, 1);
    await a.call(Request.SET_TRAINING, { train: { optimizer: 'sgd', lr: 10, momentum: 0.9 } });
    const { bytes } = await a.call(Request.SAVE_MODEL, { withOptimizer: true });
    const b = makeHost(module, { keeperOptions: { autosaveEveryMs: Infinity } });
    await b.call(Request.LOAD_DATASET, { dataset: 'mnist', split: 'train' });
    await b.call(Request.LOAD_MODEL, { bytes, name: 'lr10.aemf' });
    let r;
    for (let i = 0; i < 20 && !r?.diverged; i++) r = await b.call(Request.STEP);
    expect(r.diverged).toBe(true);
    expect(b.events(Event.DIVERGED)[0].train).toMatchObject({ optimizer: 'sgd', lr: 10 });
  });

  it('a single step that diverges rolls back too', async () => {
    const h = await trainedHost(module, 1);
    await h.call(Request.SET_TRAINING, { train: { optimizer: 'sgd', lr: 1, momentum: 0.9 } });
    let r;
    for (let i = 0; i < 20; i++) {
      r = await h.call(Request.STEP);
      if (r.diverged) break;
    }
    expect(r).toEqual({ stats: null, diverged: true });
    const d = h.posted.find((m) => m.type === Event.DIVERGED);
    expect(d.restored.step).toBe(d.divergedAt - 1); // the state just before the step that diverged
    expect(h.host.engine.info().step).toBe(d.divergedAt - 1);
  });

  it('a state whose weights are not finite is never kept as good, nor autosaved', async () => {
    const h = await trainedHost(module, 1);
    const bytes = h.host.engine.saveModel('', true);
    expect(firstNonFinite(bytes)).toBeNull();
    // The same file with one weight set to infinity (what a blown-up update leaves behind).
    const { header, dataStart } = readHeader(bytes);
    const t = header.tensors.find((x) => x.name === 'decoder.0.weight');
    const bad = bytes.slice();
    new DataView(bad.buffer).setFloat32(dataStart + t.offset + 4 * 17, Infinity, true);
    expect(firstNonFinite(bad)).toEqual({ name: 'decoder.0.weight', index: 17 });

    // A keeper whose engine hands it that state keeps the last good one and writes nothing.
    expect(h.host.keeper.snapshot()).toBe(true);
    const kept = h.host.keeper.good;
    let step = 1;
    const engine = { info: () => ({ step, epoch: 0 }), saveModel: () => bad };
    const { Keeper } = await import('../../web/src/worker/keeper.js');
    const store = new MemoryStore();
    const logs = [];
    const k = new Keeper({ engine, elapsedMs: () => 0, record: () => null, meta: () => ({}), openStore: async () => store, post: (m) => logs.push(m) });
    k.good = kept;
    step = 2;
    expect(k.snapshot()).toBe(false);
    expect(k.good).toBe(kept);
    expect(await k.autosave('paused')).toBeNull();
    expect(store.puts).toBe(0);
    expect(logs[0].message).toMatch(/not keeping the state at step 2: tensor 'decoder\.0\.weight' holds a non-finite value/);
  });
});

describe('history files', () => {
  it('a history survives toFile → fromFile exactly, and ae train\'s epochs added later are appended', () => {
    const h = new TrainingHistory();
    for (let i = 1; i <= 3000; i++) h.addProgress({ step: i, epoch: Math.floor(i / 1000), epochProgress: (i % 1000) / 1000, loss: { total: 100 + 1 / i, recon: 100, kl: 0, sparsity: 0, weightDecay: 0 }, elapsedMs: i });
    h.addEpoch({ epoch: 1, step: 1000, trainLoss: 120, trainTerms: { total: 120, recon: 120 }, testLoss: { total: 110, recon: 110, kl: 0, sparsity: 0, weightDecay: 0 } });
    const file = h.toFile({ dataset: 'mnist', elapsedMs: 3000, epochLoss: { sum: null, steps: 0 }, target: 10, probes: [1, 2], source: { kind: 'scratch' } });
    const back = TrainingHistory.fromFile(JSON.parse(JSON.stringify(file)), { step: 3000, epoch: 3 });
    expect(back.history.chartData()).toEqual(h.chartData());
    expect(back.history.chartData().total.xs.length).toBeLessThanOrEqual(1200);
    expect(back).toMatchObject({ dataset: 'mnist', elapsedMs: 3000, target: 10, probes: [1, 2], fromPage: true });
    expect(file.epochs).toEqual([{ epoch: 1, step: 1000, train: { total: 120, recon: 120, kl: 0, sparsity: 0, weight_decay: 0 }, test: { total: 110, recon: 110, kl: 0, sparsity: 0, weight_decay: 0 } }]);

    // `ae train --resume` appended an epoch: it joins the chart and the table.
    const resumed = JSON.parse(JSON.stringify(file));
    resumed.epochs.push({ epoch: 4, step: 4000, train: { total: 90 }, test: { total: 95 }, seconds: 3 });
    const more = TrainingHistory.fromFile(resumed, { step: 4000, epoch: 4 });
    expect(more.history.table.map((r) => r.epoch)).toEqual([1, 4]);
    expect(more.history.chartData().test).toEqual({ xs: [1, 4], ys: [110, 95] });
    expect(more.history.progress).toMatchObject({ step: 4000, epoch: 4, epochProgress: 1 });
  });

  it('reads anything else as an empty history', () => {
    for (const junk of [null, 3, 'text', [], { page: { version: 99 } }, { epochs: 'no' }]) {
      const r = TrainingHistory.fromFile(junk, { step: 7, epoch: 0 });
      expect(r.history.table).toEqual([]);
      expect(r.history.progress.step).toBe(7);
    }
  });
});
