import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    // Integration and browser tests start servers and processes; the machines are small.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
    // Test files in a worker share its loaded modules (src/, the emulator, express, ioredis...)
    // instead of importing them again for every file: that import was most of the run's CPU time.
    // So a test helper must not keep per-file state in a module: a file's own servers and
    // connections are made in its hooks or tests and closed there (onTestFinished, afterAll),
    // and the Chromium a worker shares is a worker-scoped fixture (test/support/browser.ts).
    isolate: false,
    reporters: ['default', './test/support/summary-reporter.ts'],
    // A skipped test is a hidden failure here: every layer must run.
    allowOnly: false,
  },
});
