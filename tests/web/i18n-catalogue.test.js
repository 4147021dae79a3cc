// The message catalogues are complete and nothing bypasses them:
//   - English and Chinese have the same keys, every message parses (ICU), and each key takes
//     the same parameters in both languages (so no translation drops or invents a number);
//   - every [[term]] link points at a glossary entry; every glossary entry, setting, option,
//     tour step and loss line has its messages;
//   - every key the page's source names exists, and every key in the catalogues is used;
//   - the page's markup (app/template.html) has no text or accessible name outside a message,
//     and the page's scripts set no visible text, accessible name or canvas text from a literal.
// The rendered page itself is checked in Chromium, in Chinese, by tests/e2e/i18n.test.js.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { IntlMessageFormat } from 'intl-messageformat';
import { describe, expect, it } from 'vitest';

import en from '../../web/src/i18n/en.js';
import zh from '../../web/src/i18n/zh.js';
import { SCHEMA } from '../../web/src/state.js';
import { TERMS } from '../../web/src/views/glossary.js';
import { TOUR_STEPS } from '../../web/src/views/tour.js';
import { LOSS_SERIES } from '../../web/src/views/loss-chart.js';

const SRC = new URL('../../web/src/', import.meta.url).pathname;
const files = (dir) => readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? files(join(dir, f)) : [join(dir, f)]));
const SOURCES = files(SRC).filter((f) => /\.(js|html)$/.test(f) && !f.includes('/wasm/') && !f.includes('/i18n/en.js') && !f.includes('/i18n/zh.js'));
// The sources without their comments (which quote keys as examples).
const uncomment = (src) => src.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '').replace(/<!--[\s\S]*?-->/g, '');
const text = Object.fromEntries(SOURCES.map((f) => [relative(SRC, f), uncomment(readFileSync(f, 'utf8'))]));

/** The argument names of a message (nested plural/select branches included). */
function argsOf(message, lang) {
  const names = new Set();
  const walk = (els) => {
    for (const el of els) {
      if (el.value && typeof el.value === 'string' && el.type !== 0) names.add(el.value);
      if (el.options) for (const o of Object.values(el.options)) walk(o.value);
      if (el.children) walk(el.children);
    }
  };
  walk(new IntlMessageFormat(message, lang, undefined, { ignoreTag: true }).getAst());
  return [...names].sort();
}

