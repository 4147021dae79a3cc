// The page's small pure helpers: chart series, time left, formatting, the latent map's
// geometry and slider ranges, the VAE lattice, seeded samples, the pacing of the views that
// follow training (and of the replies that follow the model), and the charts' ticks.
import { afterEach, describe, expect, it, vi } from 'vitest';

import { formatDuration, formatInt, formatLoss, formatPercent, formatSmall, timeLeftMs } from '../../web/src/lib/format.js';
import { normalQuantile, quantileLattice } from '../../web/src/lib/lattice.js';
import { dimensionRanges, fitView, fromCanvas, nearestPoint, toCanvas } from '../../web/src/lib/map-geometry.js';
import { FrameGate } from '../../web/src/lib/frame-gate.js';
import { latestOnly } from '../../web/src/lib/latest.js';
import { Paced } from '../../web/src/lib/paced.js';
import { normalSamples, randomIndexExcept, uniformGenerator } from '../../web/src/lib/random.js';
import { Series } from '../../web/src/lib/series.js';
import { linearTicks, logTicks } from '../../web/src/lib/ticks.js';
import { tickText } from '../../web/src/views/labs/plot.js';

describe('Series', () => {
  it('halves by merging pairs when full, keeping the overall shape and the newest point', () => {
    const s = new Series(8);
    for (let i = 0; i < 9; i++) s.push(i, 100 - i);
    expect(s.length).toBe(5);
    expect(s.xs).toEqual([0.5, 2.5, 4.5, 6.5, 8]);
    expect(s.ys).toEqual([99.5, 97.5, 95.5, 93.5, 92]);
    for (let i = 9; i < 1000; i++) s.push(i, 100 - i * 0.01);
    expect(s.length).toBeLessThanOrEqual(8);
    expect(s.last().x).toBeGreaterThan(900);
    s.push(NaN, 1);
    s.push(1001, Infinity);
    expect(s.last().x).toBeGreaterThan(900);
    expect(() => new Series(5)).toThrow(/even integer >= 4/);
  });
});

describe('formatting and time left', () => {
  it('formats durations, losses and learning rates for people', () => {
    expect(formatDuration(4200)).toBe('4 sec');
    expect(formatDuration(125_000)).toBe('2 min 5 sec');
    expect(formatDuration(3_780_000)).toBe('1 hr 3 min');
    expect(formatDuration(NaN)).toBe('–');
    // Per language, with Intl: Chinese units, no spaces.
    expect(formatDuration(125_000, 'zh-Hans')).toBe('2分钟5秒');
    expect(formatDuration(3_780_000, 'zh-Hans')).toBe('1小时3分钟');
    expect(formatInt(12345, 'zh-Hans')).toBe('12,345');
    expect(formatPercent(0.42, 'zh-Hans')).toBe('42%');
    expect(formatLoss(123.456)).toBe('123.5');
    expect(formatLoss(12.345)).toBe('12.35');
    expect(formatLoss(0.012345)).toBe('0.0123');
    expect(formatLoss(null)).toBe('–');
    expect(formatSmall(0.001)).toBe('0.001');
    expect(formatSmall(3e-5)).toBe('3e-5');
    expect(formatSmall(0.0031623)).toBe('0.00316');
  });

  it('estimates the time left from the speed and the epochs still to go', () => {
    expect(timeLeftMs({ epochsDone: 2.5, samplesPerSec: 6000, trainCount: 60000, targetEpochs: 10 })).toBeCloseTo(75_000);
    expect(timeLeftMs({ epochsDone: 12, samplesPerSec: 6000, trainCount: 60000, targetEpochs: 10 })).toBe(0);
    expect(timeLeftMs({ epochsDone: 1, samplesPerSec: 0, trainCount: 60000, targetEpochs: 10 })).toBeNull();
  });
});

