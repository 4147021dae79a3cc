// Typed message parameters: a number says how it is to be shown, and is formatted with Intl in
// the language of the moment it is shown in (so a language switch reformats it). They are
// plain JSON, so an element can remember them (data-i18n-args) and render them again.
//
//   i18n.t('train.status', { step: V.int(1234), loss: V.loss(65.3), left: V.dur(95_000) })
//   V.msg('dataset.mnist')       another message, translated too
import { describeError } from './errors.js';
import { formatDuration, formatInt, formatLoss, formatPercent, formatSmall, formatFixed, formatBytes, formatDate } from '../lib/format.js';

export const V = Object.freeze({
  /** 12,345 / 12,345 */
  int: (n) => ({ $: 'int', v: n }),
  /** a loss: 1 decimal from 100 on, 2 from 1, 3 significant digits below */
  loss: (x) => ({ $: 'loss', v: x }),
  /** learning rates and other small numbers: 0.001, 3e-5 */
  small: (x) => ({ $: 'small', v: x }),
  /** a fixed number of decimals */
  fixed: (x, digits) => ({ $: 'fixed', v: x, d: digits }),
  /** a fraction as a percentage: 0.42 → 42% */
  pct: (f) => ({ $: 'pct', v: f }),
  /** milliseconds as "2 min 05 s" / "2 分 05 秒" */
  dur: (ms) => ({ $: 'dur', v: ms }),
  /** bytes as megabytes */
  mb: (bytes) => ({ $: 'mb', v: bytes }),
  /** a time stamp (ms since 1970) in one of the styles of format.js formatDate */
  date: (ms, style = 'datetime') => ({ $: 'date', v: ms, s: style }),
  /** another message, with its own parameters */
  msg: (key, params) => ({ $: 'msg', k: key, p: params }),
  /** a string shown as it is (file names, model names people typed) */
  raw: (text) => ({ $: 'raw', v: String(text) }),
  /**
   * an error's text: the engine's English message in English, the catalogue's message for it
   * (i18n/errors.js) in other languages; a LocalizedError's own message in every language
   */
  err: (e) => (e?.key ? { $: 'msg', k: e.key, p: e.params } : { $: 'err', m: String(e?.message ?? e), c: e?.code ?? null, p: e?.params ?? null }),
  /** a value in lower case, as in the middle of an English sentence ("the latent size") */
  lower: (v) => ({ $: 'lower', v }),
  /** values (typed or plain) joined by a separator: "784 → 400 → 20" */
  join: (items, sep) => ({ $: 'join', v: items, s: sep }),
});

export const isTyped = (v) => v !== null && typeof v === 'object' && typeof v.$ === 'string';

/** The text of a typed value in `i18n`'s language. */
export function formatValue(v, i18n) {
  const lang = i18n.tag;
  switch (v.$) {
    case 'int': return formatInt(v.v, lang);
    case 'loss': return formatLoss(v.v, lang);
    case 'small': return formatSmall(v.v, lang);
    case 'fixed': return formatFixed(v.v, v.d, lang);
    case 'pct': return formatPercent(v.v, lang);
    case 'dur': return formatDuration(v.v, lang);
    case 'mb': return formatBytes(v.v, lang);
    case 'date': return formatDate(v.v, v.s, lang);
    case 'msg': return i18n.t(v.k, v.p);
    case 'raw': return v.v;
    case 'err': {
      if (i18n.lang === 'en') return v.m;
      const d = describeError({ message: v.m, code: v.c, params: v.p ?? undefined });
      return i18n.t(d.key, d.params);
    }
    case 'lower': return (isTyped(v.v) ? formatValue(v.v, i18n) : String(v.v)).toLocaleLowerCase(lang);
    case 'join': return v.v.map((x) => (isTyped(x) ? formatValue(x, i18n) : String(x))).join(v.s);
    default: throw new Error(`unknown message value type '${v.$}'`);
  }
}
