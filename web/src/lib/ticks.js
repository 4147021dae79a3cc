// Round tick values for a chart axis: the loss chart's log axis (views/loss-chart.js) and the
// applications lab's linear and log axes (views/labs/plot.js).

/** Round values in [lo, hi] in 1-2-5 steps, about `target` of them. */
export function linearTicks(lo, hi, target = 5) {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / target;
  const p = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw) ?? 10 * p;
  const out = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

// Mantissas per decade, sparsest first: a wide range gets powers of ten, a narrow one more.
const MANTISSAS = [[1], [1, 3], [1, 2, 5], [1, 1.5, 2, 3, 5, 7], [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 7, 8, 9]];

/**
 * Round values in [lo, hi] (lo > 0) for a log axis `px` pixels long: the sparsest set that gives
 * at least `want` ticks at least `gap` pixels apart, else the densest that keeps them apart. A
 * loss falling from 190 to 65 used to get one tick (100), which says nothing about where it is
 * now; it now gets 70, 100 and 150. A range too narrow for any of them (64–76) gets linear
 * ticks (65, 70, 75), which on so short a log axis are all but evenly spaced.
 */
export function logTicks(lo, hi, px, { want = 3, gap = 16 } = {}) {
  if (!(hi > lo) || !(lo > 0)) return [lo];
  const decades = Math.log10(hi / lo);
  const apart = (vs) => vs.every((v, i) => i === 0 || (Math.log10(v / vs[i - 1]) / decades) * px >= gap);
  const inRange = (v) => v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9);
  const candidates = MANTISSAS.map((ms) => {
    const out = [];
    for (let k = Math.floor(Math.log10(lo)); k <= Math.ceil(Math.log10(hi)); k++)
      for (const m of ms) {
        const v = Number((m * 10 ** k).toPrecision(12));
        if (inRange(v)) out.push(v);
      }
    return out;
  });
  for (let target = 3; target <= 6; target++) candidates.push(linearTicks(lo, hi, target).filter((v) => v > 0));
  // Where not even the powers of ten fit: every second one, every third, …
  for (let stride = 2; stride < candidates[0].length; stride++) candidates.push(candidates[0].filter((_, i) => i % stride === 0));
  let best = [];
  for (const c of candidates) {
    if (!apart(c)) continue;
    if (c.length >= want) return c;
    if (c.length > best.length) best = c;
  }
  return best; // never empty: a linear candidate has at least one tick, and one tick is apart
}
