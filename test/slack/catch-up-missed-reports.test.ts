// Issue 12, "catch up on what was missed", beyond replies: a report posted as a top-level message while the bot is
// stopped, or while its database is cut, becomes one bug with its card after recovery, as its event would have made
// it; edits and deletions made meanwhile are reflected; reading back again changes nothing; and two replicas
// recovering at once file the missed report once. The outage is real (the bot's ORM talks to PostgreSQL through a
// TCP proxy the test cuts); Slack's side is the fake Web API holding the channel.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Bugsweep, createBugsweep } from '../../src/bugsweep.ts';
import { BugConversation, BugEvent, BugReport } from '../../src/db/entities/index.ts';
import { type Orm, openOrm } from '../../src/db/orm.ts';
import { createLogger } from '../../src/logger.ts';
import { useTestDatabase } from '../support/database.ts';
import { FAKE_BOT, type FakeSlackApi, startFakeSlackApi } from '../support/fake-slack-api.ts';
import { type FakeThreads, useFakeThreads } from '../support/fake-threads.ts';
import { sendEvent } from '../support/signed-requests.ts';
import { threadReply, topLevelMessage } from '../support/slack-events.ts';
import { until } from '../support/sweep-support.ts';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.ts';
import { TEST_CHANNEL, TEST_USERS, testConfig } from '../support/test-app.ts';
import { MINUTE, START, slackTs, TestClock } from '../support/test-clock.ts';

const db = useTestDatabase();
const clock = new TestClock(START);

let api: FakeSlackApi;
let threads: FakeThreads;
let proxy: TcpProxy;
let orm: Orm;
let secondOrm: Orm;
const running: Bugsweep[] = [];

async function startBot(through: Orm = orm, env: Record<string, string> = {}) {
  const bugsweep = await createBugsweep({
    config: testConfig(env, api.url),
    orm: through,
    logger: createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent', pretty: false }),
    clock: clock.now,
    identity: { botId: FAKE_BOT.botId, botUserId: FAKE_BOT.botUserId, workspaceUrl: FAKE_BOT.workspaceUrl },
    notifier: { channelIntervalMs: 0, tier3IntervalMs: 0, tier4IntervalMs: 0 },
    // The database is asked again only every 1.5 s after a failed store: a live report lands before the catch-up.
    catchUp: { probeMs: 1_500, retryMs: 20 },
    runSchedule: false,
  });
  const port = await bugsweep.start();
  running.push(bugsweep);
  return { bugsweep, baseUrl: `http://127.0.0.1:${port}` };
}

async function stopAll() {
  for (const bugsweep of running.splice(0)) await bugsweep.stop();
}

/** Every catch-up over and every notice owed sent. */
async function settle(bugsweep: Bugsweep) {
  await bugsweep.catchUp.idle();
  await bugsweep.ctx.notifier.drain();
}

beforeAll(async () => {
  api = await startFakeSlackApi();
  threads = useFakeThreads(api, TEST_CHANNEL);
  const target = new URL(db.url);
  proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port) });
  orm = await openOrm(proxy.proxiedUrl(db.url));
  secondOrm = await openOrm(db.url);
});

afterAll(async () => {
  await proxy?.restore();
  await stopAll();
  await orm?.close(true);
  await secondOrm?.close(true);
  await proxy?.close();
  await api?.close();
});

/** A message posted a minute after the last one (the clock moves with it), held by Slack. */
function say(message: (ts: string) => Record<string, unknown> & { ts: string }) {
  const posted = message(slackTs(clock.advance(MINUTE)));
  threads.post(posted);
  return posted;
}

const report = (user: string, text: string) => (ts: string) => topLevelMessage({ user, ts, text });
const reply = (threadTs: string, text: string) => (ts: string) =>
  threadReply({ user: TEST_USERS.reporter, ts, threadTs, text });

const em = () => db.orm.em.fork();
const bugsOf = (threadTs: string) => em().find(BugReport, { channelId: TEST_CHANNEL, threadTs });
const rowOf = (ts: string) => em().findOneOrFail(BugConversation, { channelId: TEST_CHANNEL, slackTs: ts });
const cardsFor = (threadTs: string) =>
  api.callsTo('chat.postMessage').filter((call) => call.body.thread_ts === threadTs && call.body.blocks);

/** Everything catching up could change: rows, their texts and marks, events, Slack posts and edits. */
async function snapshot() {
  const rows = await em().find(BugConversation, {}, { orderBy: { id: 'asc' } });
  const bugs = await em().find(BugReport, {}, { orderBy: { id: 'asc' } });
  return {
    bugs: bugs.map((bug) => [bug.id, bug.threadTs, bug.description, bug.status, bug.lastActivityAt.toISOString()]),
    rows: rows.map((row) => [row.slackTs, row.text, row.editedAt?.toISOString(), row.deletedAt?.toISOString()]),
    events: await em().count(BugEvent, {}),
    posts: api.callsTo('chat.postMessage').length,
    updates: api.callsTo('chat.update').length,
  };
}

