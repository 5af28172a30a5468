// The bot as a new user starts it: `node bin/bugsweep.mjs` with no DATABASE_URL, so it starts the embedded
// PostgreSQL in DATA_DIR, migrates, serves /healthz, stops cleanly on SIGTERM and keeps its data across restarts;
// and as `npm start`, where a SIGTERM sent to npm alone (what `docker stop` does to PID 1) must reach the bot.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BotProcess, startBotProcess, startBotWithNpm } from '../support/bot-process.ts';
import { type FakeSlackApi, startFakeSlackApi } from '../support/fake-slack-api.ts';
import { freePort } from '../support/free-port.ts';
import { BASE_TEST_ENV } from '../support/test-app.ts';

let slackApi: FakeSlackApi;
let dataDir: string;

beforeAll(async () => {
  slackApi = await startFakeSlackApi();
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'bugsweep-e2e-'));
});
afterAll(async () => {
  await slackApi.close();
  await rm(dataDir, { recursive: true, force: true });
});

async function waitForHealth(port: number, bot: BotProcess): Promise<Response> {
  for (let attempt = 0; attempt < 900; attempt += 1) {
    if (bot.child.exitCode !== null) throw new Error(`bot exited early:\n${bot.output()}`);
    try {
      return await fetch(`http://127.0.0.1:${port}/healthz`);
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100)); // polling a child process, not waiting on our own clock
    }
  }
  throw new Error(`bot never answered /healthz:\n${bot.output()}`);
}

describe('starting and stopping the bot', () => {
  it('starts the embedded database, serves /healthz, stops on SIGTERM with exit 0, and keeps its data', {
    timeout: 120_000,
  }, async () => {
    const env = {
      ...BASE_TEST_ENV,
      NODE_ENV: 'production',
      LOG_LEVEL: 'info',
      SLACK_API_URL: slackApi.url,
      DATA_DIR: dataDir,
      PORT: String(await freePort()),
      EMBEDDED_POSTGRES_PORT: String(await freePort()),
    };
    for (const round of [1, 2]) {
      const bot = startBotProcess(env);
      const health = await waitForHealth(Number(env.PORT), bot);
      expect(health.status).toBe(200);
      expect(existsSync(path.join(dataDir, 'postgres', 'PG_VERSION'))).toBe(true);
      bot.child.kill('SIGTERM');
      expect(await bot.exited).toBe(0);
      const logs = bot.output();
      expect(logs).toContain('bugsweep stopped');
      if (round === 1) expect(logs).toContain('applied database migrations');
      else expect(logs).not.toContain('applied database migrations');
    }
    expect(slackApi.callsTo('auth.test').length).toBe(2);
  });

  it('npm start passes a SIGTERM sent to npm alone on to the bot, which stops gracefully and frees PORT', {
    timeout: 120_000,
  }, async () => {
    const port = await freePort();
    const ownDataDir = await mkdtemp(path.join(os.tmpdir(), 'bugsweep-e2e-npm-'));
    const bot = startBotWithNpm({
      ...BASE_TEST_ENV,
      NODE_ENV: 'production',
      LOG_LEVEL: 'info',
      SLACK_API_URL: slackApi.url,
      DATA_DIR: ownDataDir,
      PORT: String(port),
      EMBEDDED_POSTGRES_PORT: String(await freePort()),
    });
    try {
      expect((await waitForHealth(port, bot)).status).toBe(200);
      bot.child.kill('SIGTERM'); // npm's pid only, not its process group
      expect(await bot.exited).toBe(0);
      expect(bot.output()).toContain('shutting down: finishing in-flight work');
      expect(bot.output()).toContain('bugsweep stopped');
      await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
    } finally {
      bot.killGroup(); // an orphaned bot (and its PostgreSQL) must not outlive a failing test
      await rm(ownDataDir, { recursive: true, force: true });
    }
  });

  it('refuses to start with a bad setting and names it', async () => {
    const bot = startBotProcess({ ...BASE_TEST_ENV, AUTO_CLOSE_AFTER: 'soon', DATA_DIR: dataDir });
    expect(await bot.exited).toBe(1);
    expect(bot.output()).toContain('AUTO_CLOSE_AFTER expected a duration');
  });
});
