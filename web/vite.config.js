import { defineConfig } from 'vite';
import { sitePlugin } from './build/site-plugin.js';

const page = (name) => new URL(name, import.meta.url).pathname;

// Cross-origin isolation for the dev server and `npm start` (vite preview): the standalone page
// then gets SharedArrayBuffer and runs the threaded engine (web/src/worker/load-engine.js).
// CORP cross-origin lets course pages on other origins, isolated or not, still load the element,
// its worker and the engine from here (with CORS, which both servers send).
export const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'cross-origin',
};

// The app lives in web/; `npm run build` writes dist/ at the repository root: a static site that
// works from any host and any sub-path (base './'), with no special headers (with them, or from a
// second visit on through the service worker, the standalone page gets the threaded engine).
//   index.html     the standalone playground (one <ae-playground url-state>)
//   embed.html     the iframe route for platforms that only take iframes (options in the query)
//   teachers.html  snippets, a sample course page, the attributes, events and lessons
//   ae-playground.js  the element, for course pages (written by build/site-plugin.js)
//   sw.js          the service worker that makes a second visit work offline
export default defineConfig({
  root: new URL('.', import.meta.url).pathname,
  base: './',
  publicDir: 'public',
  plugins: [sitePlugin()],
  build: {
    outDir: '../dist',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 1024,
    rollupOptions: {
      input: {
        index: page('index.html'),
        embed: page('embed.html'),
        teachers: page('teachers.html'),
        'ae-playground': page('src/embed/element.js'),
      },
      // Every script lives in assets/ (lib/site.js finds the site root from there); the
      // element's entry keeps a fixed name for the root-level ae-playground.js to import.
      output: { entryFileNames: (chunk) => (chunk.name === 'ae-playground' ? 'assets/ae-playground.js' : 'assets/[name]-[hash].js') },
      preserveEntrySignatures: 'strict',
    },
  },
  worker: { format: 'es' },
  server: { host: '127.0.0.1', port: 5173, headers: ISOLATION_HEADERS },
  preview: { host: '127.0.0.1', port: 4173, headers: ISOLATION_HEADERS },
});
