// Starts the training worker. A course page may load the playground from another site (the
// element's script tag points at the playground's host), and browsers only start a worker from
// the page's own origin: there the worker is a one-line module from a blob: URL that imports
// the real one (which the host must serve with CORS, as static hosts do for scripts).
import workerUrl from '../worker/worker.js?worker&url';

/** @returns {Worker} */
export function startWorker() {
  const url = new URL(workerUrl, import.meta.url);
  if (url.origin === location.origin) return new Worker(url, { type: 'module', name: 'trainer' });
  const shim = URL.createObjectURL(new Blob([`import ${JSON.stringify(url.href)};`], { type: 'text/javascript' }));
  return new Worker(shim, { type: 'module', name: 'trainer' });
}