describe('latent map geometry', () => {
  it('fits a square view around every point, far ones too, so that no dot at an edge is cut', () => {
    const pts = new Float32Array(2 * 201);
    for (let i = 0; i < 200; i++) {
      pts[2 * i] = (i % 20) / 19 * 4 - 2; // x in [-2, 2]
      pts[2 * i + 1] = Math.floor(i / 20) / 9 * 2 + 10; // y in [10, 12]
    }
    pts[400] = 30; // one far point (it was left outside the view, cut off)
    pts[401] = 11;
    const v = fitView(pts);
    const size = 400;
    const radius = 7; // px: the largest dot the map draws for a point
    for (let i = 0; i < 201; i++) {
      const [x, y] = toCanvas(v, size, pts[2 * i], pts[2 * i + 1]);
      for (const c of [x, y]) {
        expect(c).toBeGreaterThanOrEqual(radius);
        expect(c).toBeLessThanOrEqual(size - radius);
      }
    }
    expect(v.cx).toBeCloseTo(14, 5);
    expect(v.cy).toBeCloseTo(11, 5);
    expect(fitView(new Float32Array([1, 1, 1, 1]))).toEqual({ cx: 1, cy: 1, half: 1 });
    expect(fitView(new Float32Array([NaN, 0, 1, 2]))).toEqual({ cx: 1, cy: 2, half: 1 });
  });

  it('converts between map and canvas coordinates (y up on the map, down on the canvas)', () => {
    const view = { cx: 1, cy: -1, half: 2 };
    expect(toCanvas(view, 400, 1, -1)).toEqual([200, 200]);
    expect(toCanvas(view, 400, 3, 1)).toEqual([400, 0]);
    const [x, y] = fromCanvas(view, 400, 100, 300);
    expect(toCanvas(view, 400, x, y)).toEqual([100, 300]);
  });

  it('finds the nearest point within a radius', () => {
    const pts = Float32Array.from([0, 0, 1, 1, 5, 5]);
    expect(nearestPoint(pts, 0.9, 1.2, 0.5)).toBe(1);
    expect(nearestPoint(pts, 3, 3, 0.5)).toBe(-1);
  });

  it('gives each latent dimension a slider range of mean ± 3 s.d.', () => {
    const codes = Float32Array.from([0, 10, 2, 10, 4, 10]); // 3 codes, Z = 2
    const r = dimensionRanges(codes, 3, 2);
    expect(r.min[0]).toBeCloseTo(2 - 6);
    expect(r.max[0]).toBeCloseTo(2 + 6);
    expect(r.max[1] - r.min[1]).toBeCloseTo(0.1); // constant dimension: a small, usable range
  });
});

describe('VAE lattice and samples', () => {
  it('normalQuantile inverts the normal CDF', () => {
    expect(normalQuantile(0.5)).toBeCloseTo(0, 9);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5);
    expect(normalQuantile(0.01)).toBeCloseTo(-2.326348, 5);
    expect(() => normalQuantile(1)).toThrow(/\(0, 1\)/);
  });

  it('lays the lattice row by row from the top left, symmetric about the origin', () => {
    const l = quantileLattice(3, [1, 2]);
    expect(l.length).toBe(18);
    const q = normalQuantile(5 / 6);
    expect(Array.from(l.subarray(0, 2))).toEqual([Math.fround(-q), Math.fround(2 * q)]); // top left
    expect(Array.from(l.subarray(8, 10))).toEqual([0, 0]); // centre
    expect(Array.from(l.subarray(16, 18))).toEqual([Math.fround(q), Math.fround(-2 * q)]); // bottom right
    expect(() => quantileLattice(1)).toThrow(/side must be an integer in \[2, 30\]/);
  });

  it('draws the same normal samples from the same seed, with about the right moments', () => {
    expect(Array.from(normalSamples(5, 3))).toEqual(Array.from(normalSamples(5, 3)));
    expect(Array.from(normalSamples(5, 3))).not.toEqual(Array.from(normalSamples(5, 4)));
    const x = normalSamples(20000, 11);
    const m = x.reduce((a, b) => a + b, 0) / x.length;
    const v = x.reduce((a, b) => a + (b - m) ** 2, 0) / x.length;
    expect(Math.abs(m)).toBeLessThan(0.03);
    expect(v).toBeGreaterThan(0.95);
    expect(v).toBeLessThan(1.05);
    const u = uniformGenerator(1);
    for (let i = 0; i < 100; i++) {
      const r = u();
      expect(r >= 0 && r < 1).toBe(true);
    }
  });
});

describe('randomIndexExcept ("Random test image")', () => {
  it('never picks the index already shown, and reaches every other one about equally often', () => {
    const u = uniformGenerator(7);
    const counts = new Array(5).fill(0);
    for (let i = 0; i < 40000; i++) counts[randomIndexExcept(5, 2, u)] += 1;
    expect(counts[2]).toBe(0);
    for (const k of [0, 1, 3, 4]) expect(Math.abs(counts[k] - 10000)).toBeLessThan(400); // ±4σ of a binomial(40000, 1/4)
  });

  it('picks from all when nothing (or nothing valid) is shown, and returns 0 for a set of one', () => {
    // The extremes of the generator: 0 and just below 1.
    expect(randomIndexExcept(10, undefined, () => 0)).toBe(0);
    expect(randomIndexExcept(10, undefined, () => 0.9999999)).toBe(9);
    expect(randomIndexExcept(10, 12, () => 0.9999999)).toBe(9);
    expect(randomIndexExcept(10, 0, () => 0)).toBe(1);
    expect(randomIndexExcept(10, 9, () => 0.9999999)).toBe(8);
    expect(randomIndexExcept(1, 0, () => 0.5)).toBe(0);
    expect(randomIndexExcept(0, undefined, () => 0.5)).toBe(0);
  });
});

