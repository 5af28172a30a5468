// Replies are stored in batches (the replies that arrive while a statement is in flight go together in the next,
// whatever their threads): whatever the batching, each bug's rows, clocks and turn are what storing its replies one
// after another in Slack timestamp order gives, a message twice in a batch is stored once, a reply that finds
// something pending stops its bug's part of the batch there, and one reply the database refuses fails only itself.
import { describe, expect, it, vi } from 'vitest';
import { BugConversation, BugReport } from '../../src/db/entities/index.ts';
import {
  type IncomingReply,
  type StoredReply,
  storeReplyWithActivity,
} from '../../src/db/repositories/conversation.repository.ts';
import { countsAsActivity } from '../../src/domain/bug-activity.ts';
import { classifySender } from '../../src/domain/sender-type.ts';
import { INITIAL_TURN, type Turn, turnAfterMessage } from '../../src/domain/turn.ts';
import { useTestDatabase } from '../support/database.ts';
import { createBug } from '../support/factories.ts';
import { MINUTE, plus, START, slackTs } from '../support/test-clock.ts';

const db = useTestDatabase();

const REPORTER = 'UREPORTER';
const DEVELOPER = 'UDEV';
const CLAIMANT = 'UCLAIMANT';
const BYSTANDER = 'UBYSTANDER';

type Author = { userId: string | null; isBot?: boolean; isDeveloper?: boolean };
const AUTHORS: Author[] = [
  { userId: REPORTER },
  { userId: DEVELOPER, isDeveloper: true },
  { userId: BYSTANDER },
  { userId: CLAIMANT },
  { userId: 'UOTHERBOT', isBot: true },
];

function reply(bug: BugReport, at: Date, author: Author, text = 'a reply'): IncomingReply {
  return {
    channelId: bug.channelId,
    threadTs: bug.threadTs,
    slackTs: slackTs(at),
    userId: author.userId,
    senderId: author.userId,
    isBot: author.isBot ?? false,
    isDeveloper: author.isDeveloper ?? false,
    developersUnknown: false,
    text,
    messageAt: at,
    metadata: {},
    now: plus(START, 10 * MINUTE),
    cardShowsTurn: false,
  };
}

/** Every reply sent at once, none awaited before the next: the first goes alone, the rest wait and go together. */
function sendAtOnce(replies: IncomingReply[]): Promise<PromiseSettledResult<StoredReply>[]> {
  return Promise.allSettled(replies.map((r) => storeReplyWithActivity(db.orm.em.fork(), r)));
}

const rowsOf = (bug: BugReport) =>
  db.orm.em.fork().find(BugConversation, { bugId: bug.id }, { orderBy: { messageAt: 'asc', id: 'asc' } });
const reload = (bug: BugReport) => db.orm.em.fork().findOneOrFail(BugReport, bug.id);
const kindsOf = (settled: PromiseSettledResult<StoredReply>[]) =>
  settled.map((s) => (s.status === 'fulfilled' ? s.value.kind : 'rejected'));

/** What storing `replies` (sorted by timestamp) one after another gives: each one's sender type, and the bug after. */
function sequentially(before: BugReport, replies: IncomingReply[]) {
  let turn: Turn = INITIAL_TURN;
  let turnSince = before.turnSince;
  let lastActivityAt = before.lastActivityAt;
  let claimantLastActivityAt = before.claimantLastActivityAt;
  const types = replies.map((r) => {
    const type = classifySender({
      userId: r.userId ?? undefined,
      isBot: r.isBot,
      reporterId: before.reporterId,
      claimantId: before.claimantId ?? null,
      developerIds: new Set([DEVELOPER]),
    });
    if (countsAsActivity(type)) {
      const next = turnAfterMessage(turn, type);
      if (next !== turn) turnSince = r.messageAt;
      turn = next;
      lastActivityAt = r.messageAt;
      if (r.userId === before.claimantId) claimantLastActivityAt = r.messageAt;
    }
    return type;
  });
  return { types, bug: { turn, turnSince, lastActivityAt, claimantLastActivityAt } };
}

