// The outbox notifier (outbox/outbox-notifier.ts) against a real PostgreSQL and Slack's Web API intercepted by
// nock (test/support/nock-slack-api.ts). It proves that a notice committed with a state change reaches Slack exactly once: after commit
// (never after a rollback), after a crash before the send, without a duplicate after a crash between the send and
// the bookkeeping, with backoff on 5xx, dropped connections (ECONNRESET) and timeouts, honouring 429 Retry-After per channel, giving up at once
// on permanent errors, pacing each channel FIFO without holding the others up, and with two replicas racing.
// It also covers the card (post once, then update in place) and message_update (edit what another notice posted).
// Time only moves through the injected TestClock; drain() never waits for real time.

import { WebClient } from '@slack/web-api';
import { beforeEach, describe, expect, it } from 'vitest';
import { createSlackClient, slackClientOptions } from '../../src/bugsweep.ts';
import { BugReport, SlackNotice } from '../../src/db/entities/index.ts';
import { type Orm, openOrm } from '../../src/db/orm.ts';
import { createLogger } from '../../src/logger.ts';
import { createOutboxNotifier, type NotifierOptions } from '../../src/outbox/outbox-notifier.ts';
import { MAX_NOTICE_ATTEMPTS, retryDelayMs } from '../../src/outbox/slack-failure.ts';
import { enqueueNotice, type NoticeRequest, requestCardRefresh } from '../../src/services/notices.ts';
import { useTestDatabase } from '../support/database.ts';
import { createBug } from '../support/factories.ts';
import type { RecordedCall } from '../support/fake-slack-api.ts';
import { useNockSlackApi } from '../support/nock-slack-api.ts';
import { testConfig } from '../support/test-app.ts';
import { START, TestClock } from '../support/test-clock.ts';

const db = useTestDatabase();
const THREAD = '1795900000.000100';
const logger = createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent', pretty: false });

const api = useNockSlackApi();
const config = testConfig({}, api.url);
let clock: TestClock;

beforeEach(async () => {
  clock = new TestClock(START);
  // Every test starts with an empty outbox and no channel pacing (the database is shared by the whole file).
  await sql('delete from slack_notices');
  await sql('delete from slack_channel_pacing');
  await sql('delete from slack_method_pacing');
});

// ---------------------------------------------------------------------------------------------------------------
// Helpers

function makeNotifier(options: NotifierOptions = {}, deps: { orm?: Orm; slack?: WebClient } = {}) {
  return createOutboxNotifier(
    { orm: deps.orm ?? db.orm, slack: deps.slack ?? createSlackClient(config), clock: clock.now, logger },
    { channelIntervalMs: 1000, tier3IntervalMs: 0, ...options },
  );
}

async function sql<T = Record<string, unknown>>(query: string, params: unknown[] = []): Promise<T[]> {
  return db.orm.em.fork().execute<T[]>(query, params);
}

/** Commits one notice (a thread message unless `extra` says otherwise) and returns its id. */
async function enqueue(channelId: string, text: string, extra: Partial<NoticeRequest> = {}): Promise<number> {
  return db.orm.em.fork().transactional(async (em) => {
    const notice = await enqueueNotice(em, {
      bugId: null,
      purpose: 'thread_notice',
      channelId,
      threadTs: THREAD,
      payload: { text },
      at: clock.now(),
      ...extra,
    });
    return notice.id;
  });
}

async function notice(id: number): Promise<SlackNotice> {
  return db.orm.em.fork().findOneOrFail(SlackNotice, id);
}

function noticeIdOf(call: RecordedCall): string | undefined {
  const metadata = call.body.metadata as { event_payload?: { notice_id?: string } } | undefined;
  return metadata?.event_payload?.notice_id;
}

/** The notice ids chat.postMessage was called with, in call order (failed calls included). */
function postedIds(): string[] {
  return api.callsTo('chat.postMessage').map((call) => noticeIdOf(call) ?? '?');
}

function postedTexts(channel?: string): string[] {
  return api
    .callsTo('chat.postMessage')
    .filter((call) => channel === undefined || call.body.channel === channel)
    .map((call) => String(call.body.text));
}

const at = (ms: number) => new Date(START.getTime() + ms).toISOString();

