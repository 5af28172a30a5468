// The outbox at Slack's real limits (issues 12 and 17), against a real PostgreSQL and the Web API intercepted by
// nock: what a person waits for goes before the sweep's bulk in its channel while every thread stays in order;
// card refreshes and edits (chat.update) spend the workspace's Tier 3 budget in a lane of their own, so a refused
// update never holds a channel's posts; that budget and every Retry-After are shared by replicas through
// PostgreSQL; many refreshes of one card are one call. Time only moves through the injected TestClock.
import { beforeEach, describe, expect, it } from 'vitest';
import { createSlackClient } from '../../src/bugsweep.ts';
import type { BugReport } from '../../src/db/entities/index.ts';
import { type Orm, openOrm } from '../../src/db/orm.ts';
import { createLogger } from '../../src/logger.ts';
import { createOutboxNotifier, type NotifierOptions } from '../../src/outbox/outbox-notifier.ts';
import { enqueueInThread, requestCardRefresh } from '../../src/services/notices.ts';
import { useTestDatabase } from '../support/database.ts';
import { createBug } from '../support/factories.ts';
import { useNockSlackApi } from '../support/nock-slack-api.ts';
import { testConfig } from '../support/test-app.ts';
import { START, TestClock } from '../support/test-clock.ts';

const db = useTestDatabase();
const logger = createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent', pretty: false });

const api = useNockSlackApi();
const config = testConfig({}, api.url);
let clock: TestClock;

beforeEach(async () => {
  clock = new TestClock(START);
  await db.orm.em
    .fork()
    .execute('truncate slack_notices, slack_channel_pacing, slack_method_pacing, bug_reports cascade');
});

function makeNotifier(options: NotifierOptions = {}, orm: Orm = db.orm) {
  return createOutboxNotifier(
    { orm, slack: createSlackClient(config), clock: clock.now, logger },
    { channelIntervalMs: 1000, tier3IntervalMs: 1250, ...options },
  );
}

async function bugWithCard(channelId: string, cardTs: string | null = '1795900000.000001'): Promise<BugReport> {
  const em = db.orm.em.fork();
  const bug = await createBug(em, { channelId });
  if (cardTs) {
    bug.cardTs = cardTs;
    await em.flush();
  }
  return bug;
}

async function say(bug: BugReport, text: string, priority: 'interactive' | 'bulk'): Promise<void> {
  await db.orm.em
    .fork()
    .transactional((em) => enqueueInThread(em, bug, 'thread_notice', { text }, clock.now(), priority));
}

async function refreshCard(bug: BugReport, priority: 'interactive' | 'bulk'): Promise<void> {
  await db.orm.em.fork().transactional((em) => requestCardRefresh(em, bug, clock.now(), priority));
}

const postedTexts = () => api.callsTo('chat.postMessage').map((call) => String(call.body.text));

/** Drains, then moves the clock a second: one post per channel per step at the default pacing. */
async function stepSeconds(notifier: ReturnType<typeof makeNotifier>, seconds: number): Promise<void> {
  for (let i = 0; i < seconds; i += 1) {
    await notifier.drain();
    clock.advance(1000);
  }
  await notifier.drain();
}

describe('outbox priorities', () => {
  it("a new bug's card goes before a bulk sweep backlog queued earlier in the same channel", async () => {
    const notifier = makeNotifier();
    const swept = await Promise.all([1, 2, 3, 4, 5].map(() => bugWithCard('CBUSY')));
    for (const bug of swept) await say(bug, `closed ${bug.ref}`, 'bulk');
    const fresh = await bugWithCard('CBUSY', null);
    await refreshCard(fresh, 'interactive');

    await notifier.drain();
    // One post per second in a channel: the first one out is the fresh report's card.
    expect(api.callsTo('chat.postMessage')).toHaveLength(1);
    expect(postedTexts()[0]).toContain(fresh.ref);

    await stepSeconds(notifier, 5);
    expect(postedTexts().slice(1)).toEqual(swept.map((bug) => `closed ${bug.ref}`));
  });

  it('keeps a thread in order whatever the priority: a later urgent notice waits for the earlier bulk one', async () => {
    const notifier = makeNotifier();
    const bug = await bugWithCard('CORDER');
    const other = await bugWithCard('CORDER');
    await say(bug, 'closed for inactivity', 'bulk');
    await say(other, 'other thread, bulk', 'bulk');
    await say(bug, 'reopened by the reporter', 'interactive');

    await stepSeconds(notifier, 3);
    expect(postedTexts()).toEqual(['closed for inactivity', 'reopened by the reporter', 'other thread, bulk']);
  });
});

