// The page's only way to talk to the training worker: request/response by id, plus events.
//
//   const client = new EngineClient(createWorker(), { createWorker });
//   const { info } = await client.request(Request.INIT);
//   client.on(Event.PROGRESS, (p) => ...);
//
// A request whose worker reply has ok: false rejects with an Error carrying the engine's message
// (and its `code` and `params` when the engine gave them).
//
// A worker can die without a word: terminated, closed by itself, or killed by the browser for
// memory. So the client listens to its `error` and `messageerror` events and keeps a heartbeat:
// when the worker has said nothing for `pingEveryMs` it is sent a PING (worker.js answers it at
// once, even while the engine loads); a worker silent for `deadAfterMs` is dead. A dead worker's
// requests all reject (code 'worker-dead'), so none hangs forever, and listeners of DEAD hear why;
// restart() then starts a new worker from `createWorker`, keeping every event subscription.
// The deadline is long because one engine call can legitimately hold the worker for seconds (a
// big model's step, loading a model file): 15 s of silence, or 3 s after an `error` event.
import { Event, REPLY, Request } from './protocol.js';

/** Client-side events, beside the worker's (protocol.js Event). */
export const ClientEvent = Object.freeze({
  /** { reason } the worker died; every pending request was rejected with code 'worker-dead'. */
  DEAD: 'dead',
  /** {} a new worker was started after a death (its engine is empty: INIT and restore it). */
  RESTARTED: 'restarted',
});

export class EngineClient {
  /**
   * @param {Worker | {postMessage: Function, addEventListener: Function, terminate?: Function}} worker
   * @param {object} [o]
   * @param {() => Worker} [o.createWorker] makes a new worker for restart()
   * @param {number} [o.pingEveryMs]  a silent worker is pinged after this long
   * @param {number} [o.deadAfterMs]  a worker silent this long is dead
   * @param {number} [o.errorGraceMs] after an `error` or `messageerror` event, it must answer within this
   * @param {() => number} [o.now]
   */
  constructor(worker, { createWorker = null, pingEveryMs = 2000, deadAfterMs = 15_000, errorGraceMs = 3000, now = () => performance.now() } = {}) {
    Object.assign(this, { createWorker, pingEveryMs, deadAfterMs, errorGraceMs, now });
    this.nextId = 1;
    this.pending = new Map(); // id → { resolve, reject, type }
    this.listeners = new Map(); // event type → Set<fn>
    this.dead = null; // the reason, once dead
    this.#attach(worker);
  }

  #attach(worker) {
    this.worker = worker;
    this.lastHeard = this.now();
    this.deadline = Infinity; // an earlier deadline after an error event
    this.pinging = false;
    const w = worker;
    worker.addEventListener('message', (e) => w === this.worker && this.#receive(e.data));
    worker.addEventListener('error', (e) => w === this.worker && this.#troubled(`worker failed: ${e.message || 'unknown error'}`));
    worker.addEventListener('messageerror', () => w === this.worker && this.#troubled('a message from the worker could not be read'));
    clearInterval(this.timer);
    this.timer = setInterval(() => this.checkAlive(), Math.max(50, Math.min(this.pingEveryMs, 1000)));
    this.timer?.unref?.(); // node (tests): the heartbeat does not keep the process alive
  }

  /**
   * Sends a request; resolves with the reply's result.
   * @param {string} type one of Request
   * @param {object} [payload]
   * @param {Transferable[]} [transfer] buffers to move rather than copy
   */
  request(type, payload = {}, transfer = []) {
    if (this.dead) return Promise.reject(deadError(this.dead));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, type });
      try {
        this.worker.postMessage({ ...payload, type, id }, transfer);
      } catch (err) {
        this.pending.delete(id);
        reject(err);
      }
    });
  }

  /** Subscribes to an event type (protocol.js Event or ClientEvent); returns an unsubscribe function. */
  on(type, fn) {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set());
    this.listeners.get(type).add(fn);
    return () => this.listeners.get(type).delete(fn);
  }

  /** The heartbeat (also called by tests): pings a quiet worker, declares a silent one dead. */
  checkAlive() {
    if (this.dead) return;
    const quiet = this.now() - this.lastHeard;
    if (quiet >= this.deadAfterMs || this.now() >= this.deadline) {
      this.#die(`it stopped answering (nothing for ${(quiet / 1000).toFixed(1)} s)`);
      return;
    }
    if (quiet >= this.pingEveryMs && !this.pinging) this.#ping();
  }

  #ping() {
    this.pinging = true;
    this.request(Request.PING).then(
      () => (this.pinging = false),
      () => (this.pinging = false),
    );
  }

  /** An error event: say it, and make sure the worker still answers soon. */
  #troubled(message) {
    this.#emit('error', { type: 'error', message });
    this.deadline = Math.min(this.deadline, this.now() + this.errorGraceMs);
    if (!this.pinging) this.#ping();
  }

  /** Kills the worker (it may still be running, stuck) and fails everything waiting on it. */
  #die(reason) {
    this.dead = reason;
    clearInterval(this.timer);
    try {
      this.worker.terminate?.();
    } catch {
      // already gone
    }
    const err = deadError(reason);
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
    this.#emit(ClientEvent.DEAD, { reason });
  }

  /** Declares the worker dead now (a test, or the page knows better). */
  kill(reason = 'it was stopped') {
    if (!this.dead) this.#die(reason);
  }

  /** Starts a new worker after a death. Its engine is empty: the caller restores the model. */
  restart() {
    if (!this.createWorker) throw new Error('the engine cannot be restarted here (no worker factory)');
    if (!this.dead) this.kill('it was restarted');
    this.dead = null;
    this.#attach(this.createWorker());
    this.#emit(ClientEvent.RESTARTED, {});
  }

  #receive(msg) {
    this.lastHeard = this.now();
    this.deadline = Infinity;
    if (!msg || typeof msg !== 'object') return;
    if (msg.type === REPLY) {
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      if (msg.ok) p.resolve(msg.result);
      else p.reject(Object.assign(new Error(msg.error?.message || 'unknown engine error'), { request: p.type, code: msg.error?.code, params: msg.error?.params }));
      return;
    }
    if (msg.type === Event.BATCH) {
      for (const m of msg.events ?? []) this.#receive(m);
      return;
    }
    this.#emit(msg.type, msg);
  }

  #emit(type, msg) {
    for (const fn of this.listeners.get(type) ?? []) fn(msg);
  }
}

function deadError(reason) {
  return Object.assign(new Error(`the engine stopped: ${reason}`), { code: 'worker-dead' });
}
