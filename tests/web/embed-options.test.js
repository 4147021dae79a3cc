// What an <ae-playground> element's attributes ask for (web/src/embed/options.js), and the
// storage namespaces that keep several playgrounds' saved models apart (lib/model-store.js).
import { describe, expect, it } from 'vitest';

import { readAttributes } from '../../web/src/embed/options.js';
import { short } from '../../web/src/lib/format.js';
import { DB_NAME, dbName } from '../../web/src/lib/model-store.js';
import { fromEntries } from '../../web/src/state.js';

describe('element attributes', () => {
  it('map onto the settings a link would give, the dedicated attributes winning over `settings`', () => {
    const o = readAttributes({ dataset: 'fashion-mnist', model: 'vae', panels: 'draw,latent', settings: 'lr=0.01&dataset=mnist&epochs=3' });
    expect(o.entries).toEqual({ lr: '0.01', dataset: 'fashion-mnist', epochs: '3', variant: 'vae', panels: 'draw,latent' });
    expect(o.errors).toEqual([]);
    const { state, errors } = fromEntries(o.entries);
    expect(errors).toEqual([]);
    expect(state).toMatchObject({ dataset: 'fashion-mnist', variant: 'vae', latent: 2, lr: 0.01, epochs: 3, panels: ['draw', 'latent'] });
  });

  it('take a pretrained model by its id, with its architecture', () => {
    const o = readAttributes({ model: 'fashion-mnist-conv' });
    const { state } = fromEntries(o.entries);
    expect(state).toMatchObject({ dataset: 'fashion-mnist', variant: 'conv', conv: [32, 64], latent: 20, weights: 'pretrained' });
  });

  it('report every bad value, each cut short, and fall back to the defaults', () => {
    const long = 'x'.repeat(500);
    const o = readAttributes({ model: long, controls: 'some', lesson: 'nope', height: 'tall', storage: 'a b' });
    expect(o.errors).toHaveLength(3);
    expect(o.errors[0]).toContain(`model="${'x'.repeat(39)}…"`);
    expect(o.errors.join(' ')).toMatch(/height="tall".*CSS length/);
    expect(o.errors.join(' ')).toMatch(/storage="a b"/);
    expect(o).toMatchObject({ height: null, storage: null });
    // The attributes that are settings are checked by the schema, every one reported.
    const { state, errors } = fromEntries(o.entries);
    expect(errors).toHaveLength(2);
    expect(errors.join(' ')).toMatch(/'controls' must be one of full, minimal, none, got 'some'/);
    expect(errors.join(' ')).toMatch(/'lesson' must be one of/);
    expect(state).toMatchObject({ controls: 'full', lesson: '' });
    // A bad setting inside `settings` is reported by the schema, as for a link.
    expect(fromEntries(readAttributes({ settings: 'lr=7' }).entries).errors).toEqual([
      "Ignored a setting on the <ae-playground> element: 'lr' must be a number in [0.00001, 1], got '7'.",
    ]);
  });

  it('read a bare number as pixels for the height', () => {
    expect(readAttributes({ height: '640' }).height).toBe('640px');
    expect(readAttributes({ height: '80vh' }).height).toBe('80vh');
  });

  it('short() keeps short values and cuts long ones', () => {
    expect(short('abc')).toBe('abc');
    expect(short('abcdef', 4)).toBe('abc…');
  });
});

describe('storage namespaces', () => {
  it('keep the standalone playground on its database and give each element its own', () => {
    expect(dbName('')).toBe(DB_NAME);
    expect(dbName('week-3')).toBe(`${DB_NAME}:week-3`);
    expect(dbName('element-2')).not.toBe(dbName('element-1'));
    expect(() => dbName('../x')).toThrow(/storage name/);
  });
});
