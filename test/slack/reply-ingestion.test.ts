// Thread replies as the hot path stores them (one statement: find and lock the bug, classify, insert once, restart
// the clocks), driven through signed Events API deliveries: the sender types and activity agree with the domain's
// definitions, concurrent and repeated deliveries leave exactly one row per reply, and a reply racing a sweep either
// waits for the sweep and sees what it did, or makes the sweep wait and see the reply.
import pg from 'pg';
import { beforeEach, describe, expect, it } from 'vitest';
import { BugConversation, BugReport } from '../../src/db/entities/index.ts';
import { classifySender } from '../../src/domain/sender-type.ts';
import { tsToDate } from '../../src/domain/slack-refs.ts';
import { turnAfterMessage, turnOf } from '../../src/domain/turn.ts';
import { useTestDatabase } from '../support/database.ts';
import { createBug } from '../support/factories.ts';
import { FAKE_BOT } from '../support/fake-slack-api.ts';
import { sendEvent } from '../support/signed-requests.ts';
import { botMessage, threadReply } from '../support/slack-events.ts';
import {
  adminSweep,
  eventTypesOf,
  NO_COUNTS,
  ran,
  reload,
  resetSweepWorld,
  waitForLockWaiters,
} from '../support/sweep-support.ts';
import { TEST_USERS, useTestApp } from '../support/test-app.ts';
import { DAY, plus, SECOND, START, slackTs } from '../support/test-clock.ts';

const db = useTestDatabase();
const t = useTestApp(db);
const { reporter, developer, bystander } = TEST_USERS;
const CLAIMANT = 'UCLAIMER';

beforeEach(() => resetSweepWorld(db, t));

async function send(event: Record<string, unknown>, options: { eventId?: string; retryNum?: number } = {}) {
  const res = await sendEvent(t.baseUrl, event, options);
  expect(res.status).toBe(200);
}

const rowsOf = (bug: { id: number }) =>
  db.orm.em.fork().find(BugConversation, { bugId: bug.id }, { orderBy: { messageAt: 'asc', id: 'asc' } });

describe('who said it, and what it does to the bug', () => {
  it('stores each sender as classifySender calls them and restarts only the clocks their messages restart', async () => {
    const claimedAt = plus(START, -3 * DAY);
    const bug = await createBug(db.orm.em.fork(), {
      status: 'in_progress',
      claimantId: CLAIMANT,
      claimedAt,
      createdAt: plus(START, -4 * DAY),
    });
    const developers = new Set(t.config.developerUsers);
    const senders = [
      { user: bystander, expectActivity: false },
      { user: reporter, expectActivity: true },
      { user: developer, expectActivity: true },
      { user: CLAIMANT, expectActivity: true },
      { user: 'UOTHERAPP', bot: 'other', expectActivity: false },
      { user: FAKE_BOT.botUserId, bot: 'own', expectActivity: false },
    ] as const;

    for (const [i, sender] of senders.entries()) {
      const before = await reload(db, bug);
      const ts = slackTs(plus(START, i * SECOND));
      await send(
        'bot' in sender
          ? botMessage({ ts, threadTs: bug.threadTs, own: sender.bot === 'own' })
          : threadReply({ user: sender.user, ts, threadTs: bug.threadTs }),
      );
      await t.idle();
      const row = (await rowsOf(bug)).at(-1)!;
      expect(row.slackTs).toBe(ts);
      const senderType = classifySender({
        userId: sender.user,
        isBot: 'bot' in sender,
        reporterId: bug.reporterId,
        claimantId: CLAIMANT,
        developerIds: developers,
      });
      expect(row.senderType).toBe(senderType);
      const after = await reload(db, bug);
      // The turn passes as turnAfterMessage says, and a new turn starts at the message.
      expect(after.turn).toBe(turnAfterMessage(before.turn, senderType));
      expect(after.turnSince?.toISOString()).toBe(
        after.turn === before.turn ? before.turnSince?.toISOString() : tsToDate(ts).toISOString(),
      );
      if (sender.expectActivity) {
        expect(after.lastActivityAt.toISOString()).toBe(tsToDate(ts).toISOString());
        expect(after.version).toBe(before.version + 1);
        expect(after.updatedAt.toISOString()).toBe(t.clock.now().toISOString());
      } else {
        expect(after.lastActivityAt.toISOString()).toBe(before.lastActivityAt.toISOString());
        expect(after.version).toBe(before.version);
      }
      // Only the claimant's own messages keep the claim alive.
      expect(after.claimantLastActivityAt?.toISOString()).toBe(
        sender.user === CLAIMANT ? tsToDate(ts).toISOString() : before.claimantLastActivityAt?.toISOString(),
      );
    }
    expect((await rowsOf(bug)).map((row) => row.senderType)).toEqual([
      'other',
      'reporter',
      'developer',
      'developer',
      'bot',
      'bot',
    ]);
  });

  it('calls a developer who reported the bug its reporter, and a reply to no bug stores nothing', async () => {
    const bug = await createBug(db.orm.em.fork(), { reporterId: developer });
    await send(threadReply({ user: developer, ts: slackTs(START), threadTs: bug.threadTs }));
    await send(threadReply({ user: reporter, ts: slackTs(START), threadTs: '1700000000.999999' }));
    await t.idle();
    expect((await rowsOf(bug)).map((row) => row.senderType)).toEqual(['reporter']);
    expect(await db.orm.em.fork().count(BugConversation, {})).toBe(1);
  });
});

