// Number formatting shared by the views.
export const formatInt = (n) => Math.round(n).toLocaleString('en-US');
export const formatLoss = (x) => (x == null || !Number.isFinite(x) ? '–' : x >= 100 ? x.toFixed(1) : x.toFixed(2));
export function formatDuration(ms) {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${String(s % 60).padStart(2, '0')} s`;
}
