import { defineConfig } from 'vitest/config';

// End-to-end tests: the built page (dist/) served by `vite preview`, driven in Debian's
// headless Chromium by playwright-core. One file at a time: the machine has two cores.
export default defineConfig({
  root: new URL('../..', import.meta.url).pathname,
  test: {
    include: ['tests/e2e/**/*.test.js'],
    environment: 'node',
    globalSetup: ['tests/e2e/global-setup.js'],
    setupFiles: ['tests/e2e/setup.js'],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
