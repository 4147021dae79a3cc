// The worker's request handlers, gathered from one module per concern over a shared context
// (context.js): model-life.js, training.js, inference.js, datasets.js, persistence.js, and the
// applications lab (labs.js).
// worker.js wires them to postMessage; tests call them directly against the real WASM build,
// without a Worker.
import { REPLY, Request } from '../protocol.js';
import { Transfer, WorkerContext } from './context.js';
import { datasetHandlers } from './datasets.js';
import { inferenceHandlers } from './inference.js';
import { labHandlers } from './labs.js';
import { modelLifeHandlers } from './model-life.js';
import { persistenceHandlers } from './persistence.js';
import { rollBack, trainingHandlers } from './training.js';

/**
 * INIT: the page's base URL (where data/ lives) and storage namespace (lib/model-store.js)
 * → { info } once the engine is ready.
 */
function init(ctx, { baseUrl, storage }) {
  if (baseUrl) ctx.baseUrl = baseUrl;
  if (typeof storage === 'string') ctx.storage = storage;
  return { info: ctx.engine.info() };
}

/** Request type → (ctx, message) => result (or a promise of it). */
export const HANDLERS = new Map(
  Object.entries({
    [Request.PING]: () => ({}), // worker.js answers it first; here for a host without a Worker
    [Request.INIT]: init,
    ...modelLifeHandlers,
    ...trainingHandlers,
    ...inferenceHandlers,
    ...datasetHandlers,
    ...persistenceHandlers,
    ...labHandlers,
  }),
);

/**
 * One engine and its handlers. `options` as WorkerContext's (context.js).
 * @returns {{ctx: WorkerContext, handle: (msg: object) => Promise<void>}} handle() always posts
 *   exactly one reply for a request message.
 */
export function createWorkerHost(options) {
  const ctx = new WorkerContext({ ...options, onFailure: (err) => rollBack(ctx, err) });
  async function handle(msg) {
    const fn = HANDLERS.get(msg?.type);
    try {
      if (!fn) throw new Error(`unknown request type '${msg?.type}'`);
      const out = await fn(ctx, msg);
      const { result, buffers } = out instanceof Transfer ? out : { result: out, buffers: [] };
      ctx.post({ type: REPLY, id: msg.id, ok: true, result }, buffers);
    } catch (err) {
      ctx.post({ type: REPLY, id: msg.id, ok: false, error: errorOf(err) });
    }
  }
  return { ctx, handle };
}

/** A thrown value as the reply carries it: the message, and the engine's code and numbers when it gave them. */
export function errorOf(err) {
  if (err instanceof Error) {
    const out = { message: err.message };
    if (typeof err.code === 'string') out.code = err.code;
    if (err.params && typeof err.params === 'object') out.params = { ...err.params };
    return out;
  }
  if (typeof err === 'number') return { message: `engine error (code ${err})` };
  return { message: String(err) };
}