// ---------------------------------------------------------------------------------------------------------------

describe('outbox notifier: delivery', () => {
  it('sends a committed notice after commit, exactly once, and never one whose transaction rolled back', async () => {
    const notifier = makeNotifier();
    const id = await enqueue('CSENT', 'hello thread');
    await expect(
      db.orm.em.fork().transactional(async (em) => {
        await enqueueNotice(em, {
          bugId: null,
          purpose: 'thread_notice',
          channelId: 'CSENT',
          threadTs: THREAD,
          payload: { text: 'rolled back' },
          at: clock.now(),
        });
        throw new Error('the state change failed');
      }),
    ).rejects.toThrow('the state change failed');

    await notifier.drain();

    const posts = api.callsTo('chat.postMessage');
    expect(posts).toHaveLength(1);
    const post = posts[0]!;
    expect(post.body).toMatchObject({ channel: 'CSENT', thread_ts: THREAD, text: 'hello thread' });
    expect(post.body.metadata).toEqual({ event_type: 'bugsweep_notice', event_payload: { notice_id: String(id) } });
    const row = await notice(id);
    expect(row.status).toBe('sent');
    expect(row.resultTs).toMatch(/^\d+\.\d{6}$/);
    expect(row.sentAt?.toISOString()).toBe(START.toISOString());
    expect(row.attempts).toBe(1);
    expect(await sql(`select id from slack_notices where payload->>'text' = 'rolled back'`)).toHaveLength(0);

    clock.advance(60_000);
    await notifier.drain();
    expect(api.callsTo('chat.postMessage')).toHaveLength(1);
    expect(postedTexts()).not.toContain('rolled back');
  });

  it('a notice committed before a crash is sent once by the restarted process', async () => {
    // The process that committed the notice died before it could send it: no notifier existed for it.
    const id = await enqueue('CCRASH', 'committed, then the process died');
    expect(api.calls).toHaveLength(0);

    const restarted = makeNotifier();
    await restarted.drain();
    await restarted.drain();

    expect(postedIds()).toEqual([String(id)]);
    expect((await notice(id)).status).toBe('sent');
  });

  it('a notice that reached Slack before a crash is found in the thread and not posted again', async () => {
    const id = await enqueue('CDUP', 'posted, then the process died');
    // The crashed sender had leased it and posted it, but never recorded the result; its lease has run out.
    await sql(`update slack_notices set status = 'sending', attempts = 1, lease_until = ? where id = ?`, [
      new Date(START.getTime() - 1),
      id,
    ]);
    api.enqueue('conversations.replies', {
      status: 200,
      body: {
        ok: true,
        has_more: false,
        messages: [
          { ts: THREAD, text: 'the bug report' },
          {
            ts: '1800000000.000999',
            text: 'posted, then the process died',
            metadata: { event_type: 'bugsweep_notice', event_payload: { notice_id: String(id) } },
          },
        ],
      },
    });

    await makeNotifier().drain();

    expect(api.callsTo('chat.postMessage')).toHaveLength(0);
    const lookups = api.callsTo('conversations.replies');
    expect(lookups).toHaveLength(1);
    expect(lookups[0]!.body).toMatchObject({ channel: 'CDUP', ts: THREAD });
    const row = await notice(id);
    expect(row.status).toBe('sent');
    expect(row.resultTs).toBe('1800000000.000999');
  });

  it('a notice whose crashed attempt never reached Slack is posted once after the lease runs out', async () => {
    const id = await enqueue('CDUP', 'leased, then the process died before posting');
    await sql(`update slack_notices set status = 'sending', attempts = 1, lease_until = ? where id = ?`, [
      new Date(START.getTime() + 30_000),
      id,
    ]);
    // The thread holds other notices' posts, but not this one.
    api.on('conversations.replies', {
      status: 200,
      body: {
        ok: true,
        messages: [
          {
            ts: '1800000000.000500',
            metadata: { event_type: 'bugsweep_notice', event_payload: { notice_id: String(id + 1000) } },
          },
        ],
      },
    });
    const notifier = makeNotifier();

    await notifier.drain();
    expect(api.calls).toHaveLength(0); // the lease is still held by the dead sender

    clock.advance(30_000);
    await notifier.drain();
    await notifier.drain();

    expect(api.callsTo('conversations.replies')).toHaveLength(1);
    expect(postedIds()).toEqual([String(id)]);
    const row = await notice(id);
    expect(row.status).toBe('sent');
    expect(row.attempts).toBe(2);
  });
});

