// Which engine build the training worker loads (web/src/worker/load-engine.js): the threaded one
// only where the scope is cross-origin isolated with SharedArrayBuffer, one thread per core up to
// MAX_THREADS; the single-threaded one everywhere else (a course page that is not isolated).
import { describe, expect, it } from 'vitest';

import { MAX_THREADS, threadsAvailable } from '../../web/src/worker/load-engine.js';
import { loadModule } from './engine-module.js';

const scope = (o) => ({ crossOriginIsolated: true, SharedArrayBuffer, navigator: { hardwareConcurrency: 4 }, ...o });

describe('threadsAvailable', () => {
  it('is 1 unless the scope is cross-origin isolated and has SharedArrayBuffer', () => {
    expect(threadsAvailable(scope({ crossOriginIsolated: false }))).toBe(1);
    expect(threadsAvailable(scope({ crossOriginIsolated: undefined }))).toBe(1);
    expect(threadsAvailable(scope({ SharedArrayBuffer: undefined }))).toBe(1);
    expect(threadsAvailable({})).toBe(1);
  });

  it('is one thread per core when isolated, at most MAX_THREADS', () => {
    expect(MAX_THREADS).toBe(8);
    expect(threadsAvailable(scope({}))).toBe(4);
    expect(threadsAvailable(scope({ navigator: { hardwareConcurrency: 2 } }))).toBe(2);
    expect(threadsAvailable(scope({ navigator: { hardwareConcurrency: 64 } }))).toBe(8);
    expect(threadsAvailable(scope({ navigator: { hardwareConcurrency: 1 } }))).toBe(1);
    // An unknown core count: one thread, the single-threaded build.
    expect(threadsAvailable(scope({ navigator: {} }))).toBe(1);
  });

  it('Node (these tests) is not isolated: the single-threaded build, which says so', async () => {
    expect(threadsAvailable()).toBe(1);
    const module = await loadModule();
    expect(module.setThreads(1)).toBe(1);
    expect(() => module.setThreads(4)).toThrow(/got 4 \(this build runs on one thread\)/);
    const engine = new module.Engine();
    expect(engine.info()).toMatchObject({ build: 'single', threads: 1 });
    engine.delete();
  });
});
