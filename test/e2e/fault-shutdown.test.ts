// Issue 12: an uncaught exception or an unhandled rejection goes through the same graceful shutdown as SIGTERM
// (logged, no new work, in-flight work finished, the embedded PostgreSQL stopped) and exits non-zero so a supervisor
// restarts the bot. The bot runs as a user starts it; the fault is injected from a preloaded test module.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBotProcess, waitUntilHealthy } from '../support/bot-process.ts';
import { useTestDatabase } from '../support/database.ts';
import { type FakeSlackApi, startFakeSlackApi } from '../support/fake-slack-api.ts';
import { FAULT_INJECTION } from '../support/fault-injection.ts';
import { freePort } from '../support/free-port.ts';
import { BASE_TEST_ENV } from '../support/test-app.ts';

const db = useTestDatabase();
let slackApi: FakeSlackApi;
let dataDir: string;

beforeAll(async () => {
  slackApi = await startFakeSlackApi();
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'bugsweep-fault-'));
});
afterAll(async () => {
  await slackApi.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('a fault nothing caught', () => {
  // The exception with the embedded PostgreSQL (it must be stopped), the rejection on DATABASE_URL (faster).
  for (const fault of ['exception', 'rejection'] as const) {
    const embedded = fault === 'exception';
    it(`an uncaught ${fault} shuts down gracefully${embedded ? ', stops the embedded PostgreSQL' : ''} and exits 1`, {
      timeout: 120_000,
    }, async () => {
      const port = await freePort();
      const bot = startBotProcess({
        ...BASE_TEST_ENV,
        NODE_ENV: 'production',
        LOG_LEVEL: 'info',
        SLACK_API_URL: slackApi.url,
        PORT: String(port),
        ...(embedded
          ? { DATA_DIR: dataDir, EMBEDDED_POSTGRES_PORT: String(await freePort()) }
          : { DATABASE_URL: db.url }),
        NODE_OPTIONS: `--import=${FAULT_INJECTION}`,
        BUGSWEEP_TEST_FAULT: fault,
      });
      try {
        await waitUntilHealthy(bot, `http://127.0.0.1:${port}`);
        if (embedded) expect(existsSync(path.join(dataDir, 'postgres', 'postmaster.pid'))).toBe(true);
        bot.child.kill('SIGUSR2');
        expect(await bot.exited).toBe(1);
      } finally {
        if (bot.child.exitCode === null) bot.child.kill('SIGKILL');
      }
      const logs = bot.output();
      expect(logs).toContain(`injected ${fault} from a test`);
      expect(logs).toMatch(fault === 'exception' ? /uncaught exception: shutting down/ : /unhandled promise rejection/);
      expect(logs).toContain('shutting down: finishing in-flight work');
      expect(logs).toContain('bugsweep stopped');
      if (embedded) expect(existsSync(path.join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);
    });
  }
});
