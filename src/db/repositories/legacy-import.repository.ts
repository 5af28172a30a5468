// The legacy import's writes: a batch of old reports in one statement, each bug with its `bug.imported` event and
// its telemetry ids (bug_telemetry, as the intake writes them).
// bug_reports.legacy_id is unique, so PostgreSQL decides what is already there: a record imported by an earlier
// run (or by another process at the same moment) is skipped, never written twice, and never uses up a bug number.
import type { EntityManager } from '@mikro-orm/postgresql';
import { sql } from 'kysely';
import type { BugStatus, CloseReason, Severity } from '../../domain/bug-status.ts';
import type { LegacyBugRow } from '../../domain/legacy-report.ts';
import type { TelemetryIds } from '../../domain/report-text.ts';

/** The row an old report becomes (domain/legacy-report.ts), with its thread key and what the import derives. */
export type LegacyBugInsert = Omit<LegacyBugRow, 'telemetry'> & {
  channelId: string;
  /** The thread key; for bugs with no Slack thread, `legacy:<id>` (domain/legacy-report.ts). */
  threadTs: string;
  traceId: string | null;
  requestId: string | null;
  releaseSha: string | null;
  /** domain/fingerprint.ts, null when the report has too little signal. */
  fingerprint: string | null;
  /** Every trace id, request id and release SHA the report mentions (bug_telemetry). */
  telemetryIds: TelemetryIds;
  /** Stored on the `bug.imported` event. */
  eventMetadata: Record<string, unknown>;
};

export type InsertedLegacyBug = { id: number; legacyId: string };

/** Which of these legacy ids are in bug_reports already. */
export async function existingLegacyIds(em: EntityManager, legacyIds: readonly string[]): Promise<Set<string>> {
  if (legacyIds.length === 0) return new Set();
  const rows = await sql<{ legacy_id: string }>`
    select legacy_id from bug_reports where legacy_id = any(${[...legacyIds]}::text[])`.execute(em.getKysely());
  return new Set(rows.rows.map((row) => row.legacy_id));
}

/**
 * Inserts the bugs not there yet (the first of a legacy id when a batch repeats one), numbered in the batch's
 * order, each with its `bug.imported` event, in the caller's transaction. Returns the bugs inserted.
 */
export async function insertLegacyBugs(
  em: EntityManager,
  bugs: readonly LegacyBugInsert[],
  now: Date,
): Promise<InsertedLegacyBug[]> {
  if (bugs.length === 0) return [];
  const input = bugs.map((bug, ord) => ({
    ord,
    legacy_id: bug.legacyId,
    title: bug.title,
    description: bug.description,
    severity: bug.severity,
    status: bug.status,
    reporter_id: bug.reporterId,
    claimant_id: bug.claimantId,
    claimed_at: bug.claimedAt?.toISOString() ?? null,
    channel_id: bug.channelId,
    thread_ts: bug.threadTs,
    created_at: bug.createdAt.toISOString(),
    last_activity_at: bug.lastActivityAt.toISOString(),
    resolved_at: bug.resolvedAt?.toISOString() ?? null,
    closed_at: bug.closedAt?.toISOString() ?? null,
    close_reason: bug.closeReason,
    trace_id: bug.traceId,
    request_id: bug.requestId,
    release_sha: bug.releaseSha,
    fingerprint: bug.fingerprint,
    telemetry: [
      ...bug.telemetryIds.traceIds.map((value) => ({ kind: 'trace_id', value })),
      ...bug.telemetryIds.requestIds.map((value) => ({ kind: 'request_id', value })),
      ...bug.telemetryIds.releaseShas.map((value) => ({ kind: 'release_sha', value })),
    ],
    metadata: bug.eventMetadata,
  }));
  const result = await sql<{ id: number; legacy_id: string }>`
    with input as (
      select * from jsonb_to_recordset(${JSON.stringify(input)}::jsonb) as r(
        ord int, legacy_id text, title text, description text, severity text, status text, reporter_id text,
        claimant_id text, claimed_at timestamptz, channel_id text, thread_ts text, created_at timestamptz,
        last_activity_at timestamptz, resolved_at timestamptz, closed_at timestamptz, close_reason text,
        trace_id text, request_id text, release_sha text, fingerprint text, telemetry jsonb, metadata jsonb)
    ),
    fresh as (
      select distinct on (i.legacy_id) i.* from input i
      where not exists (select 1 from bug_reports b where b.legacy_id = i.legacy_id)
      order by i.legacy_id, i.ord
    ),
    numbered as (
      select nextval(pg_get_serial_sequence('bug_reports', 'id'))::int as id, f.*
      from (select * from fresh order by ord) f
    ),
    inserted as (
      insert into bug_reports (
        id, ref, legacy_id, title, description, severity, status, reporter_id, claimant_id, claimed_at,
        claimant_last_activity_at, channel_id, thread_ts, trace_id, request_id, release_sha, fingerprint, created_at,
        updated_at, resolved_at, closed_at, close_reason, last_activity_at)
      select id, 'BUG-' || id, legacy_id, title, description, severity, status, reporter_id, claimant_id, claimed_at,
        claimed_at, channel_id, thread_ts, trace_id, request_id, release_sha, fingerprint, created_at,
        ${now}::timestamptz, resolved_at, closed_at, close_reason, last_activity_at
      from numbered order by ord
      on conflict (legacy_id) do nothing
      returning id, legacy_id
    ),
    events as (
      insert into bug_events (bug_id, event_type, actor_id, actor_kind, metadata, created_at)
      select ins.id, 'bug.imported', null, 'system', n.metadata, ${now}::timestamptz
      from inserted ins join numbered n on n.id = ins.id
    ),
    telemetry as (
      insert into bug_telemetry (bug_id, kind, value)
      select ins.id, t.kind, t.value
      from inserted ins join numbered n on n.id = ins.id
        cross join lateral jsonb_to_recordset(n.telemetry) as t(kind text, value text)
      on conflict do nothing
    )
    select id, legacy_id from inserted order by id`.execute(em.getKysely());
  return result.rows.map((row) => ({ id: Number(row.id), legacyId: row.legacy_id }));
}