describe('concurrent and repeated deliveries', () => {
  it('store exactly one row per reply, however the deliveries interleave, and every activity once', async () => {
    const bugs = [
      await createBug(db.orm.em.fork(), { createdAt: plus(START, -DAY) }),
      await createBug(db.orm.em.fork(), { createdAt: plus(START, -DAY) }),
      await createBug(db.orm.em.fork(), { createdAt: plus(START, -DAY) }),
    ];
    const users = [reporter, developer, bystander, TEST_USERS.developer2];
    // 60 replies, most to the first (hot) thread; each delivered twice at once, the second as Slack's retry.
    const replies = Array.from({ length: 60 }, (_, i) => {
      const bug = i % 3 === 0 ? bugs[1 + (i % 2)]! : bugs[0]!;
      const user = users[i % users.length]!;
      return { bug, user, event: threadReply({ user, ts: slackTs(plus(START, i * SECOND)), threadTs: bug.threadTs }) };
    });
    const versions = await Promise.all(bugs.map(async (bug) => (await reload(db, bug)).version));
    await Promise.all(
      replies.flatMap(({ event }, i) => [
        send(event, { eventId: `EvDUP${i}` }),
        send(event, { eventId: `EvDUP${i}`, retryNum: 1 }),
      ]),
    );
    await t.idle();

    for (const [b, bug] of bugs.entries()) {
      const mine = replies.filter((reply) => reply.bug === bug);
      const rows = await rowsOf(bug);
      expect(rows.map((row) => row.slackTs).sort()).toEqual(mine.map((reply) => reply.event.ts).sort());
      const counting = mine.filter((reply) => reply.user !== bystander);
      const stored = await reload(db, bug);
      const latest = counting
        .map((reply) => tsToDate(reply.event.ts).getTime())
        .sort((x, y) => x - y)
        .at(-1)!;
      expect(stored.lastActivityAt.getTime()).toBe(latest);
      // Whatever order the replies landed in, the turn is the one the thread's messages give.
      expect(stored.turn).toBe(turnOf(rows));
      // Each activity reply moved the bug on at most once (one delivered late changes no clock); no repeat did.
      expect(stored.version).toBeGreaterThan(versions[b]!);
      expect(stored.version).toBeLessThanOrEqual(versions[b]! + counting.length);
    }
  });
});

describe('a reply racing a sweep', () => {
  /** A second session standing in for a sweep item's transaction: it holds the bug's row lock until commit. */
  async function holdBugLock(bugId: number) {
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    await client.query('begin');
    await client.query('select id from bug_reports where id = $1 for update', [bugId]);
    return client;
  }

  it('waits for a sweep deciding about the bug, then sees what it did: a close it answers reopens the bug', async () => {
    const bug = await createBug(db.orm.em.fork(), { createdAt: plus(START, -10 * DAY) });
    const sweep = await holdBugLock(bug.id);
    let replying: Promise<void> | undefined;
    try {
      // Slack is answered once the reply is stored, so the answer waits for the sweep too.
      replying = send(
        threadReply({ user: reporter, ts: slackTs(START), threadTs: bug.threadTs, text: 'still broken' }),
      );
      await waitForLockWaiters(sweep, 1);
      expect(await rowsOf(bug)).toEqual([]);
      // What the sweep's close writes (sweep-items.ts autoClose), committed while the reply waits.
      await sweep.query(
        `update bug_reports set status = 'closed', close_reason = 'inactivity', closed_at = $2, updated_at = $2,
           version = version + 1 where id = $1`,
        [bug.id, START],
      );
      await sweep.query('commit');
    } finally {
      await sweep.end();
    }
    await replying;
    await t.settle();
    expect((await rowsOf(bug)).map((row) => [row.senderType, row.text])).toEqual([['reporter', 'still broken']]);
    expect(await reload(db, bug)).toMatchObject({ status: 'open', closeReason: null });
    expect(await eventTypesOf(db, bug)).toContain('bug.auto_reopened');
  });

  it('makes a sweep that comes after it wait, and the sweep sees the reply: no warning', async () => {
    const [replied, quiet] = [
      await createBug(db.orm.em.fork(), { createdAt: plus(START, -10 * DAY) }),
      await createBug(db.orm.em.fork(), { createdAt: plus(START, -10 * DAY) }),
    ];
    // Something holds the bug first, so the reply and then the sweep queue up on its row in that order.
    const first = await holdBugLock(replied.id);
    let sweeping: ReturnType<typeof adminSweep> | undefined;
    let replying: Promise<void> | undefined;
    try {
      replying = send(threadReply({ user: developer, ts: slackTs(START), threadTs: replied.threadTs }));
      await waitForLockWaiters(first, 1);
      sweeping = adminSweep(t.bugsweep.ctx);
      await waitForLockWaiters(first, 2);
      await first.query('commit');
    } finally {
      await first.end();
    }
    await replying;
    const result = ran(await sweeping!);
    expect(result.counts).toEqual({ ...NO_COUNTS, warned: 1 });
    expect(result.items.map((item) => item.bugId)).toEqual([quiet.id]);
    await t.settle();
    expect(await reload(db, replied)).toMatchObject({ warnedAt: null, status: 'open' });
    expect((await reload(db, replied)).lastActivityAt.toISOString()).toBe(START.toISOString());
    expect(await db.orm.em.fork().count(BugReport, { warnedAt: { $ne: null } })).toBe(1);
  });
});