describe('catching up on reports, edits and deletions the bot missed', () => {
  it('files a report posted while stopped and one posted while the database was cut, each once with its card', {
    timeout: 90_000,
  }, async () => {
    // Live: a report with two replies, all stored as their events arrive.
    let bot = await startBot();
    await settle(bot.bugsweep);
    const live = say(report(TEST_USERS.reporter, 'Search returns nothing for accented names'));
    const first = say(reply(live.ts, 'Happens for José and Zoë'));
    const second = say(reply(live.ts, 'And for Ångström too'));
    for (const message of [live, first, second]) await sendEvent(bot.baseUrl, message);
    await bot.bugsweep.slack.idle();
    await settle(bot.bugsweep);
    expect(await bugsOf(live.ts)).toHaveLength(1);
    await stopAll();

    // Stopped: a new report (with a reply in its thread), an edit of a reply and of the report, a deleted reply.
    const whileStopped = say(report(TEST_USERS.developer, 'Invoice PDF shows the wrong VAT rate for Austria'));
    const detail = say(reply(whileStopped.ts, 'It uses 19% instead of 20%'));
    threads.edit(first.ts, 'Happens for José, Zoë and Chloé', slackTs(clock.advance(MINUTE)));
    threads.edit(live.ts, 'Search returns nothing for names with accents', slackTs(clock.advance(MINUTE)));
    threads.remove(second.ts);

    bot = await startBot();
    await settle(bot.bugsweep);
    const [filed] = await bugsOf(whileStopped.ts);
    expect(await bugsOf(whileStopped.ts)).toHaveLength(1);
    expect(filed).toMatchObject({
      title: 'Invoice PDF shows the wrong VAT rate for Austria',
      reporterId: TEST_USERS.developer,
      status: 'open',
      catchUpDueAt: null,
    });
    expect(filed!.createdAt.getTime()).toBe(Math.floor(Number(whileStopped.ts)) * 1000);
    await until(async () => cardsFor(whileStopped.ts).length === 1, 'the missed report gets its card');
    expect((await em().findOneOrFail(BugReport, filed!.id)).cardTs).toBeTruthy();
    expect(await em().find(BugEvent, { bugId: filed!.id }, { fields: ['eventType'] })).toEqual([
      expect.objectContaining({ eventType: 'bug.created' }),
    ]);
    expect((await rowOf(detail.ts)).text).toBe('It uses 19% instead of 20%');
    // The edits and the deletion are reflected as their events would have left them.
    expect(await rowOf(first.ts)).toMatchObject({ text: 'Happens for José, Zoë and Chloé' });
    expect((await rowOf(first.ts)).editedAt).toBeInstanceOf(Date);
    expect((await bugsOf(live.ts))[0]!.description).toBe('Search returns nothing for names with accents');
    expect((await rowOf(live.ts)).text).toBe('Search returns nothing for names with accents');
    expect((await rowOf(second.ts)).deletedAt).toBeInstanceOf(Date);
    expect((await rowOf(first.ts)).deletedAt).toBeNull();

    // The database is cut: a report's event is answered 500 and not stored (Slack's retries would fail as well).
    await proxy.cut();
    const duringOutage = say(report(TEST_USERS.reporter, 'Password reset mail arrives twice'));
    const answer = await sendEvent(bot.baseUrl, duringOutage);
    expect(answer.status).toBeGreaterThanOrEqual(500);
    await bot.bugsweep.slack.idle();
    // Back: a live report stored before the catch-up gets to the channel does not hide the missed one.
    await proxy.restore();
    const afterOutage = say(report(TEST_USERS.reporter, 'Dark mode toggle forgets its setting'));
    await sendEvent(bot.baseUrl, afterOutage);
    await bot.bugsweep.slack.idle();
    expect(await bugsOf(afterOutage.ts)).toHaveLength(1);
    expect(await bugsOf(duringOutage.ts)).toHaveLength(0);
    await until(
      async () => (await bugsOf(duringOutage.ts)).length === 1,
      'the report missed during the outage is filed',
    );
    await settle(bot.bugsweep);
    expect(await bugsOf(duringOutage.ts)).toHaveLength(1);
    expect(await bugsOf(afterOutage.ts)).toHaveLength(1);
    await until(async () => cardsFor(duringOutage.ts).length === 1, 'its card is posted');

    // Reading everything back again (a restart, then another outage) changes nothing.
    const before = await snapshot();
    await stopAll();
    bot = await startBot();
    await settle(bot.bugsweep);
    bot.bugsweep.ctx.catchUp.storeFailed({ channelId: TEST_CHANNEL, ts: live.ts, threadTs: null });
    await settle(bot.bugsweep);
    expect(await snapshot()).toEqual(before);
    expect(cardsFor(whileStopped.ts)).toHaveLength(1);
    expect(cardsFor(duringOutage.ts)).toHaveLength(1);
    await stopAll();
  });

  it('two replicas recovering at once file a missed report once, with one card', { timeout: 60_000 }, async () => {
    const missed = say(report(TEST_USERS.reporter, 'Export to CSV drops the last row'));
    // Both read the channel's history before either files anything.
    const release = threads.holdHistory();
    const historyCalls = api.callsTo('conversations.history').length;
    const [one, two] = await Promise.all([startBot(orm), startBot(secondOrm)]);
    await until(
      async () => api.callsTo('conversations.history').length >= historyCalls + 2,
      'both replicas read the history',
    );
    release();
    await Promise.all([settle(one.bugsweep), settle(two.bugsweep)]);
    const bugs = await bugsOf(missed.ts);
    expect(bugs).toHaveLength(1);
    await until(async () => cardsFor(missed.ts).length >= 1, 'the card is posted');
    await Promise.all([settle(one.bugsweep), settle(two.bugsweep)]);
    expect(cardsFor(missed.ts)).toHaveLength(1);
    expect(await em().count(BugEvent, { bugId: bugs[0]!.id, eventType: 'bug.created' })).toBe(1);
    expect(await em().count(BugConversation, { channelId: TEST_CHANNEL, slackTs: missed.ts })).toBe(1);
    await stopAll();
  });

  it('waits as long as a 429 from conversations.history asks before reading again', { timeout: 60_000 }, async () => {
    const missed = say(report(TEST_USERS.reporter, 'Saved filters vanish after logout'));
    api.enqueue('conversations.history', { status: 429, body: { ok: false }, headers: { 'retry-after': '1' } });
    const reads = api.callsTo('conversations.history').length;
    const bot = await startBot();
    await settle(bot.bugsweep);
    expect(await bugsOf(missed.ts)).toHaveLength(1);
    const [refused, again] = api.callsTo('conversations.history').slice(reads);
    expect(again!.at - refused!.at).toBeGreaterThanOrEqual(1_000);
    await stopAll();
  });

  it('reads no other channel until a 429 from conversations.history has waited its Retry-After', {
    timeout: 60_000,
  }, async () => {
    const twoChannels = { BUG_CHANNELS: `${TEST_CHANNEL},CBUGSLIMIT` };
    const missed = say(report(TEST_USERS.reporter, 'Exports time out on Mondays'));
    api.enqueue('conversations.history', { status: 429, body: { ok: false }, headers: { 'retry-after': '1' } });
    const reads = api.callsTo('conversations.history').length;
    const bot = await startBot(orm, twoChannels);
    await settle(bot.bugsweep);
    expect(await bugsOf(missed.ts)).toHaveLength(1);
    const [refused, next] = api.callsTo('conversations.history').slice(reads);
    expect(next!.at - refused!.at).toBeGreaterThanOrEqual(1_000);
    await stopAll();
  });

  it('files a report missed while stopped although a live reply reaches its channel before the read does', {
    timeout: 60_000,
  }, async () => {
    const other = 'CBUGSTWO';
    const twoChannels = { BUG_CHANNELS: `${TEST_CHANNEL},${other}` };
    let bot = await startBot(orm, twoChannels);
    await settle(bot.bugsweep);
    const watched = say((ts) =>
      topLevelMessage({ user: TEST_USERS.reporter, ts, channel: other, text: 'Calendar invites lose their zone' }),
    );
    await sendEvent(bot.baseUrl, watched);
    await bot.bugsweep.slack.idle();
    await stopAll();

    const missed = say((ts) =>
      topLevelMessage({ user: TEST_USERS.developer, ts, channel: other, text: 'Receipts show the wrong date' }),
    );
    // Started again, the catch-up reads the first channel's history first; meanwhile a reply in the second channel
    // is stored as it arrives, newer than the missed report.
    const release = threads.holdHistory();
    bot = await startBot(orm, twoChannels);
    const live = say((ts) => threadReply({ user: TEST_USERS.reporter, ts, threadTs: watched.ts, channel: other }));
    expect((await sendEvent(bot.baseUrl, live)).status).toBe(200);
    release();
    await settle(bot.bugsweep);
    expect(await em().find(BugReport, { channelId: other, threadTs: missed.ts })).toHaveLength(1);
    expect(await em().count(BugConversation, { channelId: other, slackTs: live.ts })).toBe(1);
    await stopAll();
  });
});
