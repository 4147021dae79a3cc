// Number and time formatting shared by the views, and the time-left estimate.
const INT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 }); // toLocaleString builds one per call
export const formatInt = (n) => INT.format(Math.round(n));
export const formatLoss = (x) => (x == null || !Number.isFinite(x) ? '–' : x >= 100 ? x.toFixed(1) : x >= 1 ? x.toFixed(2) : x.toPrecision(3));
export const formatPercent = (f) => `${Math.round(f * 100)}%`;

/** A value echoed in a message, cut short (a link can carry 100 kB in one setting). */
export function short(text, max = 40) {
  const t = String(text);
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

/** "4 s", "2 min 05 s", "1 h 03 min" */
export function formatDuration(ms) {
  if (!Number.isFinite(ms) || ms < 0) return '–';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

/** Learning rates and other small numbers: 0.001 → "0.001", 3e-5 → "3e-5". */
export function formatSmall(x) {
  if (!Number.isFinite(x)) return '–';
  if (x === 0) return '0';
  if (Math.abs(x) >= 1e-3 && Math.abs(x) < 1e4) return String(Number(x.toPrecision(3)));
  const [m, e] = x.toExponential(1).split('e');
  return `${m.replace(/\.0$/, '')}e${Number(e)}`;
}

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