describe('replies to one busy thread', () => {
  it('are stored as if one after another in timestamp order, in fewer statements than replies', async () => {
    const bug = await createBug(db.orm.em.fork(), {
      status: 'in_progress',
      reporterId: REPORTER,
      claimantId: CLAIMANT,
      claimedAt: START,
      createdAt: START,
    });
    const before = await reload(bug);
    // 56 replies a few seconds apart (the newest is the reporter's), the first alone and then the rest newest first
    // (Slack does not promise order): stored in arrival order, the turn would end with the developer's.
    const replies = Array.from({ length: 56 }, (_, k) => reply(bug, plus(START, (k + 1) * 5_000), AUTHORS[k % 5]!));
    const [oldest, ...rest] = replies;
    const settled = await sendAtOnce([oldest!, ...rest.reverse()]);
    expect(kindsOf(settled)).toEqual(replies.map(() => 'stored'));

    const expected = sequentially(before, replies);
    const rows = await rowsOf(bug);
    expect(rows.map((row) => [row.slackTs, row.senderType])).toEqual(
      replies.map((r, k) => [r.slackTs, expected.types[k]]),
    );
    const after = await reload(bug);
    expect(after).toMatchObject(expected.bug);
    // Batched: the version goes up once per statement that restarted the clocks, not once per activity reply.
    const activityReplies = expected.types.filter(countsAsActivity).length;
    expect(after.version - before.version).toBeGreaterThan(0);
    expect(after.version - before.version).toBeLessThan(activityReplies);
  });

  it('store a message delivered twice in one batch once, and answer the second copy as a duplicate', async () => {
    const bug = await createBug(db.orm.em.fork(), { reporterId: REPORTER, createdAt: START });
    const first = reply(bug, plus(START, MINUTE), { userId: BYSTANDER });
    const twice = reply(bug, plus(START, 2 * MINUTE), { userId: REPORTER });
    const settled = await sendAtOnce([first, twice, { ...twice }]);
    expect(kindsOf(settled)).toEqual(['stored', 'stored', 'duplicate']);
    expect((await rowsOf(bug)).map((row) => row.slackTs)).toEqual([first.slackTs, twice.slackTs]);
    // Delivered again later: still one row.
    expect(kindsOf(await sendAtOnce([{ ...twice }]))).toEqual(['duplicate']);
    expect(await rowsOf(bug)).toHaveLength(2);
  });

  it('stop at the first reply that finds something pending: it and every later one take the full path', async () => {
    const warnedAt = plus(START, MINUTE);
    const bug = await createBug(db.orm.em.fork(), { reporterId: REPORTER, createdAt: START });
    await db.orm.em.fork().nativeUpdate(BugReport, { id: bug.id }, { warnedAt });
    const opener = reply(bug, plus(START, 2 * MINUTE), { userId: BYSTANDER });
    const batch = [
      reply(bug, plus(START, 3 * MINUTE), { userId: BYSTANDER }),
      reply(bug, plus(START, 4 * MINUTE), { userId: REPORTER }),
      reply(bug, plus(START, 5 * MINUTE), { userId: BYSTANDER }),
    ];
    const settled = await sendAtOnce([opener, ...batch]);
    expect(kindsOf(settled)).toEqual(['stored', 'stored', 'needs_full_path', 'needs_full_path']);
    expect((await rowsOf(bug)).map((row) => row.slackTs)).toEqual([opener.slackTs, batch[0]!.slackTs]);
    // Nothing of the cut replies was applied: the clocks are where the report left them.
    expect(await reload(bug)).toMatchObject({ lastActivityAt: START, warnedAt });
  });

  it('fail only the reply the database refuses; the others of its batch are stored', async () => {
    const bug = await createBug(db.orm.em.fork(), { reporterId: REPORTER, createdAt: START });
    const good = [1, 2, 4].map((m) => reply(bug, plus(START, m * MINUTE), { userId: DEVELOPER, isDeveloper: true }));
    // PostgreSQL text cannot hold a NUL character.
    const refused = reply(bug, plus(START, 3 * MINUTE), { userId: REPORTER }, 'broken \u0000 text');
    const settled = await sendAtOnce([good[0]!, good[1]!, refused, good[2]!]);
    expect(kindsOf(settled)).toEqual(['stored', 'stored', 'rejected', 'stored']);
    expect((await rowsOf(bug)).map((row) => row.slackTs)).toEqual(good.map((r) => r.slackTs));
    expect((await reload(bug)).lastActivityAt).toEqual(good[2]!.messageAt);
  });

  it('answer no_bug for a thread that is no bug, and store nothing', async () => {
    const bug = await createBug(db.orm.em.fork(), { reporterId: REPORTER, createdAt: START });
    const stray = { ...reply(bug, plus(START, MINUTE), { userId: REPORTER }), threadTs: '1700000000.999999' };
    expect(kindsOf(await sendAtOnce([stray, { ...stray, slackTs: slackTs(plus(START, 2 * MINUTE)) }]))).toEqual([
      'no_bug',
      'no_bug',
    ]);
    expect(await rowsOf(bug)).toEqual([]);
  });
});

