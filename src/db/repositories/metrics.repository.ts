// The figures /metrics shows from PostgreSQL: a few counts, read at most every few seconds.
import type { EntityManager } from '@mikro-orm/postgresql';
import { sql } from 'kysely';
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
    sql<{ status: string; severity: string; n: string }>`
      select status, severity, count(*) as n from bug_reports group by status, severity`.execute(kysely),
    sql<{ warn: string; close: string; orphaned: string; breached: string }>`
      select
        (select count(*) from bug_reports where status in ('open', 'in_progress', 'awaiting_verification')
           and ${inSlack} ${turn} and warned_at is null and last_activity_at <= ${warnFrom}) as warn,
        (select count(*) from bug_reports where status in ('open', 'in_progress', 'awaiting_verification')
           and ${inSlack} and warned_at is not null and auto_close_at <= ${now}) as close,
        (select count(*) from bug_reports where status = 'in_progress'
           and ${inSlack} and claimant_last_activity_at <= ${idleFrom}) as orphaned,
        (select count(*) from bug_reports where status in ('open', 'in_progress')
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
    bugs: bugs.rows.map((row) => ({ status: row.status, severity: row.severity, count: Number(row.n) })),
    staleDueWarning: Number(s?.warn ?? 0),
    staleDueClose: Number(s?.close ?? 0),
    orphanedClaims: Number(s?.orphaned ?? 0),
    slaBreached: Number(s?.breached ?? 0),
    outboxPending: Number(o?.pending ?? 0),
    outboxFailed: Number(o?.failed ?? 0),
    oldestPendingAgeSeconds: oldest ? Math.max(0, (now.getTime() - oldest.getTime()) / 1000) : 0,
  };
}