describe('outbox notifier: failures', () => {
  it('retries a 5xx with backoff: pending, attempt counted, due after retryDelayMs(1)', async () => {
    expect(retryDelayMs(1)).toBe(2_000);
    api.enqueue('chat.postMessage', { status: 500, body: { ok: false, error: 'internal_error' } });
    const id = await enqueue('CRETRY', 'through a 500');
    const notifier = makeNotifier();

    await notifier.drain();
    expect(postedIds()).toEqual([String(id)]);
    let row = await notice(id);
    expect(row.status).toBe('pending');
    expect(row.attempts).toBe(1);
    expect(row.lastError).toBe('http_500');
    expect(row.leaseUntil).toBeNull();
    expect(row.nextAttemptAt.toISOString()).toBe(at(2_000));

    await notifier.drain();
    clock.advance(1_999);
    await notifier.drain();
    expect(api.callsTo('chat.postMessage')).toHaveLength(1);

    clock.advance(1);
    await notifier.drain();
    await notifier.drain();
    expect(postedIds()).toEqual([String(id), String(id)]);
    row = await notice(id);
    expect(row.status).toBe('sent');
    expect(row.attempts).toBe(2);
    expect(row.lastError).toBeNull();
  });

  it('a notice given up on after repeated failures is counted failed for /metrics, as a refused one is', async () => {
    const outcomes: string[] = [];
    const notifier = createOutboxNotifier(
      {
        orm: db.orm,
        slack: createSlackClient(config),
        clock: clock.now,
        logger,
        metrics: { notice: (purpose, result) => void outcomes.push(`${purpose}:${result}`) },
      },
      { channelIntervalMs: 0, tier3IntervalMs: 0 },
    );
    const id = await enqueue('CGIVEUP', 'through its last 500');
    await sql('update slack_notices set attempts = ? where id = ?', [MAX_NOTICE_ATTEMPTS - 1, id]);
    api.enqueue('chat.postMessage', { status: 500, body: { ok: false, error: 'internal_error' } });
    await notifier.drain();
    expect((await notice(id)).status).toBe('failed');

    const refused = await enqueue('CGIVEUP', 'into an archived channel');
    api.enqueue('chat.postMessage', { status: 200, body: { ok: false, error: 'is_archived' } });
    await notifier.drain();
    expect((await notice(refused)).status).toBe('failed');
    expect(outcomes).toEqual(['thread_notice:failed', 'thread_notice:failed']);
  });

  it('retries dropped connections (ECONNRESET) with growing backoff, then sends once Slack is reachable', async () => {
    api.enqueue('chat.postMessage', { networkError: 'ECONNRESET' }, { networkError: 'ECONNRESET' });
    const offline = makeNotifier();
    const id = await enqueue('CNET', 'through a network outage');

    await offline.drain();
    let row = await notice(id);
    expect(row.status).toBe('pending');
    expect(row.attempts).toBe(1);
    expect(row.lastError).toMatch(/^network: /);
    expect(row.nextAttemptAt.toISOString()).toBe(at(2_000));

    clock.advance(2_000);
    await offline.drain();
    row = await notice(id);
    expect(row.status).toBe('pending');
    expect(row.attempts).toBe(2);
    expect(row.nextAttemptAt.toISOString()).toBe(at(2_000 + 4_000));
    // Both attempts reached nock and were dropped; from now on Slack answers again.
    expect(postedIds()).toEqual([String(id), String(id)]);
    api.reset();

    const online = makeNotifier();
    clock.advance(3_999);
    await online.drain();
    expect(api.calls).toHaveLength(0);
    clock.advance(1);
    await online.drain();
    await online.drain();
    expect(postedIds()).toEqual([String(id)]);
    row = await notice(id);
    expect(row.status).toBe('sent');
    expect(row.attempts).toBe(3);
  });

  it('a post that timed out is looked for in the thread: one that reached Slack is not posted again', async () => {
    // The client gives up after 200 ms while Slack, holding its answer back, still posts the message.
    const hurried = makeNotifier(
      {},
      { slack: new WebClient('xoxb-test-token', { ...slackClientOptions(config), timeout: 200 }) },
    );
    let answer = () => {};
    api.enqueue('chat.postMessage', () => new Promise<undefined>((resolve) => (answer = () => resolve(undefined))));
    const id = await enqueue('CSLOW', 'through a timeout');

    await hurried.drain();
    let row = await notice(id);
    expect(row.status).toBe('pending');
    expect(row.attempts).toBe(1);
    expect(row.lastError).toMatch(/^network: .*timeout/);
    expect(row.nextAttemptAt.toISOString()).toBe(at(2_000));
    answer();

    api.on('conversations.replies', {
      status: 200,
      body: {
        ok: true,
        messages: [
          {
            ts: '1800000000.000777',
            text: 'through a timeout',
            metadata: { event_type: 'bugsweep_notice', event_payload: { notice_id: String(id) } },
          },
        ],
      },
    });
    clock.advance(2_000);
    await hurried.drain();
    await hurried.drain();

    expect(postedIds()).toEqual([String(id)]);
    expect(api.callsTo('conversations.replies')).toHaveLength(1);
    row = await notice(id);
    expect(row.status).toBe('sent');
    expect(row.resultTs).toBe('1800000000.000777');
  });

  it('honours a 429 Retry-After in its channel only, without losing, doubling or counting the attempt', async () => {
    api.enqueue('chat.postMessage', (call) =>
      call.body.channel === 'CA'
        ? { status: 429, headers: { 'retry-after': '30' }, body: { ok: false, error: 'ratelimited' } }
        : undefined,
    );
    const a1 = await enqueue('CA', 'a1');
    const b1 = await enqueue('CB', 'b1');
    const a2 = await enqueue('CA', 'a2');
    const b2 = await enqueue('CB', 'b2');
    const notifier = makeNotifier({ channelIntervalMs: 0 });

    await notifier.drain();
    // CA's first post was refused with a 429; CB's notices all went out in the same drain.
    expect(postedTexts('CA')).toEqual(['a1']);
    expect(postedTexts('CB')).toEqual(['b1', 'b2']);
    let row = await notice(a1);
    expect(row.status).toBe('pending');
    expect(row.attempts).toBe(0);
    expect(row.lastError).toBe('ratelimited');
    expect(row.nextAttemptAt.toISOString()).toBe(at(30_000));
    expect((await notice(a2)).status).toBe('pending');
    expect((await notice(b1)).status).toBe('sent');
    expect((await notice(b2)).status).toBe('sent');

    clock.advance(29_999);
    await notifier.drain();
    expect(postedTexts('CA')).toEqual(['a1']);

    clock.advance(1);
    await notifier.drain();
    await notifier.drain();
    expect(postedTexts('CA')).toEqual(['a1', 'a1', 'a2']);
    expect(postedTexts('CB')).toEqual(['b1', 'b2']);
    row = await notice(a1);
    expect(row.status).toBe('sent');
    expect(row.attempts).toBe(1);
    expect((await notice(a2)).status).toBe('sent');
    // attempts went back to 0, so the resend did not need to look for an earlier post
    expect(api.callsTo('conversations.replies')).toHaveLength(0);
  });

  it.each(['channel_not_found', 'is_archived', 'not_in_channel'])(
    'a permanent error (%s) fails the notice without retry; others still go',
    async (error) => {
      api.on('chat.postMessage', (call) =>
        call.body.channel === 'CGONE' ? { status: 200, body: { ok: false, error } } : undefined,
      );
      const gone = await enqueue('CGONE', 'to a channel we cannot post in');
      const fine = await enqueue('CFINE', 'to a channel that works');
      const notifier = makeNotifier();

      await notifier.drain();
      const row = await notice(gone);
      expect(row.status).toBe('failed');
      expect(row.lastError).toBe(error);
      expect(row.attempts).toBe(1);
      expect(row.leaseUntil).toBeNull();
      expect((await notice(fine)).status).toBe('sent');

      clock.advance(24 * 3_600_000);
      await notifier.drain();
      expect(postedIds()).toEqual(expect.arrayContaining([String(gone), String(fine)]));
      expect(api.callsTo('chat.postMessage')).toHaveLength(2);
      expect((await notice(gone)).status).toBe('failed');
    },
  );
});

