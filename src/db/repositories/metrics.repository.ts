// The figures /metrics shows from PostgreSQL: a few counts, read at most every few seconds.
import type { EntityManager } from '@mikro-orm/postgresql';
import { sql } from 'kysely';
import { SLA_STATUSES } from '../../domain/bug-status.ts';
import { NO_SLACK_CHANNEL } from '../../domain/legacy-report.ts';
import type { Turn } from '../../domain/turn.ts';

/** What the /metrics gauges show (src/metrics/metrics.ts). */
export type BacklogSnapshot = {
  bugs: { status: string; severity: string; count: number }[];
  staleDueWarning: number;
  staleDueClose: number;
  orphanedClaims: number;
  /** Open or in-progress bugs past their SLA due time, announced or not (bug_reports_sla_due_idx). */
  slaBreached: number;
  outboxPending: number;
  outboxFailed: number;
  oldestPendingAgeSeconds: number;
};

export async function readBacklogSnapshot(
  em: EntityManager,
  now: Date,
  /**
   * The moments before which a bug is due a warning and a claim is orphaned, on the sweep's clock (business time);
   * `warnTurn`: under AUTO_CLOSE_POLICY=waiting-on-reporter only the reporter's turn is warned.
   */
  thresholds: { warnFrom: Date; idleFrom: Date; warnTurn?: Turn },
): Promise<BacklogSnapshot> {
  const kysely = em.getKysely();
  const { warnFrom, idleFrom, warnTurn } = thresholds;
  // As the sweep selects them (sweep.repository.ts): imported bugs without a Slack thread are never swept.
  const inSlack = sql`channel_id <> ${NO_SLACK_CHANNEL}`;
  const turn = warnTurn ? sql`and turn = ${warnTurn}` : sql``;
  const [bugs, stale, outbox] = await Promise.all([
    readBugCounts(em),
    sql<{ warn: string; close: string; orphaned: string; breached: string }>`
      select
        (select count(*) from bug_reports where status in ('open', 'in_progress', 'awaiting_verification')
           and ${inSlack} ${turn} and warned_at is null and last_activity_at <= ${warnFrom}) as warn,
        (select count(*) from bug_reports where status in ('open', 'in_progress', 'awaiting_verification')
           and ${inSlack} and warned_at is not null and auto_close_at <= ${now}) as close,
        (select count(*) from bug_reports where status = 'in_progress'
           and ${inSlack} and claimant_last_activity_at <= ${idleFrom}) as orphaned,
        (select count(*) from bug_reports where status = any(${[...SLA_STATUSES]})
           and sla_due_at is not null and sla_due_at <= ${now}) as breached`.execute(kysely),
    sql<{ pending: string; failed: string; oldest: Date | null }>`
      select
        (select count(*) from slack_notices where status in ('pending', 'sending')) as pending,
        (select count(*) from slack_notices where status = 'failed') as failed,
        (select min(created_at) from slack_notices where status in ('pending', 'sending')) as oldest`.execute(kysely),
  ]);
  const s = stale.rows[0];
  const o = outbox.rows[0];
  const oldest = o?.oldest ? new Date(o.oldest) : null;
  return {
    bugs,
    staleDueWarning: Number(s?.warn ?? 0),
    staleDueClose: Number(s?.close ?? 0),
    orphanedClaims: Number(s?.orphaned ?? 0),
    slaBreached: Number(s?.breached ?? 0),
    outboxPending: Number(o?.pending ?? 0),
    outboxFailed: Number(o?.failed ?? 0),
    oldestPendingAgeSeconds: oldest ? Math.max(0, (now.getTime() - oldest.getTime()) / 1000) : 0,
  };
}

/** Past this many rows of bug_report_count_deltas, a read folds them into one per (status, severity). */
const FOLD_AFTER_ROWS = 1_000;

/**
 * Bugs by status and severity, from the signed counts the triggers on bug_reports record (migration
 * bug_count_deltas), not a count over bug_reports: a few hundred rows at most, whatever the history holds.
 */
export async function readBugCounts(em: EntityManager): Promise<BacklogSnapshot['bugs']> {
  const kysely = em.getKysely();
  const result = await sql<{ status: string; severity: string; n: string; rows: string }>`
    select status, severity, sum(delta) as n, sum(count(*)) over () as rows
    from bug_report_count_deltas group by status, severity order by status, severity`.execute(kysely);
  if (Number(result.rows[0]?.rows ?? 0) > FOLD_AFTER_ROWS) await foldBugCounts(em);
  return result.rows
    .filter((row) => Number(row.n) !== 0)
    .map((row) => ({ status: row.status, severity: row.severity, count: Number(row.n) }));
}

/**
 * Folds the recorded counts into one row per (status, severity), in one statement. Safe beside writers and other
 * replicas folding at once: a row inserted after the statement began is not in its snapshot and stays, and a row
 * another fold deleted first is skipped, so the sums never change.
 */
export async function foldBugCounts(em: EntityManager): Promise<void> {
  await sql`
    with folded as (delete from bug_report_count_deltas returning status, severity, delta)
    insert into bug_report_count_deltas (status, severity, delta)
    select status, severity, sum(delta) from folded group by status, severity having sum(delta) <> 0`.execute(
    em.getKysely(),
  );
}