describe('the catalogues', () => {
  it('have the same keys in English and Chinese', () => {
    expect(Object.keys(zh).filter((k) => !(k in en))).toEqual([]);
    expect(Object.keys(en).filter((k) => !(k in zh))).toEqual([]);
  });

  it('parse, and each message takes the same parameters in both languages', () => {
    const differ = [];
    for (const key of Object.keys(en)) {
      const a = argsOf(en[key], 'en');
      const b = argsOf(zh[key], 'zh-Hans');
      if (JSON.stringify(a) !== JSON.stringify(b)) differ.push(`${key}: en ${a} / zh ${b}`);
    }
    expect(differ).toEqual([]);
  });

  it('have Chinese text in every Chinese message that has English words (no untranslated copies)', () => {
    // A message may stay identical only if it has no English words: names, symbols and numbers.
    const PROPER = /^(MNIST|Fashion|ReLU|Leaky|tanh|Sigmoid|Adam|SGD|RMSprop|KL|VAE|BCE|MSE|English|AEMF|WebAssembly|Web|Worker|PNG|GIF|JPEG|NaN|CSS|AE|ae|playground|full|minimal|none|true|false|en|zh|px|vh|id|mnist|vae2d|models|manifest|json|conv|aemf|npz|PCA|PSNR|SSIM|dB|ROC|AUC)$/;
    const untranslated = Object.keys(en).filter((k) => {
      if (/[\u4e00-\u9fff]/.test(zh[k])) return false;
      const words = zh[k].replace(/\{[^{}]*\}/g, ' ').replace(/\[\[[\w-]+\|?/g, ' ').match(/[A-Za-z]{2,}/g) ?? [];
      return words.some((w) => !PROPER.test(w));
    });
    expect(untranslated).toEqual([]);
  });

  it('link only to glossary entries that exist, and every entry has a name and a text in both languages', () => {
    const links = new Set();
    for (const cat of [en, zh]) for (const m of Object.values(cat)) for (const [, id] of m.matchAll(/\[\[([\w-]+)/g)) links.add(id);
    expect([...links].filter((id) => !TERMS.includes(id))).toEqual([]);
    for (const id of TERMS) {
      expect(en[`glossary.${id}.term`], id).toBeTruthy();
      expect(en[`glossary.${id}.text`], id).toBeTruthy();
    }
  });

  it('explain every setting the form shows: a label, a help line and a “why it matters” line', () => {
    const missing = [];
    for (const f of SCHEMA) {
      const shown = Boolean(f.section);
      const need = shown ? ['label', 'help', 'why'] : ['label'];
      for (const part of need) if (!en[`setting.${f.key}.${part}`]) missing.push(`setting.${f.key}.${part}`);
      for (const o of f.optionLabels && shown ? f.options : []) if (!en[`setting.${f.key}.option.${o}`]) missing.push(`setting.${f.key}.option.${o}`);
    }
    expect(missing).toEqual([]);
  });
});

/** Every key the page can ask for: the literals in its source, and the keys it builds from lists. */
function usedKeys() {
  const used = new Set();
  const all = Object.keys(en);
  for (const src of Object.values(text)) {
    for (const [, k] of src.matchAll(/['"`]([a-z][\w-]*(?:\.[\w-]+)+)['"`]/g)) if (k in en) used.add(k);
    for (const [, k] of src.matchAll(/data-i18n(?:-attr-[\w-]+)?=['"]([\w.-]+)/g)) used.add(k);
  }
  // Keys built at run time from a prefix and a list (the template literals in the source).
  for (const f of SCHEMA) {
    for (const part of ['label', 'help', 'why']) used.add(`setting.${f.key}.${part}`);
    for (const o of f.section ? f.options ?? [] : []) used.add(`setting.${f.key}.option.${o}`);
  }
  for (const id of TERMS) used.add(`glossary.${id}.term`).add(`glossary.${id}.text`);
  for (const s of TOUR_STEPS) for (const p of ['title', 'text', 'action']) used.add(`tour.${s.id}.${p}`);
  for (const s of LOSS_SERIES) used.add(s.label);
  const dynamic = [/^variantName\./, /^lesson\.[\w-]+\.(title|intro)$/, /^teachers\.attr\./, /^variant\./, /^variantShort\./, /^dataset\./, /^class\./, /^pretrained\./, /^formula\.(term|layer|recon)\./, /^formula\.(encoder|decoder)$/, /^learn\.row\./, /^settings\.group\./];
  for (const k of all) if (dynamic.some((re) => re.test(k))) used.add(k);
  return used;
}

describe('the page and its catalogues', () => {
  it('names only keys that exist', () => {
    const missing = [];
    for (const [file, src] of Object.entries(text)) {
      for (const [, k] of src.matchAll(/data-i18n(?:-attr-[\w-]+)?=['"]([\w.-]+)/g)) if (!(k in en)) missing.push(`${file}: ${k}`);
      for (const [, k] of src.matchAll(/(?:i18n|this\.i18n)\.(?:text|attr|t|plain)\(\s*[^,()]*?,?\s*'([\w.-]+)'/g)) if (/\./.test(k) && !(k in en)) missing.push(`${file}: ${k}`);
      for (const [, k] of src.matchAll(/\b(?:key|k):\s*'([a-z][\w-]*\.[\w.-]+)'/g)) if (!(k in en)) missing.push(`${file}: ${k}`);
      for (const [, k] of src.matchAll(/V\.msg\('([\w.-]+)'/g)) if (!(k in en)) missing.push(`${file}: ${k}`);
      for (const [, k] of src.matchAll(/(?:announce|LocalizedError)\(\s*'([\w.-]+)'/g)) if (!(k in en)) missing.push(`${file}: ${k}`);
    }
    expect(missing).toEqual([]);
  });

  it('use every key in the catalogues', () => {
    const used = usedKeys();
    expect(Object.keys(en).filter((k) => !used.has(k))).toEqual([]);
  });

  it('markup: no text or accessible name outside a message', () => {
    const html = text['app/template.html'];
    // Allowed as they are: the language names (each in its own language), the two ends' letters,
    // close buttons (×), "?" buttons and numbers with units (option values such as 0.5×, 6 × 6).
    const ALLOWED = /^(English|中文|A|B|×|\?|–|[\d.\s×]+)$/;
    const bypass = [];
    // Text between tags, unless its element carries data-i18n.
    for (const m of html.matchAll(/<([a-z0-9-]+)([^>]*)>([^<]+)</g)) {
      const [, , attrs, inner] = m;
      const t = inner.trim();
      if (!t || /data-i18n=/.test(attrs) || ALLOWED.test(t)) continue;
      bypass.push(t);
    }
    // Accessible names and titles given as literals.
    for (const m of html.matchAll(/\s(aria-label|title|alt|placeholder|aria-roledescription|aria-valuetext)="([^"]*)"/g)) bypass.push(`${m[1]}="${m[2]}"`);
    expect(bypass).toEqual([]);
  });

  it('scripts: no visible text, accessible name or canvas text set from a literal', () => {
    // The page's modules (what runs in the worker or checks arguments reports through
    // i18n/errors.js, which maps the messages people can meet).
    const PAGE = Object.keys(text).filter((f) => f.endsWith('.js') && /^(views\/|embed\/|controller\.js|playground\.js|model-library\.js|applications-lab\.js|main\.js)/.test(f));
    const bypass = [];
    // A literal with words once its ${…} parts are taken out.
    const LIT = String.raw`(\`(?:[^\`$]|\$\{[^}]*\})*\`|'[^']*'|"[^"]*")`;
    const words = (lit) => /[A-Za-z]{2}/.test(lit.replace(/\$\{[^}]*\}/g, ''));
    const rules = [
      [new RegExp(String.raw`\.textContent\s*=\s*${LIT}`, 'g'), 'textContent from a literal', true],
      [new RegExp(String.raw`\.setAttribute\(\s*'(?:aria-label|title|aria-valuetext|alt|placeholder|aria-roledescription)'\s*,\s*${LIT}`, 'g'), 'accessible name from a literal', false],
      [new RegExp(String.raw`\.(?:title|placeholder|alt)\s*=\s*${LIT}`, 'g'), 'title from a literal', true],
      [new RegExp(String.raw`(?:fill|stroke)Text\(\s*${LIT}`, 'g'), 'canvas text from a literal', true],
      [new RegExp(String.raw`\bannounce\(\s*\``, 'g'), 'announcement from a template literal', false],
      [new RegExp(String.raw`\bnew Error\(\s*${LIT}`, 'g'), 'an Error shown to people with an English literal (use LocalizedError)', false],
      [new RegExp(String.raw`\b(?:append|prepend|before|after)\(\s*${LIT}`, 'g'), 'text node from a literal', true],
    ];
    // The few errors only a programmer can cause keep English messages.
    const PROGRAMMER = [/is not on the page/];
    for (const f of PAGE) {
      const src = text[f];
      for (const [re, what, needWords] of rules) {
        for (const m of src.matchAll(re)) {
          if (needWords && !words(m[1])) continue;
          const line = src.slice(src.lastIndexOf('\n', m.index) + 1, src.indexOf('\n', m.index));
          if (/^\s*(\/\/|\*)/.test(line) || PROGRAMMER.some((p) => p.test(line))) continue;
          bypass.push(`${f}: ${what}: ${line.trim().slice(0, 120)}`);
        }
      }
    }
    expect(bypass).toEqual([]);
  });
});
