// The page's only way to talk to the training worker: request/response by id, plus events.
//
//   const client = new EngineClient(worker);
//   const { info } = await client.request(Request.INIT);
//   client.on(Event.PROGRESS, (p) => ...);
//
// A request whose worker reply has ok: false rejects with an Error carrying the engine's message
// (and its `code` and `params` when the engine gave them).
import { REPLY } from './protocol.js';

export class EngineClient {
  /** @param {Worker | {postMessage: Function, addEventListener: Function}} worker */
  constructor(worker) {
    this.worker = worker;
    this.nextId = 1;
    this.pending = new Map(); // id → { resolve, reject, type }
    this.listeners = new Map(); // event type → Set<fn>
    worker.addEventListener('message', (e) => this.#receive(e.data));
    worker.addEventListener('error', (e) => this.#fail(new Error(`worker failed: ${e.message || 'unknown error'}`)));
  }

  /**
   * Sends a request; resolves with the reply's result.
   * @param {string} type one of Request
   * @param {object} [payload]
   * @param {Transferable[]} [transfer] buffers to move rather than copy
   */
  request(type, payload = {}, transfer = []) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, type });
      this.worker.postMessage({ ...payload, type, id }, transfer);
    });
  }

  /** Subscribes to an event type; returns an unsubscribe function. */
  on(type, fn) {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set());
    this.listeners.get(type).add(fn);
    return () => this.listeners.get(type).delete(fn);
  }

  #receive(msg) {
    if (!msg || typeof msg !== 'object') return;
    if (msg.type === REPLY) {
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      if (msg.ok) p.resolve(msg.result);
      else p.reject(Object.assign(new Error(msg.error?.message || 'unknown engine error'), { request: p.type, code: msg.error?.code, params: msg.error?.params }));
      return;
    }
    for (const fn of this.listeners.get(msg.type) ?? []) fn(msg);
  }

  #fail(err) {
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
    for (const fn of this.listeners.get('error') ?? []) fn({ type: 'error', message: err.message });
  }
}