describe('replies to many threads at once', () => {
  it('go together in one statement, each bug moved on as its own replies one after another give', async () => {
    const bugs = [];
    for (let k = 0; k < 6; k += 1) {
      bugs.push(
        await createBug(db.orm.em.fork(), {
          status: k % 2 === 0 ? 'in_progress' : 'open',
          reporterId: `${REPORTER}${k}`,
          ...(k % 2 === 0 ? { claimantId: CLAIMANT, claimedAt: START } : {}),
          createdAt: START,
          channelId: k < 3 ? 'CBUGS1' : 'CBUGS2',
        }),
      );
    }
    const befores = await Promise.all(bugs.map(reload));
    // Each bug gets its reporter, a developer, a bystander and the claimant in turn, the bugs interleaved.
    const authorsOf = (k: number): Author[] => [
      { userId: `${REPORTER}${k}` },
      { userId: DEVELOPER, isDeveloper: true },
      { userId: BYSTANDER },
      { userId: CLAIMANT },
    ];
    const perBug = bugs.map((bug, k) =>
      authorsOf(k).map((author, n) => reply(bug, plus(START, (n * bugs.length + k + 1) * 5_000), author)),
    );
    const pool = await db.orm.em.getConnection().getNativeClient();
    const query = vi.spyOn(pool, 'query');
    try {
      // The newest first: arrival order is not timestamp order.
      const all = perBug.flat().reverse();
      const settled = await sendAtOnce(all);
      expect(kindsOf(settled)).toEqual(all.map(() => 'stored'));
      // The first reply goes alone; every other one, whatever its thread, waits for it and goes in the next.
      expect(query).toHaveBeenCalledTimes(2);
    } finally {
      query.mockRestore();
    }
    for (const [k, bug] of bugs.entries()) {
      const replies = perBug[k]!;
      const expected = sequentially(befores[k]!, replies);
      expect((await rowsOf(bug)).map((row) => [row.slackTs, row.senderType])).toEqual(
        replies.map((r, n) => [r.slackTs, expected.types[n]]),
      );
      expect(await reload(bug)).toMatchObject(expected.bug);
    }
  });

  it('cut only the bug whose reply finds something pending; the other bugs of the statement are stored', async () => {
    const warnedAt = plus(START, MINUTE);
    const warned = await createBug(db.orm.em.fork(), { reporterId: REPORTER, createdAt: START });
    await db.orm.em.fork().nativeUpdate(BugReport, { id: warned.id }, { warnedAt });
    const quiet = await createBug(db.orm.em.fork(), { reporterId: REPORTER, createdAt: START });
    const opener = reply(quiet, plus(START, 2 * MINUTE), { userId: BYSTANDER });
    const settled = await sendAtOnce([
      opener,
      reply(warned, plus(START, 3 * MINUTE), { userId: REPORTER }),
      reply(quiet, plus(START, 4 * MINUTE), { userId: REPORTER }),
      reply(warned, plus(START, 5 * MINUTE), { userId: BYSTANDER }),
    ]);
    expect(kindsOf(settled)).toEqual(['stored', 'needs_full_path', 'stored', 'needs_full_path']);
    expect(await rowsOf(warned)).toEqual([]);
    expect(await reload(warned)).toMatchObject({ lastActivityAt: START, warnedAt });
    expect((await rowsOf(quiet)).map((row) => row.senderType)).toEqual(['other', 'reporter']);
    expect((await reload(quiet)).lastActivityAt).toEqual(plus(START, 4 * MINUTE));
  });
});