describe('outbox notifier: pacing and replicas', () => {
  it('paces each channel to one post per interval, FIFO by id, without holding up other channels', async () => {
    const busy = [await enqueue('CBUSY', 'busy 1'), await enqueue('CBUSY', 'busy 2')];
    const quiet = await enqueue('CQUIET', 'quiet 1');
    busy.push(await enqueue('CBUSY', 'busy 3'));
    const notifier = makeNotifier({ channelIntervalMs: 1000 });

    await notifier.drain();
    expect(postedTexts('CBUSY')).toEqual(['busy 1']);
    expect(postedTexts('CQUIET')).toEqual(['quiet 1']);
    expect((await notice(quiet)).status).toBe('sent');

    await notifier.drain();
    clock.advance(999);
    await notifier.drain();
    expect(postedTexts('CBUSY')).toEqual(['busy 1']);

    clock.advance(1);
    await notifier.drain();
    expect(postedTexts('CBUSY')).toEqual(['busy 1', 'busy 2']);

    clock.advance(1000);
    await notifier.drain();
    expect(postedTexts('CBUSY')).toEqual(['busy 1', 'busy 2', 'busy 3']);
    expect(postedIds().filter((id) => id !== String(quiet))).toEqual(busy.map(String));

    clock.advance(1000);
    await notifier.drain();
    expect(api.callsTo('chat.postMessage')).toHaveLength(4);
  });

  it('paced channels never keep a sendable channel waiting, even beyond `concurrency` channels', async () => {
    // Two channels with a backlog fill the notifier's `concurrency` (2) heads; a third channel is sendable now.
    await enqueue('CONE', 'one 1');
    await enqueue('CTWO', 'two 1');
    await enqueue('CONE', 'one 2');
    await enqueue('CTWO', 'two 2');
    const third = await enqueue('CTHREE', 'three 1');
    const notifier = makeNotifier({ channelIntervalMs: 1000, concurrency: 2 });

    await notifier.drain();

    expect(postedTexts('CONE')).toEqual(['one 1']);
    expect(postedTexts('CTWO')).toEqual(['two 1']);
    // Paced channels must not crowd CTHREE out of the batch.
    expect(postedTexts('CTHREE')).toEqual(['three 1']);
    expect((await notice(third)).status).toBe('sent');
  });

  it('two replicas draining at once post every notice exactly once', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 20; i += 1) ids.push(await enqueue(`CREP${i % 4}`, `replicated ${i}`));
    const ormA = await openOrm(db.url);
    const ormB = await openOrm(db.url);
    try {
      const replicaA = makeNotifier({ channelIntervalMs: 0 }, { orm: ormA });
      const replicaB = makeNotifier({ channelIntervalMs: 0 }, { orm: ormB });

      await Promise.all([replicaA.drain(), replicaB.drain(), replicaA.drain(), replicaB.drain()]);
      await Promise.all([replicaA.drain(), replicaB.drain()]);
    } finally {
      await ormA.close(true);
      await ormB.close(true);
    }

    const counts = new Map<string, number>();
    for (const id of postedIds()) counts.set(id, (counts.get(id) ?? 0) + 1);
    expect([...counts.keys()].sort()).toEqual(ids.map(String).sort());
    expect([...counts.values()].every((count) => count === 1)).toBe(true);
    const statuses = await sql<{ status: string; n: string }>(
      `select status, count(*) as n from slack_notices group by status`,
    );
    expect(statuses).toEqual([{ status: 'sent', n: '20' }]);
    // FIFO within each channel held even with two senders.
    for (let channel = 0; channel < 4; channel += 1) {
      const expected = ids.filter((_, i) => i % 4 === channel).map((_, k) => `replicated ${channel + 4 * k}`);
      expect(postedTexts(`CREP${channel}`)).toEqual(expected);
    }
  });
});

