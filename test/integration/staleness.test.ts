// The staleness rule exists twice: as a pure function and as the sweep's indexed query.
// These timelines prove the two agree, including the cases that are easy to get wrong.
import { describe, expect, it } from 'vitest';
import { BugConversation, BugReport } from '../../src/db/entities/index.ts';
import { recomputeActivity } from '../../src/db/repositories/bug-activity.repository.ts';
import { findIdleBugs, idleBugsQuery } from '../../src/db/repositories/sweep.repository.ts';
import type { BugStatus } from '../../src/domain/bug-status.ts';
import type { SenderType } from '../../src/domain/sender-type.ts';
import { isStale, lastActivityAt, staleThreshold } from '../../src/domain/staleness.ts';
import { useTestDatabase } from '../support/database.ts';
import { addConversation, createBug } from '../support/factories.ts';
import { DAY } from '../support/test-clock.ts';

const db = useTestDatabase();
const WINDOW = 5 * DAY;
const NOW = new Date('2026-11-20T12:00:00Z');
const daysAgo = (days: number) => new Date(NOW.getTime() - days * DAY);

type Timeline = {
  name: string;
  status?: BugStatus;
  createdDaysAgo: number;
  messages: { senderType: SenderType; daysAgo: number; deleted?: boolean }[];
  stale: boolean;
};

const timelines: Timeline[] = [
  { name: 'no replies at all, created long ago', createdDaysAgo: 9, messages: [], stale: true },
  { name: 'no replies at all, created recently', createdDaysAgo: 2, messages: [], stale: false },
  {
    name: 'only bot replies',
    createdDaysAgo: 9,
    messages: [
      { senderType: 'bot', daysAgo: 1 },
      { senderType: 'bot', daysAgo: 0.5 },
    ],
    stale: true,
  },
  {
    name: 'a bystander reply does not keep it alive',
    createdDaysAgo: 9,
    messages: [{ senderType: 'other', daysAgo: 1 }],
    stale: true,
  },
  {
    name: 'a reporter reply after a developer one',
    createdDaysAgo: 20,
    messages: [
      { senderType: 'developer', daysAgo: 12 },
      { senderType: 'reporter', daysAgo: 3 },
    ],
    stale: false,
  },
  {
    name: 'a developer reply long ago, then only bystanders',
    createdDaysAgo: 20,
    messages: [
      { senderType: 'developer', daysAgo: 8 },
      { senderType: 'other', daysAgo: 1 },
      { senderType: 'bot', daysAgo: 1 },
    ],
    stale: true,
  },
  {
    name: 'a deleted recent reporter message no longer counts',
    createdDaysAgo: 20,
    messages: [
      { senderType: 'developer', daysAgo: 10 },
      { senderType: 'reporter', daysAgo: 1, deleted: true },
    ],
    stale: true,
  },
  { name: 'exactly at the window edge is not yet stale', createdDaysAgo: 5, messages: [], stale: false },
  { name: 'resolved bugs are never stale', status: 'resolved', createdDaysAgo: 30, messages: [], stale: false },
  { name: 'closed bugs are never stale', status: 'closed', createdDaysAgo: 30, messages: [], stale: false },
  { name: 'escalated bugs are never stale', status: 'escalated', createdDaysAgo: 30, messages: [], stale: false },
  {
    name: 'claimed bugs are swept too',
    status: 'in_progress',
    createdDaysAgo: 9,
    messages: [{ senderType: 'other', daysAgo: 1 }],
    stale: true,
  },
];

