// Issue 12, "catch up on what was missed": replies posted while the bot is stopped, and while its database is cut
// (events acknowledged and not stored), are read back from Slack on start-up and once the database answers again,
// stored once each, and no sweep closes a bug before its thread has been read back. The outage is real: the bot's
// ORM talks to PostgreSQL through a TCP proxy the test cuts; Slack's side is the fake Web API holding the channel.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Bugsweep, createBugsweep } from '../../src/bugsweep.ts';
import { BugConversation, BugReport } from '../../src/db/entities/index.ts';
import { type Orm, openOrm } from '../../src/db/orm.ts';
import { createLogger } from '../../src/logger.ts';
import { useTestDatabase } from '../support/database.ts';
import { FAKE_BOT, type FakeSlackApi, startFakeSlackApi } from '../support/fake-slack-api.ts';
import { type FakeThreads, useFakeThreads } from '../support/fake-threads.ts';
import { sendEvent } from '../support/signed-requests.ts';
import { threadReply, topLevelMessage } from '../support/slack-events.ts';
import { adminSweep, ran, until } from '../support/sweep-support.ts';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.ts';
import { TEST_CHANNEL, TEST_USERS, testConfig } from '../support/test-app.ts';
import { DAY, HOUR, plus, START, slackTs, TestClock } from '../support/test-clock.ts';

const db = useTestDatabase();
const clock = new TestClock(START);

let api: FakeSlackApi;
let threads: FakeThreads;
let proxy: TcpProxy;
let orm: Orm;
let bot: { bugsweep: Bugsweep; baseUrl: string } | null = null;

async function startBot() {
  const bugsweep = await createBugsweep({
    // Stale after 5 days, closed at once without a warning: a missed reply is all that keeps a bug open.
    config: testConfig({ AUTO_CLOSE_AFTER: '5d', AUTO_CLOSE_WARNING: '0' }, api.url),
    orm,
    logger: createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent', pretty: false }),
    clock: clock.now,
    identity: { botId: FAKE_BOT.botId, botUserId: FAKE_BOT.botUserId, workspaceUrl: FAKE_BOT.workspaceUrl },
    notifier: { channelIntervalMs: 0, tier3IntervalMs: 0, tier4IntervalMs: 0 },
    catchUp: { probeMs: 20, retryMs: 20 },
    runSchedule: false,
  });
  const port = await bugsweep.start();
  bot = { bugsweep, baseUrl: `http://127.0.0.1:${port}` };
  return bot;
}

async function stopBot() {
  await bot?.bugsweep.stop();
  bot = null;
}

beforeAll(async () => {
  api = await startFakeSlackApi();
  threads = useFakeThreads(api, TEST_CHANNEL);
  const target = new URL(db.url);
  proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port) });
  orm = await openOrm(proxy.proxiedUrl(db.url));
});

afterAll(async () => {
  await proxy?.restore();
  await stopBot();
  await orm?.close(true);
  await proxy?.close();
  await api?.close();
});

/** Slack holds the message; the bot hears of it only when `deliver` (the bot is up and the event is sent). */
async function post(message: Record<string, unknown> & { ts: string }, deliver: boolean) {
  threads.post(message);
  if (!deliver || !bot) return;
  await sendEvent(bot.baseUrl, message);
  await bot.bugsweep.slack.idle();
}

const rowsOf = (ts: string) => db.orm.em.fork().count(BugConversation, { channelId: TEST_CHANNEL, slackTs: ts });
const bugOf = (threadTs: string) => db.orm.em.fork().findOneOrFail(BugReport, { channelId: TEST_CHANNEL, threadTs });

describe('catching up on replies the bot missed', () => {
  it('reads back replies sent while stopped and while the database was cut, stores each once, closes no answered bug', {
    timeout: 60_000,
  }, async () => {
    const { bugsweep } = await startBot();
    // Three reports, ten days old: stale, so the sweep would close each unless someone answered.
    const reported = plus(START, -10 * DAY);
    const [answeredWhileStopped, answeredDuringOutage, unanswered] = [
      slackTs(reported),
      slackTs(reported),
      slackTs(reported),
    ];
    for (const ts of [answeredWhileStopped, answeredDuringOutage, unanswered]) {
      await post(topLevelMessage({ user: TEST_USERS.reporter, ts, text: `Report ${ts}` }), true);
    }
    const earlier = threadReply({
      user: TEST_USERS.reporter,
      ts: slackTs(plus(START, -9 * DAY)),
      threadTs: unanswered,
    });
    await post(earlier, true);
    await bugsweep.catchUp.idle();

    // Stopped: the reporter answers the developer's question; nobody hears it.
    await stopBot();
    const whileStopped = threadReply({
      user: TEST_USERS.reporter,
      ts: slackTs(plus(START, -2 * HOUR)),
      threadTs: answeredWhileStopped,
      text: 'It still fails on 2.4, logs attached',
    });
    await post(whileStopped, false);

    // Started again: the thread is read back before any sweep may close the bug.
    const restarted = await startBot();
    await restarted.bugsweep.catchUp.idle();
    expect(await rowsOf(whileStopped.ts)).toBe(1);
    expect((await bugOf(answeredWhileStopped)).catchUpDueAt).toBeNull();
    expect(await rowsOf(earlier.ts)).toBe(1);

    // The database is cut: a developer's answer is acknowledged and cannot be stored.
    await proxy.cut();
    const duringOutage = threadReply({
      user: TEST_USERS.developer,
      ts: slackTs(plus(START, -HOUR)),
      threadTs: answeredDuringOutage,
      text: 'Found it: the retry loop. Fix is deploying',
    });
    await post(duringOutage, true);
    expect(await rowsOf(duringOutage.ts)).toBe(0);

    // Back: every open thread is marked at once; while they are being read, the sweep closes none of them.
    const release = threads.holdHistory();
    const historyCalls = api.callsTo('conversations.history').length;
    await proxy.restore();
    await until(async () => api.callsTo('conversations.history').length > historyCalls, 'the catch-up reads history');
    expect((await bugOf(answeredDuringOutage)).catchUpDueAt).not.toBeNull();
    expect(ran(await adminSweep(restarted.bugsweep.ctx)).counts.closed).toBe(0);
    expect((await bugOf(answeredDuringOutage)).status).toBe('open');

    release();
    await restarted.bugsweep.catchUp.idle();
    expect(await rowsOf(duringOutage.ts)).toBe(1);
    // Slack retrying the event later stores nothing twice.
    await sendEvent(restarted.baseUrl, duringOutage, { retryNum: 1 });
    await restarted.bugsweep.slack.idle();
    for (const ts of [whileStopped.ts, duringOutage.ts, earlier.ts]) expect(await rowsOf(ts)).toBe(1);

    // Caught up: the sweep closes the bug nobody answered, and neither answered one.
    const swept = ran(await adminSweep(restarted.bugsweep.ctx));
    expect(swept.counts.closed).toBe(1);
    expect((await bugOf(unanswered)).status).toBe('closed');
    expect((await bugOf(answeredWhileStopped)).status).toBe('open');
    expect((await bugOf(answeredDuringOutage)).status).toBe('open');
    expect((await bugOf(answeredDuringOutage)).lastActivityAt).toEqual(plus(START, -HOUR));
    // Only the threads with newer replies than stored were read, at Tier 3 through the shared budget.
    expect(api.callsTo('conversations.replies').map((call) => call.body.ts)).toEqual(
      expect.arrayContaining([answeredWhileStopped, answeredDuringOutage]),
    );
    expect(api.callsTo('conversations.replies').some((call) => call.body.ts === unanswered)).toBe(false);
  });
});
