// Issue 12 in Socket Mode: a message event is acknowledged only once it is stored. One that cannot be stored (the
// database refuses it) is not acknowledged, so Slack delivers the envelope again, and the redelivery is stored once.
// The bot is built in Socket Mode but not connected: envelopes are handed to Bolt's processEvent as its Socket Mode
// receiver hands them over, with the acknowledgement watched.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Bugsweep, createBugsweep } from '../../src/bugsweep.ts';
import { BugReport } from '../../src/db/entities/index.ts';
import { createLogger } from '../../src/logger.ts';
import { useTestDatabase } from '../support/database.ts';
import { FAKE_BOT, type FakeSlackApi, startFakeSlackApi } from '../support/fake-slack-api.ts';
import { refuseRowsContaining } from '../support/refused-rows.ts';
import { topLevelMessage } from '../support/slack-events.ts';
import { TEST_CHANNEL, TEST_USERS, testConfig } from '../support/test-app.ts';
import { START, slackTs } from '../support/test-clock.ts';

const db = useTestDatabase();
let api: FakeSlackApi;
let bugsweep: Bugsweep;

beforeAll(async () => {
  api = await startFakeSlackApi();
  bugsweep = await createBugsweep({
    config: testConfig({ SLACK_APP_TOKEN: 'xapp-1-test' }, api.url),
    orm: db.orm,
    logger: createLogger({ level: 'silent', pretty: false }),
    identity: { botId: FAKE_BOT.botId, botUserId: FAKE_BOT.botUserId, workspaceUrl: FAKE_BOT.workspaceUrl },
    runSchedule: false,
  });
});

afterAll(async () => {
  await bugsweep?.stop();
  await api?.close();
});

/** One envelope as Bolt's Socket Mode receiver hands it over; resolves with how often it was acknowledged. */
async function deliver(event: Record<string, unknown>): Promise<{ acks: number; failed: boolean }> {
  let acks = 0;
  const body = { type: 'event_callback', team_id: 'TTEAM', event_id: 'EvSOCKETACK', event };
  const processed = bugsweep.slack.app.processEvent({
    body,
    ack: async () => {
      acks += 1;
    },
    retryNum: undefined,
    retryReason: undefined,
    customProperties: {},
  });
  const failed = await processed.then(
    () => false,
    () => true,
  );
  return { acks, failed };
}

describe('a message event in Socket Mode', () => {
  it('is acknowledged only once stored; one the database refuses is not, and its redelivery is stored', async () => {
    expect(bugsweep.ctx.config.slack.socketMode).toBe(true);
    const report = topLevelMessage({ user: TEST_USERS.reporter, ts: slackTs(START), text: 'Uploads stall at 99%' });
    const undo = await refuseRowsContaining(db, 'bug_conversations', 'text', 'Uploads stall');
    let first: Awaited<ReturnType<typeof deliver>>;
    try {
      first = await deliver(report);
    } finally {
      await undo();
    }
    expect(first).toEqual({ acks: 0, failed: true });
    expect(await db.orm.em.fork().count(BugReport, { channelId: TEST_CHANNEL, threadTs: report.ts })).toBe(0);

    expect(await deliver(report)).toEqual({ acks: 1, failed: false });
    expect(await db.orm.em.fork().count(BugReport, { channelId: TEST_CHANNEL, threadTs: report.ts })).toBe(1);
  });
});
