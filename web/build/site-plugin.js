// Build-time pieces of a playground that works from any static host, at any sub-path, offline:
//   - ae-playground.js at the site root: the one script a course page includes. It only imports
//     the real (hashed, cacheable) element module from assets/, so its own URL never changes.
//   - sw.js at the site root: the service worker (web/src/offline/sw.js) with this build's
//     precache list and version written in, so every build installs afresh and a second visit
//     works offline. Nothing else (no headers, no server rewrites) is needed.
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';

import { RELAXED_PROBE } from '../src/worker/load-engine.js';

/** Public files cached on install, besides the built pages and assets (the first visit's data). */
const PRECACHE_PUBLIC = ['models/manifest.json', 'models/mnist-seed.aemf', 'data/mnist-test.aeds.gz', 'data/manifest.json'];

export function sitePlugin() {
  return {
    name: 'ae-site',
    apply: 'build',
    enforce: 'post', // after Vite's HTML plugin has written the pages and dropped CSS-only chunks
    generateBundle(_options, bundle) {
      const element = Object.values(bundle).find((f) => f.type === 'chunk' && f.isEntry && f.name === 'ae-playground');
      if (!element) this.error('the ae-playground entry is missing from the build');
      this.emitFile({
        type: 'asset',
        fileName: 'ae-playground.js',
        source: `// <ae-playground>: include this one script, then use the element (see teachers.html).\nimport './${element.fileName}';\n`,
      });
      const built = Object.keys(bundle).filter((f) => !f.endsWith('.map'));
      if (!built.includes('index.html')) this.error('the pages are not in the bundle yet: the site plugin must run after vite:build-html');
      const files = [...new Set(['./', ...built, 'ae-playground.js', ...PRECACHE_PUBLIC])].sort();
      // The engine's builds (web/src/worker/load-engine.js): a browser runs either the relaxed-SIMD
      // ones or the plain ones, so the service worker precaches only that kind (it validates the
      // same probe module); the other kind is still fetched, and cached, if it is ever asked for.
      // The worker's own build emits them, so here they are bare assets known by their names:
      // assets/ae[-mt][-rx][.worker]-HASH.(js|wasm), with Vite's 8-character hash.
      const engines = { relaxed: [], plain: [] };
      for (const fileName of Object.keys(bundle)) {
        const m = /^assets\/ae(?:-mt)?(-rx)?(?:\.worker)?-[\w-]{8}\.(?:js|wasm)$/.exec(fileName);
        if (m) engines[m[1] ? 'relaxed' : 'plain'].push(fileName);
      }
      if (engines.relaxed.length !== engines.plain.length || engines.plain.length < 5)
        this.error(`the engine's builds in the bundle do not pair up: relaxed ${engines.relaxed.join(', ')}; plain ${engines.plain.join(', ')}`);
      const version = createHash('sha256').update(JSON.stringify(files)).update(Object.values(bundle).map((f) => f.code ?? f.source ?? '').join('')).digest('hex').slice(0, 16);
      const template = readFileSync(new URL('../src/offline/sw.js', import.meta.url), 'utf8');
      this.emitFile({
        type: 'asset',
        fileName: 'sw.js',
        source: template.replace('self.__PRECACHE__', JSON.stringify({ version, files, engines, probe: [...RELAXED_PROBE] }, null, 1)),
      });
    },
  };
}
