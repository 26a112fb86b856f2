import { defineConfig } from 'vitest/config';

/** Unit tests of the client's logic; the browser tests have their own config (e2e/). */
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx'],
    environment: 'node',
  },
});
