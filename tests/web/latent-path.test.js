// Latent paths (lerp, slerp) and the interpolation's playhead.
import { describe, expect, it } from 'vitest';

import { frameIndex, latentPath, lerp, playhead, slerp } from '../../web/src/lib/latent-path.js';

const norm = (v) => Math.hypot(...v);
const close = (a, b, eps = 1e-6) => a.every((x, i) => Math.abs(x - b[i]) < eps);

describe('latent paths', () => {
  const a = Float32Array.from([3, 0, 0]);
  const b = Float32Array.from([0, 3, 0]);

  it('lerp starts at A, ends at B, and passes through the midpoint', () => {
    expect(close(lerp(a, b, 0), a)).toBe(true);
    expect(close(lerp(a, b, 1), b)).toBe(true);
    expect(close(lerp(a, b, 0.5), [1.5, 1.5, 0])).toBe(true);
  });

  it('slerp keeps the norm of equal-norm codes and follows the arc', () => {
    for (const t of [0, 0.1, 0.5, 0.9, 1]) expect(norm(slerp(a, b, t))).toBeCloseTo(3, 5);
    const mid = slerp(a, b, 0.5);
    expect(close(mid, [3 * Math.SQRT1_2, 3 * Math.SQRT1_2, 0], 1e-5)).toBe(true);
    // Equal angles for equal steps: the angle between t=0 and t=1/3 is 30°.
    const third = slerp(a, b, 1 / 3);
    expect(Math.acos(third[0] / 3)).toBeCloseTo(Math.PI / 6, 5);
  });

  it('slerp falls back to lerp for parallel or zero codes', () => {
    const c = Float32Array.from([1, 1, 1]);
    const d = Float32Array.from([2, 2, 2]);
    expect(close(slerp(c, d, 0.5), lerp(c, d, 0.5))).toBe(true);
    const zero = new Float32Array(3);
    expect(close(slerp(zero, d, 0.25), lerp(zero, d, 0.25))).toBe(true);
  });

  it('latentPath lays F frames end to end, A first and B last', () => {
    const p = latentPath(a, b, 5, 'spherical');
    expect(p.length).toBe(15);
    expect(close(p.subarray(0, 3), a)).toBe(true);
    expect(close(p.subarray(12, 15), b, 1e-5)).toBe(true);
    expect(close(p.subarray(6, 9), slerp(a, b, 0.5))).toBe(true);
    expect(() => latentPath(a, Float32Array.from([1]), 4)).toThrow('latent path: codes differ in size (3 and 1)');
    expect(() => latentPath(a, b, 1)).toThrow(/frames must be an integer >= 2/);
    expect(() => latentPath(a, b, 4, 'zigzag')).toThrow(/linear or spherical/);
  });
});

describe('playhead', () => {
  it('once runs A→B and stops at B', () => {
    expect(playhead(0, 1000, 'once')).toEqual({ t: 0, done: false });
    expect(playhead(250, 1000, 'once').t).toBeCloseTo(0.25);
    expect(playhead(1500, 1000, 'once')).toEqual({ t: 1, done: true });
  });

  it('loop wraps to A; ping-pong comes back', () => {
    expect(playhead(1250, 1000, 'loop').t).toBeCloseTo(0.25);
    expect(playhead(1250, 1000, 'pingpong').t).toBeCloseTo(0.75);
    expect(playhead(2250, 1000, 'pingpong').t).toBeCloseTo(0.25);
    expect(playhead(500, 1000, 'pingpong', 0.5).t).toBeCloseTo(1);
  });

  it('starts from a scrubbed position and maps t to the nearest frame', () => {
    expect(playhead(100, 1000, 'loop', 0.6).t).toBeCloseTo(0.7);
    expect(frameIndex(0, 32)).toBe(0);
    expect(frameIndex(1, 32)).toBe(31);
    expect(frameIndex(0.5, 33)).toBe(16);
    expect(() => playhead(0, 0, 'loop')).toThrow(/duration must be > 0/);
    expect(() => playhead(0, 10, 'bounce')).toThrow(/once, loop or pingpong/);
  });
});
