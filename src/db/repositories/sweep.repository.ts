// The sweep's reads and its bookkeeping: candidates come from index range scans (bug_reports_stale_idx,
// bug_reports_claim_idle_idx) in keyset pages, oldest first; runs and the pause switch live in PostgreSQL so
// every replica sees the same. Imported bugs without a Slack thread (channel_id '') are never candidates: there is
// no thread to warn or nudge in, and the sweep's partial indexes leave them out (IN_SLACK matches their predicate).
import type { EntityManager } from '@mikro-orm/postgresql';
import { sql } from 'kysely';
import { SWEEPABLE_STATUSES } from '../../domain/bug-status.ts';
import { NO_SLACK_CHANNEL } from '../../domain/legacy-report.ts';
import type { Turn } from '../../domain/turn.ts';
import { type BugReport, SlackNotice, SweepRun, SweepState } from '../entities/index.ts';
import { bugsWhere, type Cursor, keysetPage, keysetQuery } from './bug-keyset.ts';

/** Bugs with a Slack thread: part of every sweep selection, as it is of every sweep index's predicate. */
const IN_SLACK = { channelId: { $ne: NO_SLACK_CHANNEL } } as const;

/**
 * Open or claimed bugs idle since before `threshold`, after the cursor, oldest first. With `turn` (under
 * AUTO_CLOSE_POLICY=waiting-on-reporter), only the bugs whose turn it is: bug_reports_stale_reporter_idx.
 */
export async function findIdleBugs(
  em: EntityManager,
  threshold: Date,
  cursor: Cursor,
  limit: number,
  turn?: Turn,
): Promise<BugReport[]> {
  return idleBugsQuery(em, threshold, cursor, limit, turn).getResult();
}

/** The statement findIdleBugs runs (tests EXPLAIN it: it must be a range scan on the sweep's partial index). */
export function idleBugsQuery(em: EntityManager, threshold: Date, cursor: Cursor, limit: number, turn?: Turn) {
  const candidates = bugsWhere(em, {
    status: { $in: [...SWEEPABLE_STATUSES] },
    ...IN_SLACK,
    lastActivityAt: { $lt: threshold },
    ...(turn ? { turn } : {}),
  });
  return keysetQuery(candidates, 'last_activity_at', cursor, limit);
}

/** Bugs waiting on developers since before `threshold` and not nudged in this turn: bug_reports_nudge_idx. */
export async function findUnnudgedBugs(
  em: EntityManager,
  threshold: Date,
  cursor: Cursor,
  limit: number,
): Promise<BugReport[]> {
  const candidates = bugsWhere(em, {
    status: { $in: [...SWEEPABLE_STATUSES] },
    ...IN_SLACK,
    turn: 'developers',
    nudgedAt: null,
    turnSince: { $lt: threshold },
  });
  return keysetPage(candidates, 'turn_since', cursor, limit);
}

/** Claims whose claimant has been quiet since before `threshold`, after the cursor, oldest first. */
export async function findQuietClaims(
  em: EntityManager,
  threshold: Date,
  cursor: Cursor,
  limit: number,
): Promise<BugReport[]> {
  const candidates = bugsWhere(em, { status: 'in_progress', ...IN_SLACK, claimantLastActivityAt: { $lt: threshold } });
  return keysetPage(candidates, 'claimant_last_activity_at', cursor, limit);
}

/** The warning notices of these bugs, to tell whether (and since when) each warning is visible. */
export async function findNotices(em: EntityManager, ids: number[]): Promise<Map<number, SlackNotice>> {
  if (ids.length === 0) return new Map();
  const notices = await em.find(SlackNotice, { id: { $in: ids } });
  return new Map(notices.map((notice) => [notice.id, notice]));
}

export async function getSweepState(em: EntityManager): Promise<SweepState> {
  return em.findOneOrFail(SweepState, { id: 1 });
}

export async function setPaused(
  em: EntityManager,
  paused: { by: string; at: Date; note: string | null } | null,
): Promise<void> {
  await em.nativeUpdate(
    SweepState,
    { id: 1 },
    paused
      ? { paused: true, pausedBy: paused.by, pausedAt: paused.at, pauseNote: paused.note }
      : { paused: false, pausedBy: null, pausedAt: null, pauseNote: null },
  );
}

