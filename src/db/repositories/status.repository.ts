// The reads behind `npm run status`: counts and a few short lists over the whole backlog, each one statement.
import { QueryOrder } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { sql } from 'kysely';
import { UNRESOLVED_STATUSES } from '../../domain/bug-status.ts';
import { BugReport, BugReportDedup } from '../entities/index.ts';

export type StatusSeverityCount = { status: string; severity: string; count: number };

export async function countBugsByStatusAndSeverity(em: EntityManager): Promise<StatusSeverityCount[]> {
  const result = await sql<{ status: string; severity: string; n: string }>`
    select status, severity, count(*) as n from bug_reports group by status, severity`.execute(em.getKysely());
  return result.rows.map((row) => ({ status: row.status, severity: row.severity, count: Number(row.n) }));
}

/**
 * Bugs with work left (open, in progress, escalated): `created`, oldest first (bug_reports_status_created_idx);
 * `due`, the soonest SLA due time first (the most overdue at the top), bugs without one after them, oldest first.
 */
export async function findOldestUnresolvedBugs(
  em: EntityManager,
  limit: number,
  sort: 'created' | 'due' = 'created',
): Promise<BugReport[]> {
  return em.find(
    BugReport,
    { status: { $in: [...UNRESOLVED_STATUSES] } },
    {
      orderBy:
        sort === 'due'
          ? { slaDueAt: QueryOrder.ASC_NULLS_LAST, createdAt: QueryOrder.ASC, id: QueryOrder.ASC }
          : { createdAt: QueryOrder.ASC, id: QueryOrder.ASC },
      limit,
    },
  );
}

export type OutboxCounts = { pending: number; failed: number; oldestPendingAt: Date | null };

export async function countOutbox(em: EntityManager): Promise<OutboxCounts> {
  const result = await sql<{ pending: string; failed: string; oldest: Date | null }>`
    select count(*) filter (where status in ('pending', 'sending')) as pending,
           count(*) filter (where status = 'failed') as failed,
           min(created_at) filter (where status in ('pending', 'sending')) as oldest
    from slack_notices`.execute(em.getKysely());
  const row = result.rows[0]!;
  return {
    pending: Number(row.pending),
    failed: Number(row.failed),
    oldestPendingAt: row.oldest ? new Date(row.oldest) : null,
  };
}

export type StatusDuplicateGroup = { canonical: BugReport; occurrences: number; lastSeenAt: Date };

/** The duplicate groups (bug_report_dedup) reported most often, more than once (bug_report_dedup_occurrences_idx). */
export async function findLargestDuplicateGroups(em: EntityManager, limit: number): Promise<StatusDuplicateGroup[]> {
  const groups = await em.find(
    BugReportDedup,
    { occurrenceCount: { $gt: 1 } },
    { orderBy: { occurrenceCount: 'desc', id: 'asc' }, limit },
  );
  if (groups.length === 0) return [];
  const canonical = await em.find(BugReport, { id: { $in: groups.map((group) => group.canonicalBugId) } });
  const byId = new Map(canonical.map((bug) => [bug.id, bug]));
  return groups.flatMap((group) => {
    const bug = byId.get(group.canonicalBugId);
    return bug ? [{ canonical: bug, occurrences: group.occurrenceCount, lastSeenAt: group.lastSeenAt }] : [];
  });
}