describe('outbox notifier: cards', () => {
  it('dedupes refreshes, posts the card once, then updates it in place; a deleted card is posted afresh', async () => {
    const bug = await createBug(db.orm.em.fork(), { channelId: 'CCARDS', title: 'Checkout button does nothing' });
    const notifier = makeNotifier({ channelIntervalMs: 0 });
    const cardTs = async () => (await db.orm.em.fork().findOneOrFail(BugReport, bug.id)).cardTs;

    await db.orm.em.fork().transactional(async (em) => {
      await requestCardRefresh(em, bug, clock.now());
      await requestCardRefresh(em, bug, clock.now());
    });
    await db.orm.em.fork().transactional((em) => requestCardRefresh(em, bug, clock.now()));
    expect(await sql(`select id from slack_notices where bug_id = ? and status = 'pending'`, [bug.id])).toHaveLength(1);

    await notifier.drain();
    const posts = api.callsTo('chat.postMessage');
    expect(posts).toHaveLength(1);
    expect(posts[0]!.body).toMatchObject({ channel: 'CCARDS', thread_ts: bug.threadTs });
    expect(String(posts[0]!.body.text)).toContain(bug.ref);
    const firstTs = await cardTs();
    expect(firstTs).toMatch(/^\d+\.\d{6}$/);
    const [firstCard] = await sql<{ status: string; result_ts: string }>(
      `select status, result_ts from slack_notices where bug_id = ?`,
      [bug.id],
    );
    expect(firstCard).toEqual({ status: 'sent', result_ts: firstTs });

    // A later change: the card is edited where it is, not posted again.
    await db.orm.em.fork().transactional((em) => requestCardRefresh(em, bug, clock.now()));
    await notifier.drain();
    expect(api.callsTo('chat.postMessage')).toHaveLength(1);
    const updates = api.callsTo('chat.update');
    expect(updates).toHaveLength(1);
    expect(updates[0]!.body).toMatchObject({ channel: 'CCARDS', ts: firstTs });
    expect(await cardTs()).toBe(firstTs);

    // Someone deleted the card: the next refresh posts a fresh one and remembers its ts.
    api.enqueue('chat.update', { status: 200, body: { ok: false, error: 'message_not_found' } });
    await db.orm.em.fork().transactional((em) => requestCardRefresh(em, bug, clock.now()));
    await notifier.drain();
    expect(api.callsTo('chat.update')).toHaveLength(2);
    const reposts = api.callsTo('chat.postMessage');
    expect(reposts).toHaveLength(2);
    expect(reposts[1]!.body).toMatchObject({ channel: 'CCARDS', thread_ts: bug.threadTs });
    const secondTs = await cardTs();
    expect(secondTs).not.toBe(firstTs);
    expect(secondTs).toMatch(/^\d+\.\d{6}$/);
    const pendingOrFailed = await sql(`select id from slack_notices where bug_id = ? and status <> 'sent'`, [bug.id]);
    expect(pendingOrFailed).toHaveLength(0);
  });

  it('a card refresh requested while the card is being sent survives the send being retried', async () => {
    const bug = await createBug(db.orm.em.fork(), { channelId: 'CCARDS2' });
    await db.orm.em.fork().transactional((em) => requestCardRefresh(em, bug, clock.now()));
    const [first] = await sql<{ id: string }>(`select id from slack_notices where bug_id = ?`, [bug.id]);
    const firstId = Number(first!.id);
    // A sender leased the first card notice and died; meanwhile the bug changed and asked for another refresh.
    await sql(`update slack_notices set status = 'sending', attempts = 1, lease_until = ? where id = ?`, [
      new Date(START.getTime() - 1),
      firstId,
    ]);
    await db.orm.em.fork().transactional((em) => requestCardRefresh(em, bug, clock.now()));
    expect(await sql(`select id from slack_notices where bug_id = ?`, [bug.id])).toHaveLength(2);
    api.enqueue('chat.postMessage', { status: 500, body: { ok: false, error: 'internal_error' } });
    const notifier = makeNotifier({ channelIntervalMs: 0 });

    await notifier.drain();
    // Back to 'pending' next to the refresh requested meanwhile: the two fold into one (the older row).
    expect((await notice(firstId)).status).toBe('pending');
    clock.advance(retryDelayMs(2));
    await notifier.drain();
    expect(api.callsTo('chat.postMessage')).toHaveLength(2);
    const open = await sql(`select id from slack_notices where bug_id = ? and status in ('pending', 'sending')`, [
      bug.id,
    ]);
    expect(open).toHaveLength(0);
    expect((await db.orm.em.fork().findOneOrFail(BugReport, bug.id)).cardTs).not.toBeNull();
  });
});

