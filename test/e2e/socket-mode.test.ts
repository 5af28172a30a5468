// Socket Mode end to end: the bot started as a user starts it (`node bin/bugsweep.mjs`) with SLACK_APP_TOKEN,
// asking apps.connections.open through SLACK_API_URL (the fake) for a WebSocket URL that points at a loopback
// server playing Slack's side: hello, then envelopes the bot must acknowledge.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BugReport } from '../../src/db/entities/index.ts';
import { startBotProcess } from '../support/bot-process.ts';
import { useTestDatabase } from '../support/database.ts';
import { type FakeSlackApi, startFakeSlackApi } from '../support/fake-slack-api.ts';
import { type FakeSocketMode, startFakeSocketMode } from '../support/fake-socket-mode.ts';
import { freePort } from '../support/free-port.ts';
import { BASE_TEST_ENV, TEST_CHANNEL, TEST_USERS } from '../support/test-app.ts';

const db = useTestDatabase();
let slackApi: FakeSlackApi;
let sockets: FakeSocketMode;

beforeAll(async () => {
  slackApi = await startFakeSlackApi();
});

afterAll(async () => {
  await slackApi.close();
});

async function startSocketModeBot() {
  slackApi.reset();
  sockets = await startFakeSocketMode();
  slackApi.on('apps.connections.open', { status: 200, body: { ok: true, url: sockets.url } });
  const port = await freePort();
  const { SLACK_SIGNING_SECRET: _httpOnly, ...socketEnv } = BASE_TEST_ENV;
  const bot = startBotProcess({
    ...socketEnv,
    SLACK_APP_TOKEN: 'xapp-1-test',
    NODE_ENV: 'production',
    LOG_LEVEL: 'info',
    DATABASE_URL: db.url,
    SLACK_API_URL: slackApi.url,
    PORT: String(port),
  });
  return { bot, port };
}

/** A message event envelope: a new report in the bug channel. */
function reportEnvelope(ts: string, text: string, eventId: string) {
  return {
    token: 'legacy',
    team_id: 'TTEAM',
    api_app_id: 'AAPP',
    event: {
      type: 'message',
      user: TEST_USERS.reporter,
      text,
      ts,
      channel: TEST_CHANNEL,
      event_ts: ts,
      channel_type: 'channel',
    },
    type: 'event_callback',
    event_id: eventId,
    event_time: 1764000000,
    authorizations: [
      { enterprise_id: null, team_id: 'TTEAM', user_id: 'UBUGSWEEP', is_bot: true, is_enterprise_install: false },
    ],
  };
}

/** Polls the database (not the clock) until the bug the envelope reported exists. */
async function bugFor(threadTs: string): Promise<BugReport> {
  for (let i = 0; i < 400; i += 1) {
    const bug = await db.orm.em.fork().findOne(BugReport, { channelId: TEST_CHANNEL, threadTs });
    if (bug) return bug;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error('the bot never stored the reported bug');
}

describe('Socket Mode', () => {
  it('connects through SLACK_API_URL, takes events and commands over the socket, serves /healthz, stops cleanly', {
    timeout: 60_000,
  }, async () => {
    const { bot, port } = await startSocketModeBot();
    try {
      await sockets.connection(1);
      expect(slackApi.callsTo('apps.connections.open')).toHaveLength(1);

      const ts = '1764000000.000100';
      const event = await sockets.envelope(
        'events_api',
        reportEnvelope(ts, 'Socket mode bug: export hangs', 'EvSOCKET1'),
        'env-event-1',
      );
      expect(event.envelope_id).toBe('env-event-1');
      const bug = await bugFor(ts);
      expect(bug).toMatchObject({ title: 'Socket mode bug: export hangs', reporterId: TEST_USERS.reporter });

      const command = await sockets.envelope(
        'slash_commands',
        {
          token: 'legacy',
          team_id: 'TTEAM',
          team_domain: 'example',
          channel_id: TEST_CHANNEL,
          channel_name: 'bugs',
          user_id: TEST_USERS.developer,
          user_name: 'dev',
          command: '/bugs',
          text: 'help',
          api_app_id: 'AAPP',
          response_url: `${slackApi.url}response/socket`,
          trigger_id: '1.2.socket',
        },
        'env-command-1',
      );
      expect(command.payload).toMatchObject({
        response_type: 'ephemeral',
        text: expect.stringContaining('/bugs claim <ref>'),
      });

      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok', database: 'reachable', socketMode: 'connected' });
    } finally {
      bot.child.kill('SIGTERM');
      await sockets.close();
    }
    expect(await bot.exited).toBe(0);
    expect(bot.output()).toContain('bugsweep stopped');
    expect(slackApi.callsTo('chat.postMessage').some((call) => call.body.thread_ts === '1764000000.000100')).toBe(true);
  });

  // Issue 12: with WebClient's `retries: 0` passed on, one 5xx from apps.connections.open during a routine refresh
  // was final and became an unhandled rejection. Socket Mode keeps its own retries now.
  it('reconnects after a routine refresh even when the first apps.connections.open fails', {
    timeout: 60_000,
  }, async () => {
    const { bot } = await startSocketModeBot();
    try {
      await sockets.connection(1);
      slackApi.enqueue('apps.connections.open', { status: 500, body: { ok: false, error: 'internal_error' } });
      await sockets.askToReconnect();
      await Promise.race([
        sockets.connection(2),
        bot.exited.then((code) => {
          throw new Error(`the bot exited (${code}) instead of reconnecting:\n${bot.output()}`);
        }),
      ]);
      expect(slackApi.callsTo('apps.connections.open')).toHaveLength(3);

      const ts = '1764000000.000200';
      const event = await sockets.envelope(
        'events_api',
        reportEnvelope(ts, 'Reported after the reconnect', 'EvSOCKET2'),
        'env-event-2',
      );
      expect(event.envelope_id).toBe('env-event-2');
      expect(await bugFor(ts)).toMatchObject({ title: 'Reported after the reconnect' });
    } finally {
      bot.child.kill('SIGTERM');
      await sockets.close();
    }
    expect(await bot.exited).toBe(0);
    expect(bot.output()).not.toMatch(/unhandled/i);
  });
});