/** An imported bug that may be posted to Slack: unresolved, without a thread, no root message queued or in flight. */
export type ThreadlessImportedBug = {
  id: number;
  ref: string;
  legacyId: string;
  title: string;
  description: string;
  severity: Severity;
  reporterId: string;
  createdAt: Date;
  traceId: string | null;
  releaseSha: string | null;
};

/**
 * The bugs of these legacy ids that may be posted (see ThreadlessImportedBug), row-locked until the caller's
 * transaction ends: the notifier attaching a thread to one of them waits, and one whose thread was attached
 * meanwhile is re-checked by PostgreSQL after the wait and left out. Pass a transaction.
 */
export async function lockThreadlessImportedBugs(
  em: EntityManager,
  legacyIds: readonly string[],
  statuses: readonly BugStatus[],
): Promise<ThreadlessImportedBug[]> {
  if (legacyIds.length === 0) return [];
  const result = await sql<{
    id: number;
    ref: string;
    legacy_id: string;
    title: string;
    description: string;
    severity: Severity;
    reporter_id: string;
    created_at: Date | string;
    trace_id: string | null;
    release_sha: string | null;
  }>`
    select b.id, b.ref, b.legacy_id, b.title, b.description, b.severity, b.reporter_id, b.created_at, b.trace_id,
           b.release_sha
    from bug_reports b
    where b.legacy_id = any(${[...legacyIds]}::text[])
      and b.channel_id = ''
      and b.status = any(${[...statuses]}::text[])
      and not exists (select 1 from slack_notices n
                      where n.bug_id = b.id and n.purpose = 'thread_root' and n.status in ('pending', 'sending'))
    order by b.id
    for update of b`.execute(em.getKysely());
  return result.rows.map((row) => ({
    id: Number(row.id),
    ref: row.ref,
    legacyId: row.legacy_id,
    title: row.title,
    description: row.description,
    severity: row.severity,
    reporterId: row.reporter_id,
    createdAt: new Date(row.created_at),
    traceId: row.trace_id,
    releaseSha: row.release_sha,
  }));
}

export type ThreadRootNotice = { bugId: number; payload: Record<string, unknown> };

/**
 * Queues the root messages (slack_notices `thread_root`, a new top-level message in `channelId`) in the caller's
 * transaction. A bug that has one pending or being sent already keeps it (slack_notices_thread_root_active_idx).
 * Returns the bugs a root message was queued for.
 */
export async function insertThreadRoots(
  em: EntityManager,
  roots: readonly ThreadRootNotice[],
  channelId: string,
  at: Date,
  priority: number,
): Promise<number[]> {
  if (roots.length === 0) return [];
  const result = await sql<{ bug_id: number }>`
    insert into slack_notices (bug_id, purpose, channel_id, thread_ts, payload, dedupe_key, status, attempts,
                               next_attempt_at, created_at, priority)
    select r.bug_id, 'thread_root', ${channelId}, null, r.payload, null, 'pending', 0, ${at}::timestamptz,
           ${at}::timestamptz, ${priority}
    from jsonb_to_recordset(${JSON.stringify(roots.map((r) => ({ bug_id: r.bugId, payload: r.payload })))}::jsonb)
      as r(bug_id int, payload jsonb)
    order by r.bug_id
    on conflict (bug_id) where purpose = 'thread_root' and status in ('pending', 'sending') do nothing
    returning bug_id`.execute(em.getKysely());
  return result.rows.map((row) => Number(row.bug_id));
}

/**
 * The root message of an imported bug was posted: the bug takes that thread (unless it has one already), its
 * `bug.thread_started` event is written and its card is asked for. Returns false when the bug had a thread
 * already. Pass the transaction that marks the notice sent.
 */
export async function attachImportedThread(
  em: EntityManager,
  bug: { id: number; channelId: string; threadTs: string },
  at: Date,
): Promise<boolean> {
  const result = await sql<{ id: number }>`
    with attached as (
      update bug_reports set channel_id = ${bug.channelId}, thread_ts = ${bug.threadTs}, updated_at = ${at}::timestamptz
      where id = ${bug.id} and channel_id = ''
      returning id
    ),
    event as (
      insert into bug_events (bug_id, event_type, actor_id, actor_kind, metadata, created_at)
      select id, 'bug.thread_started', null, 'system',
             jsonb_build_object('channelId', ${bug.channelId}::text, 'threadTs', ${bug.threadTs}::text), ${at}::timestamptz
      from attached
    )
    select id from attached`.execute(em.getKysely());
  return result.rows.length > 0;
}
