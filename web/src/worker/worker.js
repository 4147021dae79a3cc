// The training worker: one engine and its handlers (handlers.js); every message goes through handle().
import { Event, REPLY, Request } from '../protocol.js';
import { createWorkerHost } from './handlers.js';
import { loadEngineModule } from './load-engine.js';

const post = (msg, transfer = []) => self.postMessage(msg, transfer);

const queue = [];
let host = null;

self.addEventListener('message', (e) => {
  // The heartbeat is answered here, before any engine work queued behind it.
  if (e.data?.type === Request.PING) post({ type: REPLY, id: e.data.id, ok: true, result: {} });
  else if (host) host.handle(e.data);
  else queue.push(e.data);
});

loadEngineModule({ log: (level, message) => post({ type: Event.LOG, level, message }) })
  .then((module) => {
    host = createWorkerHost({ module, post });
    for (const msg of queue.splice(0)) host.handle(msg);
  })
  .catch((err) => {
    post({ type: Event.ERROR, message: `the engine could not start: ${err.message}` });
    for (const msg of queue.splice(0)) post({ type: REPLY, id: msg.id, ok: false, error: { message: err.message } });
  });
