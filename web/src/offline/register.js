// Registers the service worker (web/src/offline/sw.js) that makes a second visit work offline,
// when the playground is served from the page's own origin by a build (not the dev server).
// A course page that loads the element from another site cannot register it (browsers allow a
// service worker only for its own origin): there the playground works online only.
import { SITE_ROOT } from '../lib/site.js';

let registered = null;

/** @returns {Promise<ServiceWorkerRegistration|null>} */
export function registerOffline() {
  if (registered) return registered;
  const usable = !import.meta.env?.DEV && 'serviceWorker' in navigator && new URL(SITE_ROOT).origin === location.origin;
  registered = usable ? navigator.serviceWorker.register(new URL('sw.js', SITE_ROOT), { scope: SITE_ROOT }).catch(() => null) : Promise.resolve(null);
  return registered;
}
