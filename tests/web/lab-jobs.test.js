// The applications lab's scheduling (web/src/worker/labs/jobs.js) on a simulated clock: slices
// sized to the budget, the share of the worker while training runs, cancellation, progress; and
// the JPEG marker reader (web/src/lib/jpeg.js) on hand-built files.
import { describe, expect, it } from 'vitest';

import { Event } from '../../web/src/protocol.js';
import { jpegSegments } from '../../web/src/lib/jpeg.js';
import { LabJobs } from '../../web/src/worker/labs/jobs.js';

/** LabJobs on a clock that only moves when work "takes" time or a job sleeps. */
function simulated({ training = false, sliceMs = 20 } = {}) {
  const clock = { t: 0, training };
  const posted = [];
  const sleeps = [];
  const jobs = new LabJobs({
    training: () => clock.training,
    post: (m) => posted.push(m),
    sliceMs,
    now: () => clock.t,
    yieldFn: () => Promise.resolve(),
    sleep: async (ms) => {
      sleeps.push(ms);
      clock.t += ms;
    },
  });
  return { clock, posted, sleeps, jobs };
}

describe('lab jobs', () => {
  it('size each call to about one slice from the measured rate, and report progress', async () => {
    const { clock, posted, jobs } = simulated({ sliceMs: 20 });
    const calls = [];
    await jobs.run('view', { id: 3, lab: 'anomaly' }, (job) =>
      job.units('score', 1000, (start, count) => {
        calls.push([start, count]);
        clock.t += count * 0.1; // 0.1 ms per image
      }, { first: 50 }),
    );
    expect(calls[0]).toEqual([0, 50]);
    expect(calls[1]).toEqual([50, 200]); // 20 ms / 0.1 ms per image
    expect(calls.reduce((a, [, c]) => a + c, 0)).toBe(1000);
    const progress = posted.filter((m) => m.type === Event.LAB_PROGRESS);
    expect(progress.at(-1)).toMatchObject({ request: 3, lab: 'anomaly', phase: 'score', done: 1000, total: 1000 });
    // the next job of the same kind starts at the measured rate
    calls.length = 0;
    await jobs.run('view', { lab: 'anomaly' }, (job) => job.units('score', 400, (s, c) => {
      calls.push([s, c]);
      clock.t += c * 0.1;
    }));
    expect(calls[0]).toEqual([0, 200]);
  });

  it('take a third of the worker while training runs: after a slice of d ms they sleep 2·d', async () => {
    const { clock, sleeps, jobs } = simulated({ training: true, sliceMs: 20 });
    await jobs.run('view', { lab: 'compression' }, (job) => job.units('c', 300, (s, c) => (clock.t += c * 0.25), { first: 80 }));
    expect(sleeps).toEqual([40, 40, 40, 30]); // slices of 20, 20, 20 and 15 ms, each followed by twice that for training
    expect(jobs.labMs / clock.t).toBeCloseTo(1 / 3, 6);
    // not training: no sleeping, the job only yields between slices
    clock.training = false;
    sleeps.length = 0;
    await jobs.run('view', { lab: 'compression' }, (job) => job.units('c', 300, (s, c) => (clock.t += c * 0.25)));
    expect(sleeps).toEqual([]);
  });

  it('a newer job of the same lane cancels the older one at its next slice; other lanes go on', async () => {
    const { clock, jobs } = simulated();
    const step = (s, c) => (clock.t += c);
    const older = jobs.run('view', { lab: 'features' }, (job) => job.units('f', 100, step, { first: 10 }));
    const sweep = jobs.run('sweep', { lab: 'sweep' }, (job) => job.units('s', 100, step, { first: 10 }));
    const newer = jobs.run('view', { lab: 'anomaly' }, async (job) => {
      await job.units('a', 50, step, { first: 10 });
      return 'newer done';
    });
    await expect(older).rejects.toMatchObject({ code: 'cancelled', message: 'cancelled: a newer request' });
    await expect(newer).resolves.toBe('newer done');
    await expect(sweep).resolves.toBeUndefined();
    // cancelling every lane but some, and by name
    const view = jobs.run('view', { lab: 'pca' }, (job) => job.units('p', 100, step, { first: 10 }));
    const run = jobs.run('run', { lab: 'overfit' }, (job) => job.units('r', 100, step, { first: 10 }));
    jobs.cancelAllBut(['run'], 'the model changed');
    await expect(view).rejects.toThrow('cancelled: the model changed');
    await expect(run).resolves.toBeUndefined();
    expect(jobs.busy('view')).toBe(false);
  });

  it('drive an object advanced in units until it says done, reporting every status', async () => {
    const { clock, jobs } = simulated({ sliceMs: 10 });
    let units = 0;
    const seen = [];
    const status = await jobs.run('run', { lab: 'overfit' }, (job) =>
      job.advance('run', (u) => {
        units += u;
        clock.t += u * 2;
        return { done: units >= 40, progress: Math.min(1, units / 40), units };
      }, { first: 4, onStatus: (s) => seen.push(s.units) }),
    );
    expect(status.done).toBe(true);
    expect(seen).toEqual([4, 9, 14, 19, 24, 29, 34, 39, 44]); // 4 first, then 10 ms / 2 ms = 5 per call
  });
});

