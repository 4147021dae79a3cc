// Serves dist/ once for all end-to-end files and tells them where.
import { existsSync } from 'node:fs';
import { preview } from 'vite';

export default async function setup({ provide }) {
  const root = new URL('../..', import.meta.url);
  if (!existsSync(new URL('dist/index.html', root))) throw new Error('dist/ is missing: run `npm run setup` first');
  const server = await preview({
    configFile: new URL('web/vite.config.js', root).pathname,
    preview: { port: 0, host: '127.0.0.1', strictPort: false },
    logLevel: 'error',
  });
  const address = server.httpServer.address();
  provide('baseURL', `http://127.0.0.1:${address.port}/`);
  return async () => {
    await server.close();
  };
}