describe('latestOnly', () => {
  it('keeps one call in flight and runs only the newest of those made meanwhile', async () => {
    const { latestOnly } = await import('../../web/src/lib/latest.js');
    const started = [];
    const shown = [];
    const gates = [];
    const call = latestOnly(
      (x) => {
        started.push(x);
        return new Promise((resolve) => gates.push(() => resolve(x * 10)));
      },
      (r) => shown.push(r),
    );
    call(1);
    call(2);
    call(3);
    expect(started).toEqual([1]);
    gates.shift()();
    await new Promise((r) => setTimeout(r, 0));
    expect(started).toEqual([1, 3]); // 2 was superseded before it started
    expect(shown).toEqual([]); // 1's result is stale: 3 was already waiting
    gates.shift()();
    await new Promise((r) => setTimeout(r, 0));
    expect(shown).toEqual([30]);
  });

  it('cancel() drops the waiting call and the result in flight; later calls run as usual', async () => {
    const { latestOnly } = await import('../../web/src/lib/latest.js');
    const started = [];
    const shown = [];
    const gates = [];
    const call = latestOnly(
      (x) => {
        started.push(x);
        return new Promise((resolve) => gates.push(() => resolve(x * 10)));
      },
      (r) => shown.push(r),
    );
    call(1);
    call(2); // waiting behind 1: a code of the old model
    call.cancel(); // the model is being replaced
    gates.shift()();
    await new Promise((r) => setTimeout(r, 0));
    expect(started).toEqual([1]); // 2 never went out
    expect(shown).toEqual([]); // nor was 1's result shown
    call(5);
    gates.shift()();
    await new Promise((r) => setTimeout(r, 0));
    expect(shown).toEqual([50]);
  });

  it('reports errors and keeps working', async () => {
    const { latestOnly } = await import('../../web/src/lib/latest.js');
    const errors = [];
    const shown = [];
    const call = latestOnly(
      async (x) => {
        if (x < 0) throw new Error('negative');
        return x;
      },
      (r) => shown.push(r),
      (e) => errors.push(e.message),
    );
    call(-1);
    await new Promise((r) => setTimeout(r, 0));
    call(5);
    await new Promise((r) => setTimeout(r, 0));
    expect(errors).toEqual(['negative']);
    expect(shown).toEqual([5]);
  });
});

describe('Paced (the train panel and the loss chart while training)', () => {
  afterEach(() => vi.useRealTimers());
  // Fake timers and a fake clock (Date.now) that move together: a waiting update runs at the
  // time its timer fires.
  const setup = (o = { minMs: 200, maxWaitMs: 400 }) => {
    vi.useFakeTimers({ now: 1000 });
    const runs = [];
    const paced = new Paced(() => runs.push(Date.now()), { ...o, now: () => Date.now() });
    const at = (t) => vi.advanceTimersByTime(t - Date.now());
    return { paced, runs, at };
  };

  it('runs at once when the last update is minMs old: each event of a 250 ms stream in its own task, no timer', () => {
    const { paced, runs, at } = setup();
    for (const t of [1000, 1250, 1510, 1760]) {
      at(t);
      paced.request();
      expect(paced.waiting).toBe(false); // no frame of its own later
    }
    expect(runs).toEqual([1000, 1250, 1510, 1760]);
  });

  it('a request that comes sooner waits for the next one, which runs with the latest', () => {
    const { paced, runs, at } = setup();
    paced.request(); // 1000
    at(1060);
    paced.request(); // too soon: waits
    expect(runs).toEqual([1000]);
    expect(paced.waiting).toBe(true);
    at(1260);
    paced.request(); // the stream goes on: runs now, and the wait is over
    expect(runs).toEqual([1000, 1260]);
    expect(paced.waiting).toBe(false);
    at(2000);
    expect(runs).toEqual([1000, 1260]); // the cancelled timer did not fire
  });

  it('when the stream stops, a waiting request runs after maxWaitMs, once', () => {
    const { paced, runs, at } = setup();
    paced.request(); // 1000
    at(1050);
    paced.request();
    at(1100);
    paced.request(); // collapses into the one waiting
    at(1449);
    expect(runs).toEqual([1000]);
    at(1450); // 400 ms after the first request that waited
    expect(runs).toEqual([1000, 1450]);
    at(3000);
    expect(runs).toEqual([1000, 1450]);
  });

  it('flush runs now (a paused run shows its last numbers); flush({ always: false }) only a waiting one; cancel forgets it', () => {
    const { paced, runs, at } = setup();
    paced.flush({ always: false }); // nothing waits
    expect(runs).toEqual([]);
    paced.request(); // 1000
    at(1100);
    paced.request();
    paced.flush({ always: false });
    expect(runs).toEqual([1000, 1100]);
    expect(paced.waiting).toBe(false);
    at(1150);
    paced.request();
    paced.cancel();
    at(2000);
    expect(runs).toEqual([1000, 1100]);
    paced.flush();
    expect(runs).toEqual([1000, 1100, 2000]);
  });

  it('maxWaitMs is never below minMs', () => {
    const { paced, runs, at } = setup({ minMs: 200, maxWaitMs: 50 });
    paced.request();
    at(1010);
    paced.request();
    at(1199);
    expect(runs).toEqual([1000]);
    at(1210);
    expect(runs).toEqual([1000, 1210]);
  });
});

