// A Worker-shaped object that runs the real worker handlers (web/src/worker/handlers.js) on the
// real WASM engine in this thread: messages both ways are delivered asynchronously, as between
// threads. terminate() and close() stop it the ways a browser's worker stops: from outside
// (terminate) or from inside (self.close()); either way it simply never answers again.
import { createWorkerHost } from '../../web/src/worker/handlers.js';
import { localFetch } from './engine-module.js';

export class LocalWorker extends EventTarget {
  constructor(module) {
    super();
    this.alive = true;
    this.host = createWorkerHost({
      module,
      post: (msg) => setTimeout(() => this.alive && this.dispatchEvent(Object.assign(new Event('message'), { data: msg })), 0),
      baseUrl: 'http://localhost/',
      fetchImpl: localFetch,
      openStore: async () => null,
    });
  }

  postMessage(msg) {
    if (!this.alive) return; // a closed or terminated worker's messages go nowhere
    setTimeout(() => this.alive && this.host.handle(msg), 0);
  }

  /** An uncaught error in the worker: the Worker object fires `error`, the worker lives on. */
  fail(message) {
    this.dispatchEvent(Object.assign(new Event('error'), { message }));
  }

  terminate() {
    this.alive = false;
    this.host.ctx.loop.running = false;
  }

  close() {
    this.terminate();
  }
}
