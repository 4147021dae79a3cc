// The GEMM peak every "% of peak" of `npm run bench` divides by (scripts/bench/common.mjs).
import { describe, expect, it } from 'vitest';

import { gemmPeak, summary } from '../../scripts/bench/common.mjs';

// Two rounds as 2026-12-07's run 23 measured them: round 2's two gemm_bench runs both slowed.
const RUN_23 = [
  { engine: 'wasm', process: 1, when: 'before', peak_gflops: 45.7, cpu_share: 1 },
  { engine: 'wasm', process: 1, when: 'after', peak_gflops: 44.9, cpu_share: 0.98 },
  { engine: 'wasm', process: 2, when: 'before', peak_gflops: 29.3, cpu_share: 0.5 },
  { engine: 'wasm', process: 2, when: 'after', peak_gflops: 28.8, cpu_share: 0 },
  { engine: 'native', process: 1, when: 'before', peak_gflops: 110.2 },
];

describe('the run\'s GEMM peak', () => {
  it('is the largest measurement, not the median of the rounds, so a slowed round cannot raise a percentage', () => {
    const p = gemmPeak(RUN_23, 'wasm');
    expect(p.rounds).toEqual([45.7, 29.3]);
    expect(p.peak).toBe(45.7);
    expect(summary(p.rounds).median).toBeCloseTo(37.5, 10); // what the median made of it
    // run 23's conv AE, 2,800 samples/s of 12,155,136 FLOP: 74.5 % of the peak (the median said 91 %)
    expect((100 * 2800 * 12155136) / 1e9 / p.peak).toBeCloseTo(74.47, 2);
  });

  it('keeps engines apart and takes the figure it is given, leaving out the non-finite', () => {
    expect(gemmPeak(RUN_23, 'native')).toEqual({ rounds: [110.2], peak: 110.2 });
    const perCpu = gemmPeak(RUN_23, 'wasm', (g) => (g.cpu_share > 0 ? g.peak_gflops / Math.min(1, g.cpu_share) : NaN));
    expect(perCpu.rounds).toEqual([44.9 / 0.98, 29.3 / 0.5]); // round 1's larger is its second; cpu_share 0 left out
    expect(perCpu.peak).toBe(29.3 / 0.5);
  });

  it('is NaN with no measurement of that engine', () => {
    const p = gemmPeak(RUN_23, 'wasm_rx');
    expect(p.rounds).toEqual([]);
    expect(p.peak).toBeNaN();
  });
});
