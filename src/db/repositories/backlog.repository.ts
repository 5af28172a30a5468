// The backlog's figures for BACKLOG_ALERT and App Home, each an index-backed count, and the stored state of each
// alert condition (backlog_alert_state), read under FOR UPDATE so one check at a time decides.
import type { EntityManager } from '@mikro-orm/postgresql';
import { type RawBuilder, sql } from 'kysely';
import type { BacklogAlertState, BacklogMetric } from '../../domain/backlog-alert.ts';
import { SLA_STATUSES, SWEEPABLE_STATUSES, UNRESOLVED_STATUSES } from '../../domain/bug-status.ts';

export type BacklogBugRow = {
  id: number;
  ref: string;
  title: string;
  channelId: string;
  threadTs: string;
  createdAt: Date;
};

/**
 * Which bugs a metric counts. `stale`: idle past the point the sweep warns (AUTO_CLOSE_AFTER − AUTO_CLOSE_WARNING),
 * which includes the warned ones waiting for their close: `staleBefore` is that moment.
 */
function metricWhere(metric: BacklogMetric, now: Date, staleBefore: Date): RawBuilder<unknown> {
  switch (metric) {
    case 'open':
      return sql`status = any(${[...UNRESOLVED_STATUSES]})`;
    case 'unclaimed':
      return sql`status = 'open' and claimant_id is null`;
    case 'stale':
      return sql`status = any(${[...SWEEPABLE_STATUSES]}) and last_activity_at < ${staleBefore}`;
    case 'breached':
      return sql`status = any(${[...SLA_STATUSES]}) and sla_due_at <= ${now}`;
  }
}

export async function countBacklog(
  em: EntityManager,
  metric: BacklogMetric,
  now: Date,
  staleBefore: Date,
): Promise<number> {
  const result = await sql<{ n: string }>`
    select count(*) as n from bug_reports where ${metricWhere(metric, now, staleBefore)}`.execute(em.getKysely());
  return Number(result.rows[0]!.n);
}

/** The oldest bugs a metric counts, oldest first. */
export async function oldestInBacklog(
  em: EntityManager,
  metric: BacklogMetric,
  now: Date,
  staleBefore: Date,
  limit: number,
): Promise<BacklogBugRow[]> {
  const result = await sql<{
    id: number;
    ref: string;
    title: string;
    channel_id: string;
    thread_ts: string;
    created_at: Date;
  }>`
    select id, ref, title, channel_id, thread_ts, created_at from bug_reports
    where ${metricWhere(metric, now, staleBefore)}
    order by created_at asc, id asc limit ${limit}`.execute(em.getKysely());
  return result.rows.map((row) => ({
    id: Number(row.id),
    ref: row.ref,
    title: row.title,
    channelId: row.channel_id,
    threadTs: row.thread_ts,
    createdAt: new Date(row.created_at),
  }));
}

/** Counts of bugs by status, for App Home. */
export async function countByStatus(em: EntityManager): Promise<Record<string, number>> {
  const result = await sql<{ status: string; n: string }>`
    select status, count(*) as n from bug_reports group by status`.execute(em.getKysely());
  return Object.fromEntries(result.rows.map((row) => [row.status, Number(row.n)]));
}

/**
 * The stored state of these conditions, locked until the caller's transaction ends: rows are created first (a new
 * condition starts quiet), then read FOR UPDATE in key order, so concurrent checks queue up instead of deadlocking.
 */
export async function lockBacklogStates(
  em: EntityManager,
  keys: readonly string[],
  now: Date,
): Promise<Map<string, BacklogAlertState>> {
  const kysely = em.getKysely();
  await sql`
    insert into backlog_alert_state (condition_key, checked_at)
    select key, ${now}::timestamptz from unnest(${[...keys]}::text[]) as key
    on conflict (condition_key) do nothing`.execute(kysely);
  const result = await sql<{ condition_key: string; over_since: Date | null; raised_at: Date | null }>`
    select condition_key, over_since, raised_at from backlog_alert_state
    where condition_key = any(${[...keys]}::text[]) order by condition_key for update`.execute(kysely);
  return new Map(
    result.rows.map((row) => [
      row.condition_key,
      {
        overSince: row.over_since ? new Date(row.over_since) : null,
        raisedAt: row.raised_at ? new Date(row.raised_at) : null,
      },
    ]),
  );
}

export async function saveBacklogState(
  em: EntityManager,
  key: string,
  state: BacklogAlertState,
  count: number,
  now: Date,
): Promise<void> {
  await sql`
    update backlog_alert_state
    set over_since = ${state.overSince}, raised_at = ${state.raisedAt}, checked_at = ${now}, last_count = ${count}
    where condition_key = ${key}`.execute(em.getKysely());
}