/** A JPEG's bytes from segments: [marker, payload bytes] pairs, then entropy-coded data after SOS. */
function jpeg(parts) {
  const out = [0xff, 0xd8];
  for (const p of parts) {
    if (p.raw) out.push(...p.raw);
    else out.push(0xff, p.marker, (p.body.length + 2) >> 8, (p.body.length + 2) & 255, ...p.body);
  }
  out.push(0xff, 0xd9);
  return new Uint8Array(out);
}

describe('JPEG markers', () => {
  it('count the entropy-coded payload after each SOS, stuffed bytes and restarts included', () => {
    const app0 = { marker: 0xe0, body: [0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0] }; // 18 bytes with its marker and length
    const dqt = { marker: 0xdb, body: new Array(65).fill(1) }; // 69
    const sof = { marker: 0xc0, body: [8, 0, 28, 0, 28, 1, 1, 0x11, 0] }; // 13
    const dht = { marker: 0xc4, body: new Array(20).fill(0) }; // 24
    const sos = { marker: 0xda, body: [1, 1, 0, 0, 63, 0] }; // 10
    // 7 bytes of scan data: a stuffed FF00 and a restart marker FFD0 count as payload
    const data = { raw: [0x12, 0xff, 0x00, 0x34, 0xff, 0xd0, 0x56] };
    const bytes = jpeg([app0, dqt, sof, dht, sos, data]);
    const seg = jpegSegments(bytes);
    expect(seg).toEqual({ file: bytes.length, payload: 7, header: bytes.length - 7, scans: 1, markers: ['D8', 'E0', 'DB', 'C0', 'C4', 'DA', 'D9'] });
    expect(bytes.length).toBe(2 + 18 + 69 + 13 + 24 + 10 + 7 + 2);
    // a progressive file: two scans, their data summed; fill bytes before a marker are skipped
    const two = jpeg([sof, dht, sos, { raw: [1, 2, 3] }, dht, sos, { raw: [4, 5, 0xff, 0xff] }]);
    expect(jpegSegments(two)).toMatchObject({ payload: 5, scans: 2 });
  });

  it('refuse what is not a whole JPEG file, saying where it breaks', () => {
    expect(() => jpegSegments(new Uint8Array([0x89, 0x50, 0x4e, 0x47]))).toThrow('not a JPEG file: it does not start with the SOI marker FFD8');
    const whole = jpeg([{ marker: 0xdb, body: [1, 2, 3] }, { marker: 0xda, body: [1] }, { raw: [9, 9] }]);
    expect(() => jpegSegments(whole.slice(0, whole.length - 2))).toThrow('truncated JPEG file: no EOI marker (FFD9) after');
    expect(() => jpegSegments(whole.slice(0, 6))).toThrow('truncated JPEG file: segment FFDB at byte 2 claims 5 bytes, 2 remain');
  });
});
