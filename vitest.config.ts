import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    environment: 'node',
    globalSetup: ['./test/global-setup.ts'],
    pool: 'forks',
    // Vitest's default, one worker fewer than the CPUs, ran one file at a time on 2 CPUs, while
    // files spend much of their time waiting on PostgreSQL, server processes and timers. Measured
    // on the 2-CPU machine otherwise idle, PGlite / PostgreSQL: 1 worker 98 s / 77 s, 2 workers
    // 84 s / 53 s, 3 workers 79 s / 55 s.
    maxWorkers: '100%',
    // Argon2 hashing and schema creation are real work, and a 2-CPU machine shared with other work
    // runs them several times slower.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['default', './test/summary-reporter.ts'],
  },
});
