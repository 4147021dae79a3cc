#!/usr/bin/env node
// Serves the built playground (dist/) on localhost and prints the URL.
// PORT=8080 npm start picks another port; HOST=0.0.0.0 exposes it on the network.
import { preview } from 'vite';

const port = Number(process.env.PORT ?? 4173);
const host = process.env.HOST ?? '127.0.0.1';
const server = await preview({
  configFile: new URL('../web/vite.config.js', import.meta.url).pathname,
  preview: { port, host, strictPort: false, open: false },
  logLevel: 'warn',
});
const url = server.resolvedUrls?.local?.[0] ?? `http://${host}:${port}/`;
console.log(`\n  Autoencoder Playground is running at ${url}\n  (Ctrl+C to stop)\n`);
