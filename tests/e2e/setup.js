// Runs around every end-to-end test: a page that showed an error banner, or logged an error,
// that the test did not declare fails the test (tests/e2e/browser.js checkPages).
import { afterEach } from 'vitest';

import { checkPages } from './browser.js';

afterEach(() => checkPages());
