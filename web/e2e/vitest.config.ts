import { defineConfig } from 'vitest/config';

/**
 * Browser tests: the real server (built app, PGlite in a temporary DATA_DIR) driven through
 * Debian's Chromium by playwright-core. Each file starts its own server and browser; two files run
 * side by side, since they mostly wait on pages and argon2: measured on two cores, 16 files took
 * 260 s two at a time against 424 s one at a time, all passing.
 */
export default defineConfig({
  test: {
    root: new URL('..', import.meta.url).pathname,
    include: ['e2e/**/*.test.ts'],
    environment: 'node',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // expect.poll's 1 s default fails by chance on a loaded machine (CI shares two cores).
    expect: { poll: { timeout: 10_000 } },
  },
});
