import { defineConfig } from 'vite';

// The app lives in web/; `npm run build` writes dist/ at the repository root.
export default defineConfig({
  root: new URL('.', import.meta.url).pathname,
  base: './',
  publicDir: 'public',
  build: { outDir: '../dist', emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 1024 },
  worker: { format: 'es' },
  server: { host: '127.0.0.1', port: 5173 },
  preview: { host: '127.0.0.1', port: 4173 },
});