describe('staleness: pure rule and indexed query agree', () => {
  it.each(timelines)('$name', async (timeline) => {
    const em = db.orm.em.fork();
    const bug = await createBug(em, { status: timeline.status ?? 'open', createdAt: daysAgo(timeline.createdDaysAgo) });
    for (const message of timeline.messages) {
      await addConversation(em, bug, {
        senderType: message.senderType,
        at: daysAgo(message.daysAgo),
        deleted: message.deleted,
      });
    }
    await recomputeActivity(em, bug);

    const fresh = db.orm.em.fork();
    const stored = await fresh.findOneOrFail(BugReport, bug.id);
    const rows = await fresh.find(BugConversation, { bugId: bug.id });
    const expected = lastActivityAt(stored.createdAt, rows);

    expect(stored.lastActivityAt.toISOString()).toBe(expected.toISOString());
    expect(isStale(stored, NOW, WINDOW)).toBe(timeline.stale);
    const found = await findIdleBugs(fresh, staleThreshold(NOW, WINDOW), null, 1000);
    expect(found.some((b) => b.id === bug.id)).toBe(timeline.stale);
  });

  it('returns the oldest idle bugs first, within the limit', async () => {
    const em = db.orm.em.fork();
    const newest = await createBug(em, { createdAt: daysAgo(40), lastActivityAt: daysAgo(6) });
    const oldest = await createBug(em, { createdAt: daysAgo(40), lastActivityAt: daysAgo(39) });
    const middle = await createBug(em, { createdAt: daysAgo(40), lastActivityAt: daysAgo(20) });
    const found = await findIdleBugs(em, staleThreshold(NOW, WINDOW), null, 1000);
    const order = found.map((b) => b.id).filter((id) => [newest.id, oldest.id, middle.id].includes(id));
    expect(order).toEqual([oldest.id, middle.id, newest.id]);
    const limited = await findIdleBugs(em, staleThreshold(NOW, WINDOW), null, 1);
    expect(limited).toHaveLength(1);
  });

  it('plans the statement findIdleBugs runs as a range scan on the partial activity index, deep pages too', async () => {
    // A tiny table would be seq-scanned anyway; turn that off (in one transaction, so on one connection)
    // to see which index the planner would use for the sweep query at scale.
    const planOf = (query: ReturnType<typeof idleBugsQuery>) =>
      db.orm.em.fork().transactional(async (em) => {
        await em.execute('set local enable_seqscan = off');
        const plan = await em.execute<{ 'QUERY PLAN': string }[]>(`explain ${query.getFormattedQuery()}`);
        return plan.map((row) => row['QUERY PLAN']).join('\n');
      });
    const threshold = staleThreshold(NOW, WINDOW);
    const em = db.orm.em.fork();
    for (const [query, index] of [
      [idleBugsQuery(em, threshold, null, 50), 'bug_reports_stale_idx'],
      [idleBugsQuery(em, threshold, { at: daysAgo(30), id: 12 }, 50), 'bug_reports_stale_idx'],
      [idleBugsQuery(em, threshold, null, 50, 'reporter'), 'bug_reports_stale_reporter_idx'],
    ] as const) {
      const text = await planOf(query);
      expect(text).toContain(index);
      // The index order is the page order: nothing is sorted, nothing aggregated.
      expect(text).not.toMatch(/Sort|Aggregate|bug_conversations/);
    }
  });
});

describe('paging through idle bugs', () => {
  it('visits every bug once, also when many share the same activity time down to the microsecond', async () => {
    const em = db.orm.em.fork();
    const before = (await findIdleBugs(em, staleThreshold(NOW, WINDOW), null, 10_000)).length;
    // Written by SQL with microseconds, as a bulk import or a hand fix would.
    await em.execute(`
      insert into bug_reports (id, ref, title, status, reporter_id, channel_id, thread_ts, created_at, updated_at, last_activity_at)
      select 900000 + g, 'BUG-' || (900000 + g), 'imported', 'open', 'UREPORTER', 'CIMPORT', '1600000000.' || lpad(g::text, 6, '0'),
             timestamptz '2026-10-01 10:00:00.123456+00', timestamptz '2026-10-01 10:00:00.123456+00', timestamptz '2026-10-01 10:00:00.123456+00'
      from generate_series(1, 120) g`);
    const seen: number[] = [];
    let cursor: { at: Date; id: number } | null = null;
    for (let pages = 0; pages < 100; pages += 1) {
      const page = await findIdleBugs(db.orm.em.fork(), staleThreshold(NOW, WINDOW), cursor, 50);
      if (page.length === 0) break;
      seen.push(...page.map((bug) => bug.id));
      const last = page.at(-1)!;
      cursor = { at: last.lastActivityAt, id: last.id };
    }
    expect(seen).toHaveLength(before + 120);
    expect(new Set(seen).size).toBe(seen.length);
  });
});
