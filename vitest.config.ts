import { defineConfig } from 'vitest/config';
import E2eFirstSequencer from './test/support/e2e-first-sequencer.ts';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    // Every file: nock refuses requests off this machine, so no test can reach Slack.
    setupFiles: ['test/support/nock-setup.ts'],
    // Two cores here: a few files at a time, each with its own database.
    maxWorkers: 3,
    // The long end-to-end files start first, so they run beside the short ones instead of after them.
    sequence: { sequencer: E2eFirstSequencer },
    testTimeout: 20_000,
    hookTimeout: 60_000,
    env: { NODE_ENV: 'test' },
  },
});
