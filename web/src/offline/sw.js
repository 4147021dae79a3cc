// The playground's service worker (registered by web/src/offline/register.js): a second visit
// works offline. The build (web/build/site-plugin.js) writes in the precache list: the pages,
// every built asset (scripts, styles, fonts, the engine's modules of the kind this browser runs:
// relaxed SIMD or plain), the MNIST test set and the default pretrained model. Everything else
// the site serves (the training sets, the other pretrained models, the other kind of engine) is
// cached the first time it is fetched, so once a training set has been downloaded, training
// works offline too. Paths are relative to this file, so the site works
// from any sub-path.
//
// Cross-origin isolation on static hosts that cannot send headers (the technique of
// coi-serviceworker): the responses this worker serves for the standalone page (index.html)
// get COOP: same-origin and COEP: require-corp, and the site's other files COEP and CORP, so from
// the second visit on the standalone page is cross-origin isolated and runs the threaded engine
// (web/src/worker/load-engine.js). Every other page keeps its headers as served: the teachers'
// page, the iframe route and course pages in this scope stay embeddable, and course pages on
// other origins are never controlled by this worker at all.
const PRECACHE = self.__PRECACHE__;
// Of the engine's builds, only the kind this browser runs: relaxed SIMD where it validates the
// probe module (the one web/src/worker/load-engine.js decides with), plain SIMD elsewhere.
const RELAXED = (() => {
  try {
    return WebAssembly.validate(new Uint8Array(PRECACHE.probe));
  } catch {
    return false;
  }
})();
const SKIP = new Set(RELAXED ? PRECACHE.engines.plain : PRECACHE.engines.relaxed);
const CACHE = `ae-playground-${PRECACHE.version}`;
const RUNTIME = 'ae-playground-runtime';
const scope = new URL('./', self.location).href;
const STANDALONE = new Set([scope, new URL('index.html', scope).href]);

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(PRECACHE.files.filter((f) => !SKIP.has(f)).map((f) => new URL(f, scope).href)))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('ae-playground-') && k !== CACHE && k !== RUNTIME).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET' || !req.url.startsWith(scope)) return;
  const url = new URL(req.url);
  url.hash = '';
  // Pages: any query (the iframe route's options) is served by the same cached page.
  const key = req.mode === 'navigate' ? `${url.origin}${url.pathname}` : url.href;
  const isolate = req.mode === 'navigate' ? (STANDALONE.has(key) ? 'page' : null) : 'resource';
  event.respondWith(
    (async () => {
      const hit = (await caches.match(key, { cacheName: CACHE })) ?? (await caches.match(key, { cacheName: RUNTIME }));
      if (hit) {
        if (req.mode === 'navigate') refresh(key); // a newer page is picked up by the next visit
        return withIsolation(hit, isolate);
      }
      const res = await fetch(req);
      if (res.ok && res.type === 'basic') {
        const copy = res.clone();
        event.waitUntil(caches.open(RUNTIME).then((c) => c.put(key, copy)));
      }
      return withIsolation(res, isolate);
    })(),
  );
});

/**
 * The response with the isolation headers added: 'page' (the standalone page) gets COOP and
 * COEP, 'resource' (any file of the site) COEP and CORP; null leaves it as served.
 */
function withIsolation(res, isolate) {
  if (!isolate || res.type !== 'basic' || res.status !== 200) return res;
  const headers = new Headers(res.headers);
  headers.set('Cross-Origin-Embedder-Policy', 'require-corp');
  if (isolate === 'page') headers.set('Cross-Origin-Opener-Policy', 'same-origin');
  else headers.set('Cross-Origin-Resource-Policy', 'same-origin');
  return new Response(res.body, { status: res.status, statusText: res.statusText, headers });
}

/** Checks for a new version of the site in the background (a new sw.js installs it). */
function refresh() {
  self.registration.update().catch(() => {});
}
