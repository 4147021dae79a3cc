// The training worker: one engine and its handlers (handlers.js); every message goes through handle().
import { Event } from '../protocol.js';
import { createWorkerHost } from './handlers.js';
import { loadEngineModule } from './load-engine.js';

const post = (msg, transfer = []) => self.postMessage(msg, transfer);

const queue = [];
let host = null;

self.addEventListener('message', (e) => (host ? host.handle(e.data) : queue.push(e.data)));

loadEngineModule()
  .then((module) => {
    host = createWorkerHost({ module, post });
    for (const msg of queue.splice(0)) host.handle(msg);
  })
  .catch((err) => {
    post({ type: Event.ERROR, message: `the engine could not start: ${err.message}` });
    for (const msg of queue.splice(0)) post({ type: 'reply', id: msg.id, ok: false, error: { message: err.message } });
  });