describe('FrameGate (replies that follow the model, drawn with the next PROGRESS)', () => {
  afterEach(() => vi.useRealTimers());
  const flush = () => new Promise((r) => setTimeout(r, 0)); // every microtask queued so far has run
  const reply = (value) => {
    let resolve, reject;
    const promise = new Promise((res, rej) => ((resolve = res), (reject = rej)));
    return { promise, resolve: () => resolve(value), reject };
  };

  it('a result waits for the next open(), then resolves in the task that opened', async () => {
    const gate = new FrameGate();
    const r = reply({ pixels: 7 });
    const got = [];
    gate.hold(r.promise).then((v) => got.push(v));
    r.resolve();
    await flush();
    expect(got).toEqual([]); // the reply came: it waits
    expect(gate.waiting).toBe(true);
    gate.open();
    expect(gate.waiting).toBe(false);
    await Promise.resolve().then(() => Promise.resolve()).then(() => Promise.resolve()); // microtasks only: no new task
    expect(got).toEqual([{ pixels: 7 }]);
  });

  it('open() before the result came does not release it: it waits for the open() after it', async () => {
    const gate = new FrameGate();
    const r = reply('late');
    const got = [];
    gate.hold(r.promise).then((v) => got.push(v));
    gate.open(); // a PROGRESS while the request is still in the worker
    r.resolve();
    await flush();
    expect(got).toEqual([]);
    gate.open();
    await flush();
    expect(got).toEqual(['late']);
  });

  it('results that came between two open() calls are all released by the second, in order', async () => {
    const gate = new FrameGate();
    const got = [];
    const a = reply('a'), b = reply('b');
    gate.hold(a.promise).then((v) => got.push(v));
    gate.hold(b.promise).then((v) => got.push(v));
    b.resolve();
    a.resolve();
    await flush();
    gate.open();
    await flush();
    expect(got.sort()).toEqual(['a', 'b']);
  });

  it('a failure is not held', async () => {
    const gate = new FrameGate();
    const r = reply();
    const errors = [];
    gate.hold(r.promise).catch((e) => errors.push(e.message));
    r.reject(new Error('worker said no'));
    await flush();
    expect(errors).toEqual(['worker said no']);
    expect(gate.waiting).toBe(false);
  });

  it('when no open() comes (training stopped), a result waits maxWaitMs at most', async () => {
    vi.useFakeTimers();
    const gate = new FrameGate({ maxWaitMs: 400 });
    const got = [];
    gate.hold(Promise.resolve('x')).then((v) => got.push(v));
    await vi.advanceTimersByTimeAsync(399);
    expect(got).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(got).toEqual(['x']);
    expect(gate.waiting).toBe(false);
  });

  it('with latestOnly (the drawing, the sliders): the held result is shown at open(), a newer call runs after it', async () => {
    const gate = new FrameGate();
    const shown = [];
    const asked = [];
    const replies = [];
    const request = latestOnly(
      (x) => {
        asked.push(x);
        const r = reply(x * 10);
        replies.push(r);
        return gate.hold(r.promise);
      },
      (v) => shown.push(v),
    );
    request(1);
    request(2); // waits for the first
    replies[0].resolve();
    await flush();
    expect(shown).toEqual([]);
    gate.open();
    await flush();
    expect(asked).toEqual([1, 2]); // the newer call went out once the held one settled
    expect(shown).toEqual([]); // and superseded the first's result
    replies[1].resolve();
    await flush();
    gate.open();
    await flush();
    expect(shown).toEqual([20]);
  });
});

