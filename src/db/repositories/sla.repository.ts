// The SLA's reads: bugs whose breach is due, from the partial index bug_reports_sla_due_idx in (due time, id)
// keyset pages, and the breached bugs for App Home and the alerts.
import type { EntityManager } from '@mikro-orm/postgresql';
import { SLA_STATUSES } from '../../domain/bug-status.ts';
import { NO_SLACK_CHANNEL } from '../../domain/legacy-report.ts';
import { BugReport } from '../entities/index.ts';

export type SlaCursor = { at: Date; id: number } | null;

/** Open or in-progress bugs past their due time whose breach of that due time was not announced yet. */
export async function findSlaBreachCandidates(
  em: EntityManager,
  now: Date,
  cursor: SlaCursor,
  limit: number,
): Promise<BugReport[]> {
  const qb = em
    .createQueryBuilder(BugReport, 'b')
    .select('*')
    .where({ status: { $in: [...SLA_STATUSES] }, slaDueAt: { $lte: now } })
    .andWhere('b.sla_breach_notified_for is distinct from b.sla_due_at');
  if (cursor) qb.andWhere('(b.sla_due_at, b.id) > (?, ?)', [cursor.at, cursor.id]);
  return qb.orderBy({ slaDueAt: 'asc', id: 'asc' }).limit(limit).getResult();
}

/**
 * Open or in-progress bugs past their due time, announced or not: the most overdue first. `withThread` leaves out
 * imported bugs without a Slack thread (the digest has nowhere to link them).
 */
export async function findSlaBreached(
  em: EntityManager,
  now: Date,
  limit: number,
  options: { withThread?: boolean } = {},
): Promise<{ bugs: BugReport[]; total: number }> {
  const [bugs, total] = await em.findAndCount(
    BugReport,
    {
      status: { $in: [...SLA_STATUSES] },
      slaDueAt: { $lte: now },
      ...(options.withThread ? { channelId: { $ne: NO_SLACK_CHANNEL } } : {}),
    },
    { orderBy: { slaDueAt: 'asc', id: 'asc' }, limit },
  );
  return { bugs, total };
}
