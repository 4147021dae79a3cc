// The playground's service worker (registered by web/src/offline/register.js): a second visit
// works offline. The build (web/build/site-plugin.js) writes in the precache list: the pages,
// every built asset (scripts, the engine's .wasm, styles, fonts), the MNIST test set and the
// default pretrained model. Everything else the site serves (the training sets, the other
// pretrained models) is cached the first time it is fetched, so once a training set has been
// downloaded, training works offline too. Paths are relative to this file, so the site works
// from any sub-path.
const PRECACHE = self.__PRECACHE__;
const CACHE = `ae-playground-${PRECACHE.version}`;
const RUNTIME = 'ae-playground-runtime';
const scope = new URL('./', self.location).href;

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(PRECACHE.files.map((f) => new URL(f, scope).href)))
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
  event.respondWith(
    (async () => {
      const hit = (await caches.match(key, { cacheName: CACHE })) ?? (await caches.match(key, { cacheName: RUNTIME }));
      if (hit) {
        if (req.mode === 'navigate') refresh(key); // a newer page is picked up by the next visit
        return hit;
      }
      const res = await fetch(req);
      if (res.ok && res.type === 'basic') {
        const copy = res.clone();
        event.waitUntil(caches.open(RUNTIME).then((c) => c.put(key, copy)));
      }
      return res;
    })(),
  );
});

/** Checks for a new version of the site in the background (a new sw.js installs it). */
function refresh() {
  self.registration.update().catch(() => {});
}
