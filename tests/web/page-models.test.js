// The page's side of models: which settings have a pretrained model (lib/pretrained.js, checked
// against the recipes the shipped models are trained from), the manifest, the `weights`
// setting in links, reading a loaded model's configs back into settings, and the time budget
// of the worker's snapshots (worker/keeper.js).
import { readFileSync, readdirSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

import { PRETRAINED, pretrainedFor, readManifest, settingsOf, splitId } from '../../web/src/lib/pretrained.js';
import { applyPatch, defaults, fromHash, modelConfig, stateFromConfigs, toHash, trainConfig } from '../../web/src/state.js';
import { storageError } from '../../web/src/lib/model-store.js';
import { DATASETS, imagesTrainedOn } from '../../web/src/lib/presets.js';
import { Keeper } from '../../web/src/worker/keeper.js';

const MODELS = new URL('../../web/public/models/', import.meta.url);
const recipe = (name) => JSON.parse(readFileSync(new URL(`configs/${name}.json`, MODELS), 'utf8'));

describe('the pretrained catalog', () => {
  it('has one entry per recipe, whose settings build exactly the recipe\'s model', () => {
    const recipes = readdirSync(new URL('configs/', MODELS)).filter((f) => f.endsWith('.json')).map((f) => f.replace(/\.json$/, ''));
    expect(Object.keys(PRETRAINED).sort()).toEqual(recipes.sort());
    for (const name of recipes) {
      const { model, train } = recipe(name);
      const state = applyPatch(defaults(), settingsOf(`mnist-${name}`)).state;
      // Every key the recipe sets, the page's config has with that value.
      const page = modelConfig(state);
      for (const [k, v] of Object.entries(model)) expect(page[k], `${name}: model.${k}`).toEqual(v);
      const pageTrain = trainConfig(state);
      for (const [k, v] of Object.entries(train)) expect(pageTrain[k], `${name}: train.${k}`).toEqual(v);
      expect(pretrainedFor(state)).toBe(`mnist-${name}`);
      expect(pretrainedFor({ ...state, dataset: 'fashion-mnist' })).toBe(`fashion-mnist-${name}`);
    }
  });

  it('matches only exact architectures; the default settings are the seed model', () => {
    expect(pretrainedFor(defaults())).toBe('mnist-seed');
    expect(pretrainedFor({ ...defaults(), latent: 8 })).toBeNull();
    expect(pretrainedFor({ ...defaults(), widths: [400, 100] })).toBeNull();
    expect(pretrainedFor(applyPatch(defaults(), { variant: 'vae' }).state)).toBeNull(); // the VAE default is 400 wide, not 256-128
    expect(splitId('fashion-mnist-vae2d')).toEqual({ dataset: 'fashion-mnist', name: 'vae2d' });
    expect(splitId('mnist-nothing')).toBeNull();
    expect(() => settingsOf('mnist-nothing')).toThrow("unknown pretrained model 'mnist-nothing'");
  });

  it('reads the manifest, skipping entries it cannot use', () => {
    const models = readManifest({
      models: [
        { id: 'mnist-seed', file: 'mnist-seed.aemf', dataset: 'mnist', title: 'Autoencoder · MNIST', epochs: 20, bytes: 1296420, test: { loss: 65.8 }, variant: 'dense' },
        { id: 'mnist-seed', file: '../../etc/passwd', dataset: 'mnist' },
        { id: 'odd', file: 'odd.aemf', dataset: 'mnist' },
        null,
      ],
    });
    expect(models).toEqual([{ id: 'mnist-seed', file: 'mnist-seed.aemf', dataset: 'mnist', title: 'Autoencoder · MNIST', description: '', epochs: 20, bytes: 1296420, testLoss: 65.8, variant: 'dense' }]);
    expect(readManifest(null)).toEqual([]);
  });
});

describe('the weights setting', () => {
  it('is "pretrained" by default and travels in links only when it is "scratch"', () => {
    expect(defaults().weights).toBe('pretrained');
    expect(toHash(defaults())).toBe('');
    const { state, errors } = fromHash('#weights=scratch&latent=8');
    expect(errors).toEqual([]);
    expect(state.weights).toBe('scratch');
    expect(toHash(state)).toBe('#latent=8&weights=scratch');
    expect(fromHash('#weights=gpt').errors).toEqual(["Ignored a setting in the link: 'weights' must be one of pretrained, scratch, got 'gpt'."]);
  });
});

describe('reading a loaded model\'s configs into settings', () => {
  it('gives back the settings that made the configs', () => {
    const cases = [
      defaults(),
      applyPatch(defaults(), { variant: 'conv', conv: [16, 32], latent: 12, optimizer: 'sgd', lr: 0.01, momentum: 0.8, batch_size: 64, seed: 9 }).state,
      applyPatch(defaults(), { variant: 'denoising', noise: 'masking', noise_amount: 0.3, schedule: 'cosine', cosine_epochs: 5 }).state,
      applyPatch(defaults(), { variant: 'sparse', widths: [256], sparsity_weight: 2, sparsity_target: 0.1, clip_norm: 5, weight_decay_l2: 0.001 }).state,
      applyPatch(defaults(), { variant: 'vae', widths: [512, 256], latent: 2, kl_weight: 0.5, activation: 'tanh', loss: 'mse' }).state,
    ];
    for (const s of cases) {
      const { patch, unshown } = stateFromConfigs(modelConfig(s), trainConfig(s));
      expect(unshown).toEqual([]);
      const back = applyPatch(defaults(), patch).state;
      expect(modelConfig(back)).toEqual(modelConfig(s));
      expect(trainConfig(back)).toEqual(trainConfig(s));
    }
  });

  it('lists what the controls cannot show, and leaves it out', () => {
    const model = { ...modelConfig(defaults()), input: [1, 32, 32], output: 'identity', loss: 'mse', latent: 300 };
    const train = { ...trainConfig(defaults()), batch_size: 100, lr: 3 };
    const { patch, unshown } = stateFromConfigs(model, train);
    expect(unshown).toEqual(['input 1×32×32', 'output identity', 'latent size 300', 'learning rate 3', 'batch size 100']);
    expect('latent' in patch || 'lr' in patch || 'batch_size' in patch).toBe(false);
    expect(patch.loss).toBe('mse');
  });
});

describe('snapshots on a time budget', () => {
  it('are spaced so that they take at most 2 % of the training time, and at least 15 s apart', () => {
    let t = 0; // ms of training time
    let clock = 0;
    const cost = 900; // a (slow) snapshot's cost, ms
    // The smallest AEMF header: no tensors, so nothing to check for finiteness.
    const file = new Uint8Array(30);
    file.set([65, 69, 77, 70]);
    new DataView(file.buffer).setUint32(8, 2, true);
    file.set([123, 125], 28);
    let snapshots = 0;
    const engine = {
      info: () => ({ step: Math.floor(t / 20), epoch: 0 }),
      saveModel: () => {
        snapshots += 1;
        clock += cost;
        return file;
      },
    };
    const k = new Keeper({ engine, elapsedMs: () => t, record: () => null, meta: () => ({}), openStore: async () => null, post: () => {}, now: () => clock, autosaveEveryMs: Infinity });
    for (t = 0; t <= 600_000; t += 20) k.maintain();
    expect(k.spacingMs).toBe(cost / 0.02); // 45 s: the budget, not the 15 s floor
    expect((snapshots * cost) / 600_000).toBeLessThanOrEqual(0.021);
  });
});

describe('the autosave', () => {
  /** The smallest AEMF file (no tensors) and an engine whose step follows the training time. */
  function fakeEngine(clockRef, cost = 0) {
    const file = new Uint8Array(30);
    file.set([65, 69, 77, 70]);
    new DataView(file.buffer).setUint32(8, 2, true);
    file.set([123, 125], 28);
    return {
      step: 0,
      info() {
        return { step: this.step, epoch: 0 };
      },
      saveModel: () => {
        clockRef.t += cost;
        return file;
      },
    };
  }

  it('comes every 3 s of wall time while training, however slowly training time advances', async () => {
    const clock = { t: 0 };
    const engine = fakeEngine(clock);
    const puts = [];
    const store = { put: async (meta) => puts.push({ step: meta.step, at: clock.t }) };
    const posted = [];
    // A loaded machine: 40 ms of wall time per 1 ms of training time (the loop's elapsedMs).
    const k = new Keeper({ engine, elapsedMs: () => clock.t / 40, record: () => null, meta: () => ({}), openStore: async () => store, post: (m) => posted.push(m), now: () => clock.t });
    for (clock.t = 0; clock.t <= 20_000; clock.t += 20) {
      engine.step += 1;
      k.maintain();
      await k.writing;
    }
    // 20 s of wall time, but only 0.5 s of training time: still one autosave every 3 s.
    expect(puts.map((p) => p.at)).toEqual([3000, 6000, 9000, 12000, 15000, 18000]);
    expect(posted.filter((m) => m.type === 'saved').map((m) => m.reason)).toEqual(Array(6).fill('interval'));
  });

  it('is spaced so that the worker spends at most 8 % of its time on it', async () => {
    const clock = { t: 0 };
    const engine = fakeEngine(clock, 400); // serialising a big model takes 400 ms
    let puts = 0;
    const store = { put: async () => (puts += 1) };
    const k = new Keeper({ engine, elapsedMs: () => clock.t, record: () => null, meta: () => ({}), openStore: async () => store, post: () => {}, now: () => clock.t });
    for (clock.t = 0; clock.t <= 600_000; clock.t += 20) {
      engine.step += 1;
      k.maintain();
      await k.writing;
    }
    expect(k.autosaveSpacingMs).toBe(400 / 0.08); // 5 s, not 3
    expect((puts * 400) / 600_000).toBeLessThanOrEqual(0.081);
  });

  it("a write that lands after the model was replaced is not reported as the new model's save", async () => {
    const clock = { t: 0 };
    const engine = fakeEngine(clock);
    let release;
    const store = { put: () => new Promise((r) => (release = r)) };
    const posted = [];
    const k = new Keeper({ engine, elapsedMs: () => clock.t, record: () => null, meta: () => ({}), openStore: async () => store, post: (m) => posted.push(m), now: () => clock.t });
    engine.step = 5;
    const saving = k.autosave('interval');
    await new Promise((r) => setTimeout(r, 0));
    k.forget(0); // a new model, while the old one's write is in flight
    release();
    expect(await saving).toBeNull();
    expect(posted.filter((m) => m.type === 'saved')).toEqual([]);
  });

  it('says when the storage refuses the write, with what to do, even when the browser gives no message', async () => {
    const clock = { t: 0 };
    const engine = fakeEngine(clock);
    // What Chromium rejects with when the quota is exceeded: a DOMException with an empty message.
    const quota = Object.assign(new Error(''), { name: 'QuotaExceededError' });
    const store = { put: async () => Promise.reject(quota) };
    const posted = [];
    const k = new Keeper({ engine, elapsedMs: () => clock.t, record: () => null, meta: () => ({}), openStore: async () => store, post: (m) => posted.push(m), now: () => clock.t });
    engine.step = 5;
    expect(await k.autosave('interval')).toBeNull();
    const log = posted.find((m) => m.type === 'log');
    expect(log).toMatchObject({ level: 'error', what: 'autosave' });
    expect(log.message).toBe(storageError(quota, 'The autosave').message);
    expect(log.message).toMatch(/^The autosave failed: this browser's storage for the playground is full .*Download the model file instead/);
    expect(k.failure).toBe(log.message);
  });
});

describe('storage errors', () => {
  it('say what happened and what to do, whatever the browser gave', () => {
    const blank = storageError(Object.assign(new Error(''), { name: 'UnknownError' }), 'Saving “x”');
    expect(blank.message).toBe('Saving “x” failed: the browser refused it (UnknownError). Download the model file instead (Models → “Download model”).');
    expect(storageError(null, 'The autosave').message).toMatch(/^The autosave failed: the browser refused it without saying why\. Download/);
    expect(storageError(new Error('disk on fire'), 'The autosave').message).toMatch(/^The autosave failed: disk on fire\. Download/);
  });
});

describe('training on a class filter (the Train panel\'s "Train on", the anomaly detectors)', () => {
  it('counts the images a filter keeps, as the data files have them', () => {
    for (const dataset of ['mnist', 'fashion-mnist']) {
      const raw = gunzipSync(readFileSync(new URL(`../../web/public/data/${dataset}-train.aeds.gz`, import.meta.url)));
      const n = raw.readUInt32LE(8);
      const counts = Array(10).fill(0);
      for (let i = 0; i < n; i++) counts[raw[48 + i]]++;
      expect(DATASETS[dataset].trainPerClass).toEqual(counts);
      expect(imagesTrainedOn(dataset, 'all', 3)).toBe(n);
      expect(imagesTrainedOn(dataset, 'except', 7)).toBe(n - counts[7]);
      expect(imagesTrainedOn(dataset, 'only', 7)).toBe(counts[7]);
    }
    expect(imagesTrainedOn('mnist', 'except', 7)).toBe(53735);
  });

  it('goes into the training config and back from a model file; no shipped model matches a filter', () => {
    const s = applyPatch(defaults(), { train_on: 'except', train_class: 2 }).state;
    expect(trainConfig(s)).toMatchObject({ class_filter: 'except', filter_class: 2 });
    expect(trainConfig(defaults())).toMatchObject({ class_filter: 'all', filter_class: 0 });
    expect(pretrainedFor(s)).toBeNull(); // every shipped "Start from" model saw every class
    expect(pretrainedFor({ ...s, train_on: 'all' })).toBe('mnist-seed');
    expect(settingsOf('mnist-seed').train_on).toBe('all'); // choosing a shipped model clears the filter
    // The anomaly detector's file: its filter comes back as the settings.
    const detector = JSON.parse(readFileSync(new URL('manifest.json', MODELS), 'utf8')).models.find((m) => m.id === 'mnist-anomaly');
    const { patch } = stateFromConfigs(detector.config.model, detector.config.train);
    expect(patch).toMatchObject({ train_on: 'except', train_class: 2 });
    // A file written before the filter existed trains on every class.
    const { class_filter: _, filter_class: __, ...old } = detector.config.train;
    expect(stateFromConfigs(detector.config.model, old).patch).toMatchObject({ train_on: 'all', train_class: 0 });
    expect(applyPatch(defaults(), { train_class: 10 }).errors.length).toBe(1);
  });
});
