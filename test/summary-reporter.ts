import type { Reporter, TestModule } from 'vitest/node';

/**
 * Prints one plain closing line, `PGlite: 63 passed, 0 failed, 0 skipped`, that CI and people can
 * read at a glance whichever database the run used.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>) {
    const counts = { passed: 0, failed: 0, skipped: 0 };
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed' || state === 'failed' || state === 'skipped') counts[state] += 1;
      }
      // A file that failed to load has no tests to count, but it is a failure all the same.
      if (module.state() === 'failed' && [...module.children.allTests()].length === 0) counts.failed += 1;
    }
    const label = process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite';
    console.log(`\n${label}: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
  }
}
