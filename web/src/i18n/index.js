// The page's languages: English and Simplified Chinese. One I18n object per playground (two
// elements on one course page may speak different languages); every string a person sees or
// hears comes from a catalogue (i18n/en.js, i18n/zh.js) through it.
//
//   const i18n = await createI18n('zh');
//   i18n.t('train.start')                                  // "开始训练"
//   i18n.t('train.steps', { n: 3 })                        // ICU plurals: "3 步" / "3 steps"
//   i18n.t('draw.error', { mse: V.small(0.0021) })         // typed values format per locale
//   i18n.text(el, 'train.start')                          // sets the text and remembers the key,
//   i18n.attr(el, 'aria-label', 'draw.padLabel')          // so setLang() re-renders it in place
//   await i18n.setLang('en')                               // every remembered string, then onChange
//
// Messages use ICU MessageFormat (intl-messageformat: plurals from Intl.PluralRules, select,
// nesting). Parameters may be typed values (i18n/values.js: integers, losses, durations, …, or
// another message) so that numbers are formatted in the language they are shown in, also
// after a switch. Rich text (help and explanations): **bold**, *emphasis* and [[term]] or
// [[term|words]], a link to the glossary entry `term` (i18n/dom.js renders it).
import { IntlMessageFormat } from 'intl-messageformat';
import en from './en.js';
import { formatValue, isTyped } from './values.js';
import { plain, renderInto } from './dom.js';

export const LANGS = Object.freeze(['en', 'zh']);
/** BCP 47 tags the page sets on its root (screen readers, fonts and line breaking follow them). */
export const LANG_TAGS = Object.freeze({ en: 'en', zh: 'zh-Hans' });
/** Each language's name in itself, for the switch. */
export const LANG_NAMES = Object.freeze({ en: 'English', zh: '中文' });

const loaders = { en: () => Promise.resolve(en), zh: () => import('./zh.js').then((m) => m.default) };
const catalogues = { en };

/** A language tag ('zh-CN', 'zh-Hant-TW', 'en-GB', 'ZH') → 'zh' | 'en', or null for the others. */
export function normalizeLang(tag) {
  const base = String(tag ?? '').trim().toLowerCase().split(/[-_]/)[0];
  return LANGS.includes(base) ? base : null;
}

/**
 * The language to use: the first of `preferred` (explicit choices, most specific first: an
 * element attribute, the link, a remembered choice, the host page's lang) that we have, else
 * the browser's first language we have, else English.
 * @param {(string|null|undefined)[]} preferred
 * @param {readonly string[]} [browser] navigator.languages
 */
export function detectLang(preferred = [], browser = globalThis.navigator?.languages ?? []) {
  for (const tag of [...preferred, ...browser]) {
    const l = normalizeLang(tag);
    if (l) return l;
  }
  return 'en';
}

/** The catalogue of a language (loaded on first use; English is always there). */
export async function loadCatalogue(lang) {
  const l = normalizeLang(lang) ?? 'en';
  catalogues[l] ??= await loaders[l]();
  return catalogues[l];
}

export class I18n {
  /** Use createI18n: it loads the catalogue first. */
  constructor(lang = 'en') {
    this.lang = normalizeLang(lang) ?? 'en';
    this.compiled = new Map(); // `${lang}\u0000${key}` → IntlMessageFormat
    this.listeners = new Set();
    this.bound = new Set(); // roots whose [data-i18n…] elements setLang re-renders
  }

  get tag() {
    return LANG_TAGS[this.lang];
  }

  /**
   * The message `key` with `params`. A key missing from this language falls back to English
   * (the completeness test keeps that from happening); a key missing from both is returned
   * in brackets, visibly wrong.
   */
  t(key, params = {}) {
    const cat = catalogues[this.lang] ?? en;
    const lang = key in cat ? this.lang : 'en';
    const source = (lang === this.lang ? cat : en)[key];
    if (source === undefined) return `[${key}]`;
    const id = `${lang}\u0000${key}`;
    let fmt = this.compiled.get(id);
    if (!fmt) {
      fmt = new IntlMessageFormat(source, LANG_TAGS[lang], undefined, { ignoreTag: true });
      this.compiled.set(id, fmt);
    }
    return String(fmt.format(this.#values(params)));
  }

  /** The message without its markup: for attributes, canvases and the live region. */
  plain(key, params) {
    return plain(this.t(key, params), this.termName);
  }

  /** A glossary term's name ([[term]] links show it). */
  termName = (id) => this.t(`glossary.${id}.term`);

  /** Whether the current catalogue (or English) has `key`. */
  has(key) {
    return key in (catalogues[this.lang] ?? en) || key in en;
  }

  /** Formats one typed value (values.js) in the current language. */
  format(value) {
    return isTyped(value) ? formatValue(value, this) : String(value);
  }

  #values(params) {
    const out = {};
    for (const [k, v] of Object.entries(params ?? {})) out[k] = isTyped(v) ? formatValue(v, this) : v;
    return out;
  }

  /**
   * Sets an element's text to a message and remembers the message on the element, so that a
   * language switch re-renders it. Rich messages (**, *, [[term]]) become elements.
   */
  text(el, key, params) {
    if (!el) return;
    // Attributes, not el.dataset: a <form> with a control named "dataset" hides its dataset.
    el.setAttribute('data-i18n', key);
    if (params && Object.keys(params).length) el.setAttribute('data-i18n-args', JSON.stringify(params));
    else el.removeAttribute('data-i18n-args');
    renderInto(el, this.t(key, params), this.termName);
  }

  /** Sets an attribute (aria-label, title, aria-valuetext, …) to a message, remembered likewise. */
  attr(el, name, key, params) {
    if (!el) return;
    el.setAttribute(`data-i18n-attr-${name}`, params && Object.keys(params).length ? `${key} ${JSON.stringify(params)}` : key);
    el.setAttribute(name, this.plain(key, params));
  }

  /** Clears an element's text and what it remembered. */
  clear(el) {
    if (!el) return;
    el.removeAttribute('data-i18n');
    el.removeAttribute('data-i18n-args');
    el.textContent = '';
  }

  /** Renders every remembered message under `root` (template markup included); setLang repeats it. */
  localize(root) {
    this.bound.add(root);
    for (const el of root.querySelectorAll('[data-i18n]')) {
      const args = el.getAttribute('data-i18n-args');
      renderInto(el, this.t(el.getAttribute('data-i18n'), args ? JSON.parse(args) : undefined), this.termName);
    }
    for (const el of root.querySelectorAll('*')) {
      for (const { name: data, value: spec } of [...el.attributes]) {
        if (!data.startsWith('data-i18n-attr-')) continue;
        const attr = data.slice('data-i18n-attr-'.length);
        const space = spec.indexOf(' ');
        const key = space < 0 ? spec : spec.slice(0, space);
        const params = space < 0 ? undefined : JSON.parse(spec.slice(space + 1));
        el.setAttribute(attr, this.plain(key, params));
      }
    }
  }

  /** Switches the language: loads its catalogue, re-renders every bound root, then tells listeners. */
  async setLang(lang) {
    const l = normalizeLang(lang) ?? 'en';
    await loadCatalogue(l);
    if (l === this.lang) return;
    this.lang = l;
    for (const root of this.bound) this.localize(root);
    for (const fn of this.listeners) fn(l);
  }

  /** Called after every language switch (views that draw text on canvases redraw). */
  onChange(fn) {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }
}

/** An I18n for `lang` with its catalogue loaded. */
export async function createI18n(lang) {
  const l = normalizeLang(lang) ?? 'en';
  await loadCatalogue(l);
  return new I18n(l);
}
