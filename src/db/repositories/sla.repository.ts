// The SLA's reads: bugs whose breach is due, from the partial index bug_reports_sla_due_idx in (due time, id)
// keyset pages, and the breached bugs for App Home and the alerts.
import type { EntityManager } from '@mikro-orm/postgresql';
import { SLA_STATUSES } from '../../domain/bug-status.ts';
import { NO_SLACK_CHANNEL } from '../../domain/legacy-report.ts';
import { BugReport } from '../entities/index.ts';
import { bugsWhere, type Cursor, keysetPage } from './bug-keyset.ts';

/** Open or in-progress bugs past their due time whose breach of that due time was not announced yet. */
export async function findSlaBreachCandidates(
  em: EntityManager,
  now: Date,
  cursor: Cursor,
  limit: number,
): Promise<BugReport[]> {
  const candidates = bugsWhere(em, { status: { $in: [...SLA_STATUSES] }, slaDueAt: { $lte: now } }).andWhere(
    'b.sla_breach_notified_for is distinct from b.sla_due_at',
  );
  return keysetPage(candidates, 'sla_due_at', cursor, limit);
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
