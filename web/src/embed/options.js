// What an <ae-playground> element's attributes (or the iframe route's query) ask for, as
// settings (state.js) and mount options. Pure: tests/web/embed-options.test.js covers it.
//
//   <ae-playground lesson="latent-2d" dataset="fashion-mnist" model="vae" panels="draw,latent"
//                  controls="minimal" lang="zh" height="640px" storage="week3"
//                  settings="lr=0.01&epochs=3"></ae-playground>
import { VARIANTS } from '../state.js';
import { settingsOf, splitId } from '../lib/pretrained.js';
import { short } from '../lib/format.js';
import { normalizeLang } from '../i18n/index.js';

/** The attributes the element reads (observedAttributes). */
export const ATTRIBUTES = Object.freeze(['lesson', 'dataset', 'model', 'panels', 'controls', 'lang', 'height', 'storage', 'settings']);

/**
 * @param {Record<string, string|null>} attrs attribute name → value (null or absent: not set)
 * @returns {{entries: Record<string, string>, height: string|null, storage: string|null, errors: string[],
 *   messages: {key: string, params: object}[]}}
 *   entries: settings as a URL hash would give them (state.js fromEntries reads and checks them);
 *   the `lang` attribute becomes entries.lang when it names a language the page speaks (lang is
 *   a global HTML attribute: any other value is left to the page around, without a message)
 *   errors: in English; messages: the same for the page's language
 */
export function readAttributes(attrs) {
  const errors = [];
  const messages = [];
  const note = (key, params, english) => {
    errors.push(english);
    messages.push({ key, params });
  };
  const entries = {};
  const get = (k) => (typeof attrs[k] === 'string' ? attrs[k].trim() : null);
  // `settings` first: the dedicated attributes win over the same keys inside it.
  const settings = get('settings');
  if (settings) for (const [k, v] of new URLSearchParams(settings.replace(/^[#?]/, ''))) entries[k] = v;
  // Attributes that are settings of their own (state.js validates them and reports bad values).
  for (const k of ['lesson', 'dataset', 'panels', 'controls']) {
    const v = get(k);
    if (v) entries[k] = v;
  }
  const lang = normalizeLang(get('lang'));
  if (lang) entries.lang = lang;
  const model = get('model');
  if (model) {
    if (VARIANTS.includes(model)) {
      entries.variant = model;
    } else if (splitId(model)) {
      for (const [k, v] of Object.entries(settingsOf(model))) entries[k] = Array.isArray(v) ? v.join(',') : String(v);
      entries.weights = 'pretrained';
    } else {
      note('attr.model', { value: short(model), kinds: VARIANTS.join(', ') }, `Ignored model="${short(model)}": use a model kind (${VARIANTS.join(', ')}) or a pretrained model's id (such as mnist-vae2d).`);
    }
  }
  let height = get('height');
  if (height && !/^\d+(\.\d+)?(px|em|rem|vh|%)?$/.test(height)) {
    note('attr.height', { value: short(height) }, `Ignored height="${short(height)}": use a CSS length such as 640px or 80vh.`);
    height = null;
  } else if (height && /^\d+(\.\d+)?$/.test(height)) height = `${height}px`;
  let storage = get('storage');
  if (storage && !/^[\w.-]{1,64}$/.test(storage)) {
    note('attr.storage', { value: short(storage) }, `Ignored storage="${short(storage)}": use 1 to 64 letters, digits, '.', '-' or '_'.`);
    storage = null;
  }
  return { entries, height, storage, errors, messages };
}
