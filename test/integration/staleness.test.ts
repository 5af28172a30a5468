// The staleness rule exists twice: as a pure function and as the sweep's indexed query.
// These timelines prove the two agree, including the cases that are easy to get wrong.
import { describe, expect, it } from 'vitest';
import { BugConversation, BugReport } from '../../src/db/entities/index.ts';
import { recomputeActivity } from '../../src/db/repositories/bug-activity.repository.ts';
import { findIdleBugs } from '../../src/db/repositories/sweep.repository.ts';
import type { BugStatus } from '../../src/domain/bug-status.ts';
import type { SenderType } from '../../src/domain/sender-type.ts';
import { isStale, lastActivityAt, staleThreshold } from '../../src/domain/staleness.ts';
import { useTestDatabase } from '../support/database.ts';
import { addConversation, createBug } from '../support/factories.ts';

const db = useTestDatabase();
const DAY = 86_400_000;
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
  { name: 'only bot replies', createdDaysAgo: 9, messages: [{ senderType: 'bot', daysAgo: 1 }, { senderType: 'bot', daysAgo: 0.5 }], stale: true },
  { name: 'a bystander reply does not keep it alive', createdDaysAgo: 9, messages: [{ senderType: 'other', daysAgo: 1 }], stale: true },
  {
    name: 'a reporter reply after a developer one',
    createdDaysAgo: 20,
    messages: [{ senderType: 'developer', daysAgo: 12 }, { senderType: 'reporter', daysAgo: 3 }],
    stale: false,
  },
  {
    name: 'a developer reply long ago, then only bystanders',
    createdDaysAgo: 20,
    messages: [{ senderType: 'developer', daysAgo: 8 }, { senderType: 'other', daysAgo: 1 }, { senderType: 'bot', daysAgo: 1 }],
    stale: true,
  },
  {
    name: 'a deleted recent reporter message no longer counts',
    createdDaysAgo: 20,
    messages: [{ senderType: 'developer', daysAgo: 10 }, { senderType: 'reporter', daysAgo: 1, deleted: true }],
    stale: true,
  },
  { name: 'exactly at the window edge is not yet stale', createdDaysAgo: 5, messages: [], stale: false },
  { name: 'resolved bugs are never stale', status: 'resolved', createdDaysAgo: 30, messages: [], stale: false },
  { name: 'closed bugs are never stale', status: 'closed', createdDaysAgo: 30, messages: [], stale: false },
  { name: 'escalated bugs are never stale', status: 'escalated', createdDaysAgo: 30, messages: [], stale: false },
  { name: 'claimed bugs are swept too', status: 'in_progress', createdDaysAgo: 9, messages: [{ senderType: 'other', daysAgo: 1 }], stale: true },
];

describe('staleness: pure rule and indexed query agree', () => {
  it.each(timelines)('$name', async (timeline) => {
    const em = db.orm.em.fork();
    const bug = await createBug(em, { status: timeline.status ?? 'open', createdAt: daysAgo(timeline.createdDaysAgo) });
    for (const message of timeline.messages) {
      await addConversation(em, bug, { senderType: message.senderType, at: daysAgo(message.daysAgo), deleted: message.deleted });
    }
    await recomputeActivity(em, bug.id);

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

  it('plans the sweep query as a range scan on the partial activity index', async () => {
    // A tiny table would be seq-scanned anyway; turn that off (in one transaction, so on one connection)
    // to see which index the planner would use for the sweep query at scale.
    const plan = await db.orm.em.fork().transactional(async (em) => {
      await em.execute('set local enable_seqscan = off');
      return em.execute<{ 'QUERY PLAN': string }[]>(
        `explain select * from bug_reports where status in ('open', 'in_progress') and last_activity_at < ? order by last_activity_at, id limit 50`,
        [NOW],
      );
    });
    const text = plan.map((row) => row['QUERY PLAN']).join('\n');
    expect(text).toContain('bug_reports_stale_idx');
    expect(text).not.toMatch(/Aggregate|bug_conversations/);
  });
});