export type NewRun = {
  trigger: SweepRun['trigger'];
  triggeredBy: string | null;
  slotKey: string | null;
  dryRun: boolean;
  status: 'running' | 'skipped';
  skipReason?: string | null;
  startedAt: Date;
};

/** Records a run. With a slot key, only the first replica to record that slot gets a row: null for the others. */
export async function insertRun(em: EntityManager, run: NewRun): Promise<number | null> {
  const rows = await em.execute<{ id: number }[]>(
    `insert into sweep_runs (trigger, triggered_by, slot_key, dry_run, status, skip_reason, started_at, finished_at)
     values (?, ?, ?, ?, ?, ?, ?, ?)
     on conflict (slot_key) do nothing
     returning id`,
    [
      run.trigger,
      run.triggeredBy,
      run.slotKey,
      run.dryRun,
      run.status,
      run.skipReason ?? null,
      run.startedAt,
      run.status === 'skipped' ? run.startedAt : null,
    ],
  );
  return rows[0] ? Number(rows[0].id) : null;
}

export type RunCounts = { warned: number; closed: number; reminded: number; released: number; failed: number };

export async function finishRun(
  em: EntityManager,
  id: number,
  outcome: {
    status: 'completed' | 'failed' | 'cancelled';
    finishedAt: Date;
    counts: RunCounts;
    error?: string | null;
    details: Record<string, unknown>;
  },
): Promise<void> {
  await em.nativeUpdate(
    SweepRun,
    { id },
    {
      status: outcome.status,
      finishedAt: outcome.finishedAt,
      ...outcome.counts,
      error: outcome.error ?? null,
      details: outcome.details,
    },
  );
}

/** Asks every running run to stop; the ids of the runs asked (none when no sweep is running). */
export async function requestCancel(em: EntityManager, by: string, at: Date): Promise<number[]> {
  const result = await sql<{ id: number }>`
    update sweep_runs set cancel_requested_at = ${at}, cancel_requested_by = ${by}
    where status = 'running' and cancel_requested_at is null
    returning id`.execute(em.getKysely());
  return result.rows.map((row) => Number(row.id));
}

/** Who asked this run to stop, if anyone has. */
export async function cancelRequestOf(em: EntityManager, runId: number): Promise<string | null> {
  const result = await sql<{ by: string | null }>`
    select cancel_requested_by as by from sweep_runs where id = ${runId} and cancel_requested_at is not null`.execute(
    em.getKysely(),
  );
  return result.rows[0] ? (result.rows[0].by ?? 'an admin') : null;
}

export type Heartbeat = { replicaId: string; host: string; pid: number; startedAt: Date; lastBeatAt: Date };

/** A replica running the schedule says it is alive. */
export async function recordHeartbeat(em: EntityManager, beat: Heartbeat): Promise<void> {
  await sql`
    insert into sweep_heartbeats (replica_id, host, pid, started_at, last_beat_at)
    values (${beat.replicaId}, ${beat.host}, ${beat.pid}, ${beat.startedAt}, ${beat.lastBeatAt})
    on conflict (replica_id) do update set last_beat_at = excluded.last_beat_at`.execute(em.getKysely());
}

export async function removeHeartbeat(em: EntityManager, replicaId: string): Promise<void> {
  await sql`delete from sweep_heartbeats where replica_id = ${replicaId}`.execute(em.getKysely());
}

/** The replicas that beat since `since`, the most recent first. */
export async function heartbeatsSince(em: EntityManager, since: Date): Promise<Heartbeat[]> {
  const result = await sql<{ replica_id: string; host: string; pid: number; started_at: Date; last_beat_at: Date }>`
    select replica_id, host, pid, started_at, last_beat_at from sweep_heartbeats
    where last_beat_at >= ${since} order by last_beat_at desc, replica_id`.execute(em.getKysely());
  return result.rows.map((row) => ({
    replicaId: row.replica_id,
    host: row.host,
    pid: Number(row.pid),
    startedAt: new Date(row.started_at),
    lastBeatAt: new Date(row.last_beat_at),
  }));
}