describe('outbox notifier: message_update', () => {
  it('edits the message its source notice posted', async () => {
    const notifier = makeNotifier({ channelIntervalMs: 0 });
    const source = await enqueue('CEDIT', 'warning: this bug closes in 2 days', { purpose: 'warning' });
    await notifier.drain();
    const sourceTs = (await notice(source)).resultTs;
    expect(sourceTs).toMatch(/^\d+\.\d{6}$/);

    const update = await enqueue('CEDIT', '~warning~ cleared by a reply', {
      purpose: 'message_update',
      payload: { text: '~warning~ cleared by a reply', sourceNoticeId: source },
    });
    await notifier.drain();

    expect(api.callsTo('chat.postMessage')).toHaveLength(1);
    const edits = api.callsTo('chat.update');
    expect(edits).toHaveLength(1);
    expect(edits[0]!.body).toMatchObject({ channel: 'CEDIT', ts: sourceTs, text: '~warning~ cleared by a reply' });
    const row = await notice(update);
    expect(row.status).toBe('sent');
    expect(row.resultTs).toBe(sourceTs);
  });

  it('waits, without a call or a counted attempt, while the source is still pending, then edits it', async () => {
    const notifier = makeNotifier({ channelIntervalMs: 0 });
    // The source is not due yet (e.g. backing off after a failure); the update behind it is.
    const source = await enqueue('CWAIT', 'reminder', { purpose: 'reminder', at: new Date(START.getTime() + 60_000) });
    const update = await enqueue('CWAIT', 'reminder (edited)', {
      purpose: 'message_update',
      payload: { text: 'reminder (edited)', sourceNoticeId: source },
    });

    await notifier.drain();
    expect(api.calls).toHaveLength(0);
    let row = await notice(update);
    expect(row.status).toBe('pending');
    expect(row.attempts).toBe(0);
    expect(row.nextAttemptAt.getTime()).toBeGreaterThan(START.getTime());

    clock.advance(60_000);
    await notifier.drain();
    await notifier.drain();
    const sourceTs = (await notice(source)).resultTs;
    expect(postedIds()).toEqual([String(source)]);
    const edits = api.callsTo('chat.update');
    expect(edits).toHaveLength(1);
    expect(edits[0]!.body).toMatchObject({ channel: 'CWAIT', ts: sourceTs, text: 'reminder (edited)' });
    row = await notice(update);
    expect(row.status).toBe('sent');
    expect(row.attempts).toBe(1);
  });

  it('waits, without a call or a counted attempt, while the source is being sent', async () => {
    const notifier = makeNotifier({ channelIntervalMs: 0 });
    const source = await enqueue('CSENDING', 'warning', { purpose: 'warning' });
    const update = await enqueue('CSENDING', 'warning (edited)', {
      purpose: 'message_update',
      payload: { text: 'warning (edited)', sourceNoticeId: source },
    });
    // Another replica holds the source's lease right now.
    await sql(`update slack_notices set status = 'sending', attempts = 1, lease_until = ? where id = ?`, [
      new Date(START.getTime() + 60_000),
      source,
    ]);

    await notifier.drain();
    expect(api.calls).toHaveLength(0);
    const row = await notice(update);
    expect(row.status).toBe('pending');
    expect(row.attempts).toBe(0);
  });

  it.each(['failed', 'cancelled'] as const)('is cancelled without a call when the source %s', async (status) => {
    const notifier = makeNotifier({ channelIntervalMs: 0 });
    const source = await enqueue('CGIVEUP', 'never visible', { purpose: 'warning' });
    await sql(`update slack_notices set status = ?, last_error = 'channel_not_found' where id = ?`, [status, source]);
    const update = await enqueue('CGIVEUP', 'edit of nothing', {
      purpose: 'message_update',
      payload: { text: 'edit of nothing', sourceNoticeId: source },
    });

    await notifier.drain();

    expect(api.calls).toHaveLength(0);
    const row = await notice(update);
    expect(row.status).toBe('cancelled');
    expect(row.lastError).toBe('the message to edit had not been posted');
    expect((await notice(source)).status).toBe(status);
  });
});
