// Which engine build the training worker loads (web/src/worker/load-engine.js): the threaded one
// only where the scope is cross-origin isolated with SharedArrayBuffer, one thread per core up to
// MAX_THREADS; the single-threaded one everywhere else (a course page that is not isolated); each
// with relaxed SIMD where the browser validates it, and the next build when one cannot start.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

import { MAX_THREADS, RELAXED_PROBE, loadEngineModule, relaxedSimdAvailable, threadsAvailable } from '../../web/src/worker/load-engine.js';
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
    // The page sizes the pool before the engine loads, so it keeps its own copy of the engine's
    // limit (kMaxThreads, engine/src/core/parallel.hpp); the two must agree.
    const header = readFileSync(new URL('../../engine/src/core/parallel.hpp', import.meta.url), 'utf8');
    const engineMax = header.match(/constexpr int kMaxThreads = (\d+);/);
    expect(engineMax, 'kMaxThreads in engine/src/core/parallel.hpp').not.toBeNull();
    expect(MAX_THREADS).toBe(Number(engineMax[1]));
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

describe('relaxed SIMD', () => {
  it('is detected by validating a module with f32x4.relaxed_madd: Node 20 has it only behind its flag', () => {
    expect(relaxedSimdAvailable()).toBe(false);
    // The same module with the proposal's early opcode (what clang 14 writes, before
    // scripts/wasm-relaxed.mjs renumbers it) is refused even where relaxed SIMD is on.
    const early = RELAXED_PROBE.slice();
    early.set([0xaf, 0x01], early.length - 3);
    const url = new URL('../../web/src/worker/load-engine.js', import.meta.url).href;
    const code =
      `import { RELAXED_PROBE, relaxedSimdAvailable } from ${JSON.stringify(url)};` +
      `console.log(JSON.stringify([relaxedSimdAvailable(), WebAssembly.validate(new Uint8Array(${JSON.stringify([...early])}))]));`;
    const withFlag = spawnSync(process.execPath, ['--experimental-wasm-relaxed-simd', '--input-type=module', '-e', code], { encoding: 'utf8' });
    expect(withFlag.stderr).toBe('');
    expect(JSON.parse(withFlag.stdout)).toEqual([true, false]);
    expect(relaxedSimdAvailable({ validate: () => true })).toBe(true);
    expect(relaxedSimdAvailable({ validate: () => { throw new Error('no'); } })).toBe(false);
    expect(relaxedSimdAvailable(undefined)).toBe(false);
  });
});

describe('loadEngineModule: which build, and the next one when a build cannot start', () => {
  // Stand-in factories that record their order; a build listed in `broken` fails to start.
  const fakeBuilds = (broken = []) => {
    const tried = [];
    const make = (name) => async () => ({
      default: async (options) => {
        tried.push(name);
        if (broken.includes(name)) throw new Error(`${name} is broken`);
        return { name, options, setThreads: (n) => n };
      },
    });
    return { tried, builds: { threads: { plain: make('mt'), relaxed: make('mt-rx') }, single: { plain: make('st'), relaxed: make('st-rx') } } };
  };

  it('takes the relaxed build of the kind the page may use, and the plain one without relaxed SIMD', async () => {
    for (const [threads, relaxed, name] of [[2, true, 'mt-rx'], [2, false, 'mt'], [1, true, 'st-rx'], [1, false, 'st']]) {
      const { builds, tried } = fakeBuilds();
      const module = await loadEngineModule({ threads, relaxed, builds });
      expect(module.name).toBe(name);
      expect(tried).toEqual([name]);
      // The threaded builds get their pool size; the single-threaded ones nothing extra.
      expect(module.options).toEqual(threads > 1 ? { aeThreads: threads } : {});
    }
  });

  it('falls back build by build, saying each time, and throws only when the last one fails', async () => {
    const logs = [];
    const log = (level, message) => logs.push([level, message]);
    let f = fakeBuilds(['mt-rx']);
    expect((await loadEngineModule({ threads: 4, relaxed: true, builds: f.builds, log })).name).toBe('mt');
    expect(logs).toEqual([['warn', 'the threaded engine with relaxed SIMD could not start (mt-rx is broken); trying the next build']]);
    f = fakeBuilds(['mt-rx', 'mt', 'st-rx']);
    expect((await loadEngineModule({ threads: 4, relaxed: true, builds: f.builds, log })).name).toBe('st');
    expect(f.tried).toEqual(['mt-rx', 'mt', 'st-rx', 'st']);
    f = fakeBuilds(['st-rx', 'st']);
    await expect(loadEngineModule({ threads: 1, relaxed: true, builds: f.builds, log })).rejects.toThrow('st is broken');
    expect(f.tried).toEqual(['st-rx', 'st']);
  });
});
