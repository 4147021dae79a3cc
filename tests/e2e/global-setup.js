// Serves dist/ once for all end-to-end files and tells them where. AE_DIST=DIR serves another
// build of the page instead (e.g. one made with `vite build --outDir DIR` while working on it).
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { preview } from 'vite';

export default async function setup({ provide }) {
  const root = new URL('../..', import.meta.url);
  const dist = process.env.AE_DIST ? resolve(process.env.AE_DIST) : new URL('dist', root).pathname;
  if (!existsSync(`${dist}/index.html`)) throw new Error(`${dist} has no index.html: run \`npm run setup\` first`);
  const server = await preview({
    configFile: new URL('web/vite.config.js', root).pathname,
    build: { outDir: dist },
    preview: { port: 0, host: '127.0.0.1', strictPort: false },
    logLevel: 'error',
  });
  const address = server.httpServer.address();
  provide('baseURL', `http://127.0.0.1:${address.port}/`);
  return async () => {
    await server.close();
  };
}
