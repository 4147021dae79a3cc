// The worker's handlers (web/src/worker/handlers.js) driven exactly as worker.js drives them,
// against the real WASM engine: requests go to handle(), and everything the worker would
// post to the page is collected in `posted`.
import { Event, REPLY } from '../../web/src/protocol.js';
import { createWorkerHost } from '../../web/src/worker/handlers.js';
import { localFetch } from './engine-module.js';

/**
 * A worker host on `module` with short training chunks and no snapshot throttling.
 * `store`: the model store the autosave writes to (null: none). Returns { host, posted, sent,
 * call, events, store } (host: the handlers' shared WorkerContext, with its engine, loop and
 * keeper; posted: the events one by one, as the client hands them on, a BATCH's unpacked; sent:
 * the messages as posted):
 * `call(type, payload)` sends a request and resolves with its reply's result (or throws its
 * error, with the reply's code and params); `events(type)` lists the posted events of one type.
 */
export function makeHost(module, { store = null, keeperOptions = {}, loopOptions = {} } = {}) {
  const posted = [];
  const sent = [];
  const { ctx: host, handle } = createWorkerHost({
    module,
    post: (msg) => {
      sent.push(msg);
      if (msg.type === Event.BATCH) posted.push(...msg.events);
      else posted.push(msg);
    },
    baseUrl: 'http://localhost/',
    fetchImpl: localFetch,
    loopOptions: { budgetMs: 5, snapshotMs: 0, ...loopOptions },
    keeperOptions,
    openStore: async () => store,
  });
  let nextId = 1;
  const call = async (type, payload = {}) => {
    const id = nextId++;
    await handle({ ...payload, type, id });
    const reply = posted.find((m) => m.type === REPLY && m.id === id);
    if (!reply.ok) throw Object.assign(new Error(reply.error.message), { code: reply.error.code, params: reply.error.params });
    return reply.result;
  };
  const events = (type) => posted.filter((m) => m.type === type);
  return { host, handle, posted, sent, call, events, store };
}

/** Resolves once cond() is true, polling every 10 ms; throws after `ms`. */
export async function waitFor(cond, ms = 30_000) {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}