describe('model and training descriptions', () => {
  it('describe the architecture, mirrored, with convolutions listed in order', async () => {
    const { describeModel } = await import('../../web/src/lib/presets.js');
    const { applyPatch, defaults, modelConfig } = await import('../../web/src/state.js');
    const m = (patch) => modelConfig(applyPatch(defaults(), patch).state);
    expect(describeModel(m({}))).toBe('Autoencoder 784 → 400 → 20 → 400 → 784 · relu · BCE');
    expect(describeModel(m({ variant: 'deep' }))).toBe('Deep autoencoder 784 → 512 → 256 → 128 → 20 → 128 → 256 → 512 → 784 · relu · BCE');
    expect(describeModel(m({ variant: 'conv_vae', widths: '128', loss: 'mse' }))).toBe('Convolutional VAE 784 → conv 32-64 → 128 → 2 → 128 → conv 64-32 → 784 · relu · MSE');
  });

  it('describe the training settings the engine reports', async () => {
    const { describeTraining } = await import('../../web/src/lib/presets.js');
    const base = { optimizer: 'adam', lr: 0.001, momentum: 0, schedule: 'constant', batch_size: 128, noise: 'none', noise_amount: 0.5, sparsity_weight: 0, sparsity_target: 0.05, seed: 1 };
    expect(describeTraining(base)).toBe('Adam · learning rate 0.001 · batch 128 · seed 1');
    expect(describeTraining({ ...base, optimizer: 'sgd', momentum: 0.9, lr: 0.012345, schedule: 'step', noise: 'salt_pepper', noise_amount: 0.2, seed: 9 })).toBe(
      'SGD (momentum 0.9) · learning rate 0.0123 · step schedule · batch 128 · salt-pepper noise 0.2 · seed 9',
    );
    expect(describeTraining({ ...base, sparsity_weight: 0.5 })).toBe('Adam · learning rate 0.001 · batch 128 · sparsity β 0.5, ρ 0.05 · seed 1');
  });
});

describe('chart ticks', () => {
  it('gives a log axis at least three round ticks where they fit, not one', () => {
    // A loss from 190 down to 65 on 206 px: one tick, 100, before. The shipped seed model's chart
    // (about 130 down to 64) now reads 70, 80, 90, 100, 120.
    expect(logTicks(65, 190, 206)).toEqual([70, 100, 150]);
    expect(logTicks(64, 130, 206)).toEqual([70, 80, 90, 100, 120]);
    expect(logTicks(0.5, 5000, 200)).toEqual([1, 10, 100, 1000]); // wide: powers of ten
    expect(logTicks(20, 400, 200)).toEqual([30, 100, 300]);
    expect(logTicks(1, 1e6, 50)).toEqual([1, 100, 10000, 1000000]); // crowded powers of ten: every second one
    expect(logTicks(64, 76, 200)).toEqual([65, 70, 75]); // too narrow for any mantissa set: linear
    expect(logTicks(65, 190, 30)).toEqual([100]); // no room: the sparsest that stays apart
    expect(logTicks(5, 5, 200)).toEqual([5]);
    expect(linearTicks(0, 1, 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
  });

  it('keeps every log tick inside the range, ascending and at least the gap apart', () => {
    const u = uniformGenerator(7);
    for (let i = 0; i < 500; i++) {
      const lo = 10 ** (u() * 8 - 4), hi = lo * 10 ** (0.02 + u() * 5), px = 60 + u() * 400;
      const t = logTicks(lo, hi, px);
      const where = `[${lo}, ${hi}] on ${px} px: ${t}`;
      expect(t.length, where).toBeGreaterThanOrEqual(1);
      for (const [k, v] of t.entries()) {
        expect(v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9), where).toBe(true);
        if (k) expect((Math.log10(v / t[k - 1]) / Math.log10(hi / lo)) * px, where).toBeGreaterThanOrEqual(16 - 1e-9);
      }
      if (Math.log10(hi / lo) * px >= 120) expect(t.length, where).toBeGreaterThanOrEqual(2); // room for two round ones
    }
  });

  it('labels big and small ticks without losing their mantissa', () => {
    expect(tickText(15000)).toBe('1.5e4');
    expect(tickText(20000)).toBe('2e4');
    expect(tickText(0.00015)).toBe('1.5e-4');
    expect(tickText(150)).toBe('150');
  });
});
