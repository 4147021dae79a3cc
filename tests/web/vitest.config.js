import { defineConfig } from 'vitest/config';

// JS unit tests: pure modules and the worker's handlers against the real built WASM.
export default defineConfig({
  root: new URL('../..', import.meta.url).pathname,
  test: {
    include: ['tests/web/**/*.test.js', 'tests/cli/**/*.test.js'],  // tests/cli: the native `ae` program
    environment: 'node',
    testTimeout: 60_000,
  },
});