describe('the chat.update lane (Tier 3, workspace-wide)', () => {
  it('a refused card update (429) does not hold the channel: its posts go on, the update waits out Retry-After', async () => {
    const notifier = makeNotifier();
    const bug = await bugWithCard('CLIMIT');
    await refreshCard(bug, 'bulk');
    await say(bug, 'first', 'bulk');
    await say(bug, 'second', 'bulk');
    api.enqueue('chat.update', {
      status: 429,
      body: { ok: false, error: 'ratelimited' },
      headers: { 'retry-after': '30' },
    });

    await stepSeconds(notifier, 2);
    expect(postedTexts()).toEqual(['first', 'second']);
    expect(api.callsTo('chat.update')).toHaveLength(1);
    const [pacing] = await db.orm.em
      .fork()
      .execute<{ next_call_at: string }[]>(`select next_call_at from slack_method_pacing where method = 'chat.update'`);
    expect(new Date(pacing!.next_call_at).getTime()).toBe(START.getTime() + 30_000);

    clock.set(new Date(START.getTime() + 29_000));
    await notifier.drain();
    expect(api.callsTo('chat.update')).toHaveLength(1);
    clock.set(new Date(START.getTime() + 30_000));
    await notifier.drain();
    expect(api.callsTo('chat.update')).toHaveLength(2);
  });

  it('spends one Tier 3 budget across replicas: two notifiers on one database make one update per interval', async () => {
    const otherOrm = await openOrm(db.url);
    try {
      const a = makeNotifier({}, db.orm);
      const b = makeNotifier({}, otherOrm);
      const bugs = await Promise.all(['CA', 'CB', 'CC', 'CD'].map((channel) => bugWithCard(channel)));
      for (const bug of bugs) await refreshCard(bug, 'bulk');

      await Promise.all([a.drain(), b.drain()]);
      expect(api.callsTo('chat.update')).toHaveLength(1);
      clock.advance(1249);
      await Promise.all([a.drain(), b.drain()]);
      expect(api.callsTo('chat.update')).toHaveLength(1);
      clock.advance(1);
      await Promise.all([a.drain(), b.drain()]);
      expect(api.callsTo('chat.update')).toHaveLength(2);
      for (let i = 0; i < 2; i += 1) {
        clock.advance(1250);
        await Promise.all([a.drain(), b.drain()]);
      }
      expect(api.callsTo('chat.update').map((call) => call.body.channel)).toEqual(['CA', 'CB', 'CC', 'CD']);
    } finally {
      await otherOrm.close(true);
    }
  });

  it("honours a 429's Retry-After on chat.update on every replica", async () => {
    const otherOrm = await openOrm(db.url);
    try {
      const a = makeNotifier({}, db.orm);
      const b = makeNotifier({}, otherOrm);
      const first = await bugWithCard('CRA');
      const second = await bugWithCard('CRB');
      await refreshCard(first, 'bulk');
      api.enqueue('chat.update', {
        status: 429,
        body: { ok: false, error: 'ratelimited' },
        headers: { 'retry-after': '10' },
      });
      await a.drain();
      expect(api.callsTo('chat.update')).toHaveLength(1);

      await refreshCard(second, 'interactive');
      clock.advance(9_000);
      await b.drain();
      expect(api.callsTo('chat.update')).toHaveLength(1);
      clock.advance(1_000);
      await b.drain();
      // The person's refresh goes before the refused bulk one.
      expect(api.callsTo('chat.update').map((call) => call.body.channel)).toEqual(['CRA', 'CRB']);
    } finally {
      await otherOrm.close(true);
    }
  });

  it('coalesces many refreshes of one card into one call that shows its state at send time', async () => {
    const notifier = makeNotifier();
    const bug = await bugWithCard('CCOAL');
    for (let i = 0; i < 6; i += 1) await refreshCard(bug, i === 5 ? 'interactive' : 'bulk');
    const [{ n }] = (await db.orm.em
      .fork()
      .execute<{ n: string }[]>(`select count(*) as n from slack_notices where status = 'pending'`)) as [{ n: string }];
    expect(Number(n)).toBe(1);

    await notifier.drain();
    const updates = api.callsTo('chat.update');
    expect(updates).toHaveLength(1);
    expect(String(updates[0]!.body.text)).toContain(bug.ref);
  });

  it('card refreshes a person caused go before the ones the sweep caused', async () => {
    const notifier = makeNotifier({ tier3IntervalMs: 0 });
    const swept = await Promise.all(['CS1', 'CS2', 'CS3'].map((channel) => bugWithCard(channel)));
    for (const bug of swept) await refreshCard(bug, 'bulk');
    const claimed = await bugWithCard('CS4');
    await refreshCard(claimed, 'interactive');

    await notifier.drain();
    expect(api.callsTo('chat.update').map((call) => call.body.channel)).toEqual(['CS4', 'CS1', 'CS2', 'CS3']);
  });
});

describe('Tier 4 budgets outside the outbox (views.publish)', () => {
  it('lets a short burst through, then makes every replica wait its turn', async () => {
    const otherOrm = await openOrm(db.url);
    try {
      const a = makeNotifier({ tier4IntervalMs: 650 }, db.orm);
      const b = makeNotifier({ tier4IntervalMs: 650 }, otherOrm);
      const burst = [];
      for (let i = 0; i < 5; i += 1) burst.push(await (i % 2 ? a : b).awaitBudget('views.publish', 0));
      expect(burst).toEqual([true, true, true, true, true]);
      expect(await a.awaitBudget('views.publish', 0)).toBe(false);
      expect(await b.awaitBudget('views.publish', 0)).toBe(false);
      clock.advance(650);
      expect(await b.awaitBudget('views.publish', 0)).toBe(true);
      expect(await a.awaitBudget('views.publish', 0)).toBe(false);
    } finally {
      await otherOrm.close(true);
    }
  });
});
