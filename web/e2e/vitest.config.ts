import { defineConfig } from 'vitest/config';

/**
 * Browser tests: the real server (built app, PGlite in a temporary DATA_DIR) driven through
 * Debian's Chromium by playwright-core. One file at a time: each starts a server and a browser.
 */
export default defineConfig({
  test: {
    root: new URL('..', import.meta.url).pathname,
    include: ['e2e/**/*.test.ts'],
    environment: 'node',
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // expect.poll's 1 s default fails by chance on a loaded machine (CI shares two cores).
    expect: { poll: { timeout: 10_000 } },
  },
});