export async function markRunSkipped(em: EntityManager, id: number, reason: string, at: Date): Promise<void> {
  await em.nativeUpdate(SweepRun, { id }, { status: 'skipped', skipReason: reason, finishedAt: at });
}

/**
 * Runs still marked running while a new run holds the sweep lock died with their process. Rows younger than a
 * minute may be a replica's scheduled run that claimed its slot and is about to find the lock taken.
 */
export async function markInterruptedRuns(em: EntityManager, exceptId: number, at: Date): Promise<number> {
  return em.nativeUpdate(
    SweepRun,
    { status: 'running', id: { $ne: exceptId }, startedAt: { $lt: new Date(at.getTime() - 60_000) } },
    { status: 'failed', finishedAt: at, error: 'interrupted: the process running it stopped mid-run' },
  );
}

export async function recentRuns(em: EntityManager, limit: number): Promise<SweepRun[]> {
  return em.find(SweepRun, {}, { orderBy: { startedAt: 'desc', id: 'desc' }, limit });
}

/** An admin's schedule for the sweep (`/bugs sweep schedule`), as sweep_state stores it. */
export type StoredSchedule = { schedule: string; timezone: string; setBy: string | null; setAt: Date | null };

/** The stored schedule, or null when the sweep runs on SWEEP_SCHEDULE. One primary-key read: every replica polls it. */
export async function getStoredSchedule(em: EntityManager): Promise<StoredSchedule | null> {
  const result = await sql<{ schedule: string | null; tz: string | null; by: string | null; at: Date | null }>`
    select schedule, schedule_timezone as tz, schedule_set_by as by, schedule_set_at as at
    from sweep_state where id = 1`.execute(em.getKysely());
  const row = result.rows[0];
  if (!row?.schedule || !row.tz) return null;
  return { schedule: row.schedule, timezone: row.tz, setBy: row.by, setAt: row.at ? new Date(row.at) : null };
}

/** Stores the admin's schedule, or clears it (null: back to SWEEP_SCHEDULE). The previous value, if any. */
export async function setStoredSchedule(
  em: EntityManager,
  value: { schedule: string; timezone: string; by: string; at: Date } | null,
): Promise<StoredSchedule | null> {
  const previous = await sql<{ schedule: string | null; tz: string | null; by: string | null; at: Date | null }>`
    select schedule, schedule_timezone as tz, schedule_set_by as by, schedule_set_at as at
    from sweep_state where id = 1 for update`.execute(em.getKysely());
  await sql`
    update sweep_state set schedule = ${value?.schedule ?? null}, schedule_timezone = ${value?.timezone ?? null},
      schedule_set_by = ${value?.by ?? null}, schedule_set_at = ${value?.at ?? null}
    where id = 1`.execute(em.getKysely());
  const row = previous.rows[0];
  if (!row?.schedule || !row.tz) return null;
  return { schedule: row.schedule, timezone: row.tz, setBy: row.by, setAt: row.at ? new Date(row.at) : null };
}

export type SweepEventRow = {
  type: string;
  actorId: string | null;
  actorKind: string;
  at: Date;
  metadata: Record<string, unknown>;
};

/** One row of the sweep's own audit trail (sweep_events). */
export async function insertSweepEvent(em: EntityManager, event: SweepEventRow): Promise<void> {
  await sql`
    insert into sweep_events (event_type, actor_id, actor_kind, metadata, created_at)
    values (${event.type}, ${event.actorId}, ${event.actorKind}, ${JSON.stringify(event.metadata)}::jsonb, ${event.at})`.execute(
    em.getKysely(),
  );
}

/** The sweep's audit trail, oldest first (of one type when given). */
export async function sweepEvents(em: EntityManager, type?: string): Promise<SweepEventRow[]> {
  const result = await sql<{
    event_type: string;
    actor_id: string | null;
    actor_kind: string;
    metadata: Record<string, unknown>;
    created_at: Date;
  }>`
    select event_type, actor_id, actor_kind, metadata, created_at from sweep_events
    ${type ? sql`where event_type = ${type}` : sql``} order by id`.execute(em.getKysely());
  return result.rows.map((row) => ({
    type: row.event_type,
    actorId: row.actor_id,
    actorKind: row.actor_kind,
    at: new Date(row.created_at),
    metadata: row.metadata,
  }));
}
