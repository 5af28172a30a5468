// The reads behind `npm run status`: counts and a few short lists over the whole backlog, each one statement.
import type { EntityManager } from '@mikro-orm/postgresql';
import { sql } from 'kysely';
import { UNRESOLVED_STATUSES } from '../../domain/bug-status.ts';
import { BugReport } from '../entities/index.ts';

export type StatusSeverityCount = { status: string; severity: string; count: number };

export async function countBugsByStatusAndSeverity(em: EntityManager): Promise<StatusSeverityCount[]> {
  const result = await sql<{ status: string; severity: string; n: string }>`
    select status, severity, count(*) as n from bug_reports group by status, severity`.execute(em.getKysely());
  return result.rows.map((row) => ({ status: row.status, severity: row.severity, count: Number(row.n) }));
}

/** Bugs with work left (open, in progress, escalated), oldest first (bug_reports_status_created_idx). */
export async function findOldestUnresolvedBugs(em: EntityManager, limit: number): Promise<BugReport[]> {
  return em.find(
    BugReport,
    { status: { $in: [...UNRESOLVED_STATUSES] } },
    { orderBy: { createdAt: 'asc', id: 'asc' }, limit },
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

export type DuplicateGroup = { canonical: BugReport; occurrences: number; lastSeenAt: Date };

/**
 * Bugs with the most duplicates linked to them (bug_reports.duplicate_of_id): the canonical report counts as one
 * occurrence, each duplicate as another; last seen is the newest report of the group.
 */
export async function findLargestDuplicateGroups(em: EntityManager, limit: number): Promise<DuplicateGroup[]> {
  const result = await sql<{ canonical_id: number; occurrences: string; last_seen: Date }>`
    select d.duplicate_of_id as canonical_id, count(*) + 1 as occurrences, max(d.created_at) as last_seen
    from bug_reports d where d.duplicate_of_id is not null
    group by d.duplicate_of_id order by count(*) desc, max(d.created_at) desc limit ${limit}`.execute(em.getKysely());
  if (result.rows.length === 0) return [];
  const canonical = await em.find(BugReport, { id: { $in: result.rows.map((row) => Number(row.canonical_id)) } });
  const byId = new Map(canonical.map((bug) => [bug.id, bug]));
  return result.rows.flatMap((row) => {
    const bug = byId.get(Number(row.canonical_id));
    if (!bug) return [];
    const lastSeen = new Date(row.last_seen);
    return [
      {
        canonical: bug,
        occurrences: Number(row.occurrences),
        lastSeenAt: lastSeen > bug.createdAt ? lastSeen : bug.createdAt,
      },
    ];
  });
}
