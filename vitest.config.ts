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
    // A worker runs file after file without restarting: loading Bolt, MikroORM and the rest again for each of 90
    // files cost more than all the unit tests together (vitest 143 s isolated, 78 s not). What src/ keeps per
    // process (the Web API client's keep-alive connections, formatter caches) no test can see, each app has its
    // own metric registry, nock starts clean in every file (nock-setup.ts), and the files that need a fresh Node
    // spawn one.
    isolate: false,
    // The long end-to-end files start first, so they run beside the short ones instead of after them.
    sequence: { sequencer: E2eFirstSequencer },
    testTimeout: 20_000,
    hookTimeout: 60_000,
    env: { NODE_ENV: 'test' },
  },
});
