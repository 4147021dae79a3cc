// The page's session (web/src/controller.js) on the real worker handlers and WASM engine
// (tests/web/local-worker.js), with the shipped pretrained models served from web/public.
import { beforeAll, describe, expect, it } from 'vitest';

import { Controller } from '../../web/src/controller.js';
import { EngineClient } from '../../web/src/engine-client.js';
import { Event, Request } from '../../web/src/protocol.js';
import { Store, fromHash, toHash } from '../../web/src/state.js';
import { loadModule, localFetch } from './engine-module.js';
import { LocalWorker } from './local-worker.js';
import { waitFor } from './worker-host.js';

let module;
beforeAll(async () => {
  module = await loadModule();
});

/** A controller on a fresh in-thread worker, opened with the settings of `hash`. */
async function session(hash = '') {
  const worker = new LocalWorker(module);
  // The "worker" shares this thread: loading a model or a dataset holds it for seconds.
  const client = new EngineClient(worker, { deadAfterMs: 120_000 });
  const store = new Store(fromHash(hash).state);
  const controller = new Controller({ client, store, confirm: async () => true, baseUrl: 'http://localhost/', fetchImpl: localFetch });
  const events = [];
  for (const name of ['changing', 'model', 'target', 'error']) controller.on(name, (e) => events.push({ name, ...e }));
  await client.request(Request.INIT, { baseUrl: 'http://localhost/' });
  await controller.loadManifest();
  await controller.buildFirstModel();
  return { worker, client, store, controller, events };
}

describe('Controller', () => {
  it('choosing "Variational autoencoder" on pretrained weights loads the shipped 2-D VAE', async () => {
    const { client, store, controller, events } = await session();
    expect(controller.source).toMatchObject({ kind: 'pretrained', id: 'mnist-seed' });
    await controller.propose({ variant: 'vae' });
    expect(events.filter((e) => e.name === 'error')).toEqual([]);
    expect(controller.source).toMatchObject({ kind: 'pretrained', id: 'mnist-vae2d' });
    expect(store.state).toMatchObject({ variant: 'vae', latent: 2, weights: 'pretrained' });
    expect(controller.epoch).toBeGreaterThan(0); // trained, not fresh
    // Views were told before the model was replaced, so that no code of the old size goes out after.
    const changing = events.findIndex((e) => e.name === 'changing');
    expect(changing).toBeGreaterThanOrEqual(0);
    expect(changing).toBeLessThan(events.findIndex((e, i) => e.name === 'model' && i > 1));
    // On fresh weights, choosing a kind of model stays fresh.
    await controller.chooseWeights('scratch');
    await controller.propose({ variant: 'dense' });
    expect(controller.source.kind).toBe('scratch');
    expect(controller.epoch).toBe(0);
    client.kill();
  });

  it('"Fine-tune" trains "Train for" epochs more without changing the setting or the link', async () => {
    const { client, store, controller, events } = await session('#epochs=2');
    const start = controller.epoch;
    expect(start).toBeGreaterThanOrEqual(2); // the pretrained model has more epochs than "Train for"
    const hash = toHash(store.state);
    const states = [];
    client.on(Event.STATE, (s) => states.push(s));
    await controller.start();
    await waitFor(() => states.some((s) => s.running));
    expect(controller.targetEpochs).toBe(start + 2);
    expect(events.filter((e) => e.name === 'target').at(-1)).toEqual({ name: 'target', total: start + 2, more: 2 });
    await controller.pause();
    expect(store.state.epochs).toBe(2);
    expect(toHash(store.state)).toBe(hash);
    // Resuming the same run keeps its target; a new model counts from 0 again.
    await controller.start();
    expect(controller.targetEpochs).toBe(start + 2);
    await controller.pause();
    await controller.chooseWeights('scratch');
    expect(controller.targetEpochs).toBe(2);
    client.kill();
  });
});
