// What the page says about a model's cost (web/src/lib/cost.js) from the engine's estimate.
import { describe, expect, it } from 'vitest';

import { costWarning, speedFrom } from '../../web/src/lib/cost.js';

// Shaped as the engine's Engine.estimate returns (the seed model's figures, roughly).
const seed = { parameters: 644804, batchSize: 128, trainFlopsPerSample: 3.9e6, reconstructFlopsPerSample: 1.3e6, peakBytes: 40e6, limitBytes: 1.5e9 };

describe('model cost', () => {
  it('says nothing about a model that follows the pen and trains fast', () => {
    expect(costWarning(seed, 6e9)).toBeNull();
    expect(costWarning(null)).toBeNull();
  });

  it('says, with the numbers, when a model cannot follow the pen and an epoch takes long', () => {
    const big = { ...seed, trainFlopsPerSample: 60e9, reconstructFlopsPerSample: 20e9, batchSize: 512 };
    const w = costWarning(big, 6e9);
    expect(w).toMatchObject({ slow: true, tooBig: false });
    // 6 GFLOP/s: 3.3 s per reconstruction, 0.1 images/s, so an epoch of 60,000 takes days.
    expect(w.text).toMatch(/^This model is slow here \(60000 MFLOP per training image\): each reconstruction takes about 3\.3 s, too slow to follow the pen, and it trains about 0\.1 images\/s, so one epoch takes about \d+ hr \d+ min\. Fewer channels/);
    expect(w.text).toMatch(/takes about 3\.3 s, too slow to follow the pen/);
  });

  it('says when a batch needs more memory than the engine may use', () => {
    const w = costWarning({ ...seed, peakBytes: 3.2e9 }, 6e9);
    expect(w).toMatchObject({ tooBig: true });
    expect(w.text).toBe('Training it needs about 3,200 MB of memory for a batch of 128, more than the 1,500 MB the engine may use: lower the batch size or use a smaller model.');
  });

  it("measures this browser's speed from a model's training rate", () => {
    expect(speedFrom(seed, 1500)).toBe(1500 * 3.9e6);
    expect(speedFrom(seed, 0)).toBeNull();
    expect(speedFrom(null, 100)).toBeNull();
  });
});
