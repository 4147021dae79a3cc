// The settings schema: defaults, validation, dependent defaults, the URL hash round trip, and
// the configs handed to the engine.
import { describe, expect, it } from 'vitest';

import {
  FIELDS,
  SCHEMA,
  Store,
  applyKind,
  applyPatch,
  defaults,
  fromHash,
  modelConfig,
  toHash,
  trainConfig,
  trainDiff,
  validate,
} from '../../web/src/state.js';

describe('defaults', () => {
  it('are the seed documents’ model and training settings, with an empty hash', () => {
    const s = defaults();
    expect(modelConfig(s)).toEqual({
      variant: 'dense',
      input: [1, 28, 28],
      encoder: [400],
      latent: 20,
      activation: 'relu',
      output: 'sigmoid',
      loss: 'bce',
      batchnorm: false,
      dropout: 0,
    });
    expect(trainConfig(s)).toMatchObject({ optimizer: 'adam', lr: 0.001, batch_size: 128, seed: 1, noise: 'none', sparsity_weight: 0 });
    expect(toHash(s)).toBe('');
  });

  it('every field has a label and a default that validates', () => {
    const s = defaults();
    for (const f of SCHEMA) {
      expect(f.label, f.key).toBeTruthy();
      expect(validate(f.key, s[f.key]), f.key).toEqual({ ok: true, value: s[f.key] });
    }
  });
});

