// bugsweep started in-process on a test database, in HTTP mode on a free port, with the Web API faked at
// its HTTP edge (the loopback fake, or nock with `slackApi: 'nock'`). Tests talk to it only through signed HTTP
// requests, as Slack does.
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { type Bugsweep, type BugsweepOptions, createBugsweep } from '../../src/bugsweep.ts';
import { type Config, loadConfig } from '../../src/config.ts';
import type { TestDatabase } from './database.ts';
import { FAKE_BOT, type FakeSlackApi, startFakeSlackApi } from './fake-slack-api.ts';
import { interceptSlackApi } from './nock-slack-api.ts';
import { TEST_SIGNING_SECRET } from './signed-requests.ts';
import { START, TestClock } from './test-clock.ts';

export const TEST_USERS = {
  reporter: 'UREPORTER',
  developer: 'UDEVELOPER',
  developer2: 'UDEVTWO',
  admin: 'UADMIN',
  bystander: 'UBYSTANDER',
} as const;
export const TEST_CHANNEL = 'CBUGS';

export const BASE_TEST_ENV: Record<string, string> = {
  NODE_ENV: 'test',
  SLACK_BOT_TOKEN: 'xoxb-test-token',
  SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET,
  PORT: '0',
  BUG_CHANNELS: TEST_CHANNEL,
  ADMIN_USERS: TEST_USERS.admin,
  DEVELOPER_USERS: `${TEST_USERS.developer},${TEST_USERS.developer2}`,
  LOG_LEVEL: 'silent',
  // No SLA due times unless a test is about them (test/slack/sla.test.ts): scenario tests keep their exact cards.
  SLA_CRITICAL: '0',
  SLA_HIGH: '0',
  SLA_MEDIUM: '0',
  SLA_LOW: '0',
};

export type TestApp = {
  baseUrl: string;
  slackApi: FakeSlackApi;
  bugsweep: Bugsweep;
  config: Config;
  clock: TestClock;
  /** Waits until every handler the app started has finished. */
  idle(): Promise<void>;
  /** Waits for the handlers, then sends everything the outbox holds that is due now. */
  settle(): Promise<void>;
  /** Warnings and errors the app logged (JSON lines, parsed), for tests about failures. */
  logs: Record<string, unknown>[];
};

export type TestAppOptions = Pick<BugsweepOptions, 'notifier' | 'developers' | 'scheduler'> & {
  /** Run the sweep on its croner schedule, on real time (off by default: tests call the sweep directly). */
  runSchedule?: boolean;
  /** Where the Web API is faked: the loopback fake (default), or nock at https://slack.com/api/. */
  slackApi?: 'loopback' | 'nock';
};

export function testConfig(env: Record<string, string>, slackApiUrl: string): Config {
  return loadConfig({ ...BASE_TEST_ENV, SLACK_API_URL: slackApiUrl, ...env });
}

/** Keeps warnings and errors for assertions; TEST_LOG_LEVEL=debug also prints everything at that level. */
function capturingLogger(handle: TestApp) {
  handle.logs = [];
  const capture = {
    level: 'warn' as const,
    stream: { write: (line: string) => void handle.logs.push(JSON.parse(line) as Record<string, unknown>) },
  };
  const print = process.env.TEST_LOG_LEVEL
    ? [{ level: process.env.TEST_LOG_LEVEL as pino.Level, stream: process.stdout }]
    : [];
  return pino(
    { level: process.env.TEST_LOG_LEVEL ?? 'warn', base: { service: 'bugsweep' } },
    pino.multistream([capture, ...print]),
  );
}

/** Call at the top of a test file, after useTestDatabase(). */
export function useTestApp(db: TestDatabase, env: Record<string, string> = {}, options: TestAppOptions = {}): TestApp {
  const handle = {} as TestApp;
  beforeAll(async () => {
    handle.slackApi = options.slackApi === 'nock' ? interceptSlackApi() : await startFakeSlackApi();
    handle.clock = new TestClock(START);
    handle.config = testConfig(env, handle.slackApi.url);
    handle.bugsweep = await createBugsweep({
      config: handle.config,
      orm: db.orm,
      logger: capturingLogger(handle),
      clock: handle.clock.now,
      identity: {
        botId: FAKE_BOT.botId,
        botUserId: FAKE_BOT.botUserId,
        workspaceUrl: FAKE_BOT.workspaceUrl,
        appId: FAKE_BOT.appId,
        teamId: FAKE_BOT.teamId,
      },
      // No one-second channel pacing unless a test is about pacing: the clock here only moves by hand.
      notifier: { channelIntervalMs: 0, tier3IntervalMs: 0, tier4IntervalMs: 0, ...options.notifier },
      runSchedule: options.runSchedule ?? false,
      ...(options.scheduler ? { scheduler: options.scheduler } : {}),
      ...(options.developers ? { developers: options.developers } : {}),
    });
    const port = await handle.bugsweep.start();
    handle.baseUrl = `http://127.0.0.1:${port}`;
    handle.idle = () => handle.bugsweep.slack.idle();
    handle.settle = async () => {
      await handle.bugsweep.slack.idle();
      await handle.bugsweep.ctx.notifier.drain();
    };
  });
  afterEach(() => handle.slackApi?.reset());
  afterAll(async () => {
    await handle.bugsweep?.stop();
    await handle.slackApi?.close();
  });
  return handle;
}
