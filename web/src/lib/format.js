// Number, time and size formatting shared by the views (and by typed message values,
// i18n/values.js), per language with Intl; and the time-left estimate. `lang` is a BCP 47 tag
// ('en', 'zh-Hans'); English when left out.
const cache = new Map(); // Intl formatters are costly to build: one per (kind, lang)
function intl(kind, lang, make) {
  const id = `${kind}|${lang}`;
  if (!cache.has(id)) cache.set(id, make());
  return cache.get(id);
}
const number = (lang, digits, grouping = true) =>
  intl(`n${digits}${grouping}`, lang, () => new Intl.NumberFormat(lang, { minimumFractionDigits: digits, maximumFractionDigits: digits, useGrouping: grouping }));

/** A value echoed in a message, cut short (a link can carry 100 kB in one setting). */
export function short(text, max = 40) {
  const t = String(text);
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

/** 12345 → "12,345" */
export const formatInt = (n, lang = 'en') => number(lang, 0).format(Math.round(n));

/** A loss: 1 decimal from 100 on, 2 from 1, 3 significant digits below; "–" when there is none. */
export function formatLoss(x, lang = 'en') {
  if (x == null || !Number.isFinite(x)) return '–';
  if (x >= 100) return number(lang, 1, false).format(x);
  if (x >= 1) return number(lang, 2, false).format(x);
  return intl('p3', lang, () => new Intl.NumberFormat(lang, { maximumSignificantDigits: 3, useGrouping: false })).format(x);
}

/** A fixed number of decimals: (0.00213, 4) → "0.0021" */
export const formatFixed = (x, digits, lang = 'en') => (Number.isFinite(x) ? number(lang, digits, false).format(x) : '–');

/** 0.42 → "42%" */
export const formatPercent = (f, lang = 'en') => intl('pct', lang, () => new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 0 })).format(f);

/** Bytes as megabytes: "1.3 MB", "12 MB" */
export function formatBytes(bytes, lang = 'en') {
  const mb = bytes / 1e6;
  return intl(`mb${mb < 10}`, lang, () => new Intl.NumberFormat(lang, { style: 'unit', unit: 'megabyte', maximumFractionDigits: mb < 10 ? 1 : 0 })).format(mb);
}

const unit = (u, lang) => intl(`u${u}`, lang, () => new Intl.NumberFormat(lang, { style: 'unit', unit: u, unitDisplay: 'short' }));

/** "4 sec", "2 min 5 sec", "1 hr 3 min" (English); "4秒", "2分钟5秒", "1小时3分钟" (Chinese). */
export function formatDuration(ms, lang = 'en') {
  if (!Number.isFinite(ms) || ms < 0) return '–';
  const s = Math.round(ms / 1000);
  const sep = /^(zh|ja|ko)/i.test(lang) ? '' : ' ';
  if (s < 60) return unit('second', lang).format(s);
  const m = Math.floor(s / 60);
  if (m < 60) return `${unit('minute', lang).format(m)}${sep}${unit('second', lang).format(s % 60)}`;
  return `${unit('hour', lang).format(Math.floor(m / 60))}${sep}${unit('minute', lang).format(m % 60)}`;
}

/** Learning rates and other small numbers: 0.001 → "0.001", 3e-5 → "3e-5". */
export function formatSmall(x) {
  if (!Number.isFinite(x)) return '–';
  if (x === 0) return '0';
  if (Math.abs(x) >= 1e-3 && Math.abs(x) < 1e4) return String(Number(x.toPrecision(3)));
  const [m, e] = x.toExponential(1).split('e');
  return `${m.replace(/\.0$/, '')}e${Number(e)}`;
}

const DATE_STYLES = {
  time: { hour: '2-digit', minute: '2-digit', second: '2-digit' },
  datetime: { dateStyle: 'medium', timeStyle: 'short' },
  short: { dateStyle: 'short', timeStyle: 'short' },
};

/** A time stamp (ms) as a time ('time'), a date and time ('datetime') or a short one ('short'). */
export const formatDate = (ms, style = 'datetime', lang = 'en') => intl(`d${style}`, lang, () => new Intl.DateTimeFormat(lang, DATE_STYLES[style] ?? DATE_STYLES.datetime)).format(ms);

/**
 * Milliseconds until `targetEpochs` epochs are done, at the current speed; null when unknown.
 * @param {{epochsDone: number, samplesPerSec: number, trainCount: number, targetEpochs: number}} o
 *   epochsDone is fractional (epoch + progress in the current one)
 */
export function timeLeftMs({ epochsDone, samplesPerSec, trainCount, targetEpochs }) {
  if (!(samplesPerSec > 0) || !(trainCount > 0) || !(targetEpochs > 0)) return null;
  const remaining = Math.max(0, targetEpochs - epochsDone);
  return ((remaining * trainCount) / samplesPerSec) * 1000;
}

/**
 * The epoch a saved model is in, the same number wherever a save is shown (the resume offer,
 * the autosave status, the saved list): the epoch under way, or the last one when it ended on
 * an epoch's end. Epochs count from 1.
 * @param {{epoch: number, epochProgress?: number}} meta epoch: epochs completed
 */
export function epochOf({ epoch, epochProgress = 0 }) {
  return epochProgress > 0 && epochProgress < 1 ? epoch + 1 : Math.max(1, epoch);
}