describe('validation', () => {
  it('accepts strings from links and controls, typed', () => {
    expect(validate('lr', '0.01')).toEqual({ ok: true, value: 0.01 });
    expect(validate('latent', '8')).toEqual({ ok: true, value: 8 });
    expect(validate('widths', '512, 256')).toEqual({ ok: true, value: [512, 256] });
    expect(validate('widths', '')).toEqual({ ok: true, value: [] });
    expect(validate('batchnorm', '1')).toEqual({ ok: true, value: true });
    expect(validate('panels', 'latent,draw')).toEqual({ ok: true, value: ['draw', 'latent'] });
  });

  it('refuses out-of-range, wrongly typed and unknown values with a message naming the key', () => {
    expect(validate('lr', '5')).toMatchObject({ ok: false, error: "'lr' must be a number in [0.00001, 1], got '5'" });
    // …and as a message for the page's language: the setting's label, its range, the value.
    expect(validate('lr', '5').message).toEqual({
      key: 'setting.err.range',
      params: { label: { $: 'msg', k: 'setting.lr.label', p: undefined }, key: 'lr', range: { $: 'msg', k: 'setting.range.number', p: { lo: 0.00001, hi: 1 } }, value: { $: 'raw', v: '5' } },
    });
    expect(validate('lr', 'NaN').error).toMatch(/^'lr' must be a number in \[/);
    expect(validate('latent', '2.5').error).toBe("'latent' must be an integer in [1, 128], got '2.5'");
    expect(validate('variant', 'gan').error).toBe("'variant' must be one of dense, deep, sparse, denoising, vae, conv, conv_vae, sequence, aae, got 'gan'");
    expect(validate('batch_size', '100').error).toMatch(/'batch_size' must be/);
    expect(validate('widths', '400,x').error).toMatch(/'widths' must be up to 6 comma-separated integers in \[1, 2048\]/);
    expect(validate('conv', '').error).toMatch(/'conv' must be 1 to 4 comma-separated integers/);
    expect(validate('panels', 'draw,draw').ok).toBe(false);
    expect(validate('nope', '1')).toMatchObject({ ok: false, error: "unknown setting 'nope'", message: { key: 'setting.err.unknown' } });
  });
});

describe('dependent defaults', () => {
  it('follow their parents while untouched, and stay put once set', () => {
    let { state } = applyPatch(defaults(), { variant: 'deep' });
    expect(state.widths).toEqual([512, 256, 128]);
    ({ state } = applyPatch(state, { variant: 'vae' }));
    expect(state.widths).toEqual([400]);
    expect(state.latent).toBe(2);
    ({ state } = applyPatch(state, { latent: 16 }));
    ({ state } = applyPatch(state, { variant: 'dense' }));
    expect(state.latent).toBe(16); // set by hand: kept
    ({ state } = applyPatch(state, { variant: 'conv' }));
    expect(state.widths).toEqual([]);
    ({ state } = applyPatch(state, { optimizer: 'sgd' }));
    expect(state.momentum).toBe(0.9);
    ({ state } = applyPatch(state, { schedule: 'exponential' }));
    expect(state.gamma).toBe(0.95);
    ({ state } = applyPatch(state, { variant: 'denoising', noise: 'masking' }));
    expect(state.noise_amount).toBe(0.4);
  });

  it('report what changed and which kind of change it is', () => {
    const r = applyPatch(defaults(), { variant: 'deep', lr: 0.01 });
    expect(r.changed).toEqual(['variant', 'widths', 'lr']);
    expect(applyKind(r.changed)).toBe('rebuild');
    expect(applyKind(['lr', 'epochs'])).toBe('live');
    expect(applyKind(['epochs'])).toBe('run');
    expect(applyKind(['panels'])).toBe('view');
    expect(applyKind([])).toBe('none');
    expect(FIELDS.seed.apply).toBe('rebuild');
  });
});

describe('URL hash', () => {
  it('round-trips every non-default setting, seed included', () => {
    const { state } = applyPatch(defaults(), {
      dataset: 'fashion-mnist', variant: 'conv_vae', conv: '16,32,64', latent: '8', lr: '0.003', optimizer: 'rmsprop', momentum: '0.5',
      schedule: 'cosine', cosine_epochs: '20', batch_size: '64', seed: '42', kl_weight: '2', batchnorm: '1', panels: 'draw,latent', embed: '1',
    });
    const hash = toHash(state);
    expect(hash).toBe('#dataset=fashion-mnist&variant=conv_vae&conv=16,32,64&latent=8&batchnorm=1&optimizer=rmsprop&lr=0.003&momentum=0.5&schedule=cosine&cosine_epochs=20&batch_size=64&seed=42&kl_weight=2&panels=draw,latent&embed=1');
    const back = fromHash(hash);
    expect(back.errors).toEqual([]);
    expect(back.state).toEqual(state);
  });

  it('applies parents before children, whatever the order in the link', () => {
    const { state } = fromHash('#latent=6&variant=vae');
    expect(state.latent).toBe(6);
    expect(fromHash('#variant=vae').state.latent).toBe(2);
  });

  it('skips bad entries with a message and keeps the rest', () => {
    const { state, errors } = fromHash('#lr=banana&seed=7&colour=blue');
    expect(state.seed).toBe(7);
    expect(state.lr).toBe(0.001);
    expect(errors).toEqual([
      "Ignored a setting in the link: unknown setting 'colour'.",
      "Ignored a setting in the link: 'lr' must be a number in [0.00001, 1], got 'banana'.",
    ]);
  });

  it("reports keys that are built-in object members as unknown settings, never as fields", () => {
    const { state, errors } = fromHash('#toString=1&constructor=1&__proto__=1&hasOwnProperty=2&seed=3');
    expect(state.seed).toBe(3);
    expect(Object.getPrototypeOf(state)).toBe(Object.prototype);
    expect(errors).toEqual(['toString', 'constructor', '__proto__', 'hasOwnProperty'].map((k) => `Ignored a setting in the link: unknown setting '${k}'.`));
    expect(validate('toString', '1')).toMatchObject({ ok: false, error: "unknown setting 'toString'" });
  });

  it('reports every bad setting, each value cut to 40 characters', () => {
    const huge = 'x'.repeat(100_000);
    const { errors } = fromHash(`#lr=${huge}&seed=-1&${huge}=1`);
    expect(errors).toEqual([
      `Ignored a setting in the link: unknown setting '${'x'.repeat(39)}…'.`,
      `Ignored a setting in the link: 'lr' must be a number in [0.00001, 1], got '${'x'.repeat(39)}…'.`,
      expect.stringMatching(/^Ignored a setting in the link: 'seed' must be .*, got '-1'\.$/),
    ]);
    expect(errors.join(' ').length).toBeLessThan(400);
  });

  it('reads ?embed and ?panels from the query string for course pages', () => {
    const { state } = fromHash('', '?embed&panels=draw');
    expect(state.embed).toBe(true);
    expect(state.panels).toEqual(['draw']);
  });
});

describe('engine configs', () => {
  it('send conv settings only to conv variants and variant knobs only where they apply', () => {
    const conv = applyPatch(defaults(), { variant: 'conv' }).state;
    expect(modelConfig(conv)).toMatchObject({ variant: 'conv', encoder: [], conv: { channels: [32, 64], kernel: 3, stride: 2, padding: 1 } });
    expect(modelConfig(defaults()).conv).toBeUndefined();
    const sparse = applyPatch(defaults(), { variant: 'sparse' }).state;
    expect(trainConfig(sparse)).toMatchObject({ sparsity_weight: 0.5, sparsity_target: 0.05, noise: 'none' });
    const den = applyPatch(defaults(), { variant: 'denoising' }).state;
    expect(trainConfig(den)).toMatchObject({ noise: 'gaussian', noise_amount: 0.5, sparsity_weight: 0 });
  });

  it('trainDiff lists exactly the training keys that changed', () => {
    const a = defaults();
    const b = applyPatch(a, { lr: 0.01, optimizer: 'sgd' }).state;
    expect(trainDiff(a, b)).toEqual({ optimizer: 'sgd', lr: 0.01, momentum: 0.9 });
    expect(trainDiff(a, applyPatch(a, { epochs: 3 }).state)).toEqual({});
  });
});

describe('Store', () => {
  it('notifies listeners with what changed, and not when nothing did', () => {
    const store = new Store();
    const seen = [];
    store.subscribe((e) => seen.push(e.changed));
    expect(store.set({ lr: '0.01' })).toEqual({ changed: ['lr'], errors: [] });
    store.set({ lr: 0.01 });
    expect(store.set({ lr: 'x' }).errors.length).toBe(1);
    expect(seen).toEqual([['lr']]);
    expect(store.state.lr).toBe(0.01);
  });
});
