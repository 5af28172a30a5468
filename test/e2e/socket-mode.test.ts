// Socket Mode end to end: the bot started as a user starts it (`node bin/bugsweep.mjs`) with SLACK_APP_TOKEN,
// asking apps.connections.open through SLACK_API_URL (the fake) for a WebSocket URL that points at a loopback
// server playing Slack's side: hello, then envelopes the bot must acknowledge.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type WebSocket, WebSocketServer } from 'ws';
import { BugReport } from '../../src/db/entities/index.ts';
import { startBotProcess } from '../support/bot-process.ts';
import { useTestDatabase } from '../support/database.ts';
import { type FakeSlackApi, startFakeSlackApi } from '../support/fake-slack-api.ts';
import { freePort } from '../support/free-port.ts';
import { BASE_TEST_ENV, TEST_CHANNEL, TEST_USERS } from '../support/test-app.ts';

const db = useTestDatabase();
let slackApi: FakeSlackApi;
let wss: WebSocketServer;
let socket: Promise<WebSocket>;
const acks = new Map<string, (ack: { envelope_id: string; payload?: Record<string, unknown> }) => void>();

beforeAll(async () => {
  slackApi = await startFakeSlackApi();
  wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  const wsPort = (wss.address() as { port: number }).port;
  slackApi.on('apps.connections.open', {
    status: 200,
    body: { ok: true, url: `ws://127.0.0.1:${wsPort}/link/?ticket=test` },
  });
  socket = new Promise((resolve) =>
    wss.once('connection', (ws) => {
      ws.on('message', (data) => {
        const ack = JSON.parse(String(data)) as { envelope_id: string };
        acks.get(ack.envelope_id)?.(ack);
      });
      ws.send(
        JSON.stringify({
          type: 'hello',
          num_connections: 1,
          debug_info: { host: 'applink-test' },
          connection_info: { app_id: 'AAPP' },
        }),
      );
      resolve(ws);
    }),
  );
});

afterAll(async () => {
  for (const client of wss.clients) client.terminate();
  await new Promise<void>((resolve) => wss.close(() => resolve()));
  await slackApi.close();
});

/** Sends an envelope over the socket and resolves with the bot's acknowledgement. */
async function envelope(type: string, payload: Record<string, unknown>, id: string) {
  const ws = await socket;
  const acked = new Promise<{ envelope_id: string; payload?: Record<string, unknown> }>((resolve) =>
    acks.set(id, resolve),
  );
  ws.send(
    JSON.stringify({
      envelope_id: id,
      type,
      payload,
      accepts_response_payload: type !== 'events_api',
      retry_attempt: 0,
      retry_reason: '',
    }),
  );
  return acked;
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
    try {
      await socket;
      expect(slackApi.callsTo('apps.connections.open')).toHaveLength(1);

      const ts = '1764000000.000100';
      const event = await envelope(
        'events_api',
        {
          token: 'legacy',
          team_id: 'TTEAM',
          api_app_id: 'AAPP',
          event: {
            type: 'message',
            user: TEST_USERS.reporter,
            text: 'Socket mode bug: export hangs',
            ts,
            channel: TEST_CHANNEL,
            event_ts: ts,
            channel_type: 'channel',
          },
          type: 'event_callback',
          event_id: 'EvSOCKET1',
          event_time: 1764000000,
          authorizations: [
            { enterprise_id: null, team_id: 'TTEAM', user_id: 'UBUGSWEEP', is_bot: true, is_enterprise_install: false },
          ],
        },
        'env-event-1',
      );
      expect(event.envelope_id).toBe('env-event-1');
      const bug = await bugFor(ts);
      expect(bug).toMatchObject({ title: 'Socket mode bug: export hangs', reporterId: TEST_USERS.reporter });

      const command = await envelope(
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
    } finally {
      bot.child.kill('SIGTERM');
    }
    expect(await bot.exited).toBe(0);
    expect(bot.output()).toContain('bugsweep stopped');
    expect(slackApi.callsTo('chat.postMessage').some((call) => call.body.thread_ts === '1764000000.000100')).toBe(true);
  });
});
