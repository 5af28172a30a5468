// The start-up backfill of bugs filed before grouping existed (bug_reports.fingerprint_backfill_due): a batch is
// taken with `for update skip locked`, so replicas starting together each take other bugs, and written back in the
// same transaction, which clears the mark.
import type { EntityManager } from '@mikro-orm/postgresql';
import { sql } from 'kysely';
import type { TelemetryIds } from '../../domain/report-text.ts';
import { BugReport } from '../entities/index.ts';

export type BackfillBug = {
  id: number;
  title: string;
  description: string;
  traceId: string | null;
  requestId: string | null;
  releaseSha: string | null;
  /** What people wrote in its thread (bots left out, deleted messages too): ids pasted there find it as well. */
  replies: string[];
};

/** Replies read per bug: a long thread's first ones (a pasted log is not a report). */
const REPLIES_READ = 200;

/** Whether any bug is still marked: the common start-up, with nothing to do, opens no transaction. */
export async function anyBackfillDue(em: EntityManager): Promise<boolean> {
  return (await em.findOne(BugReport, { fingerprintBackfillDue: true }, { fields: ['id'] })) !== null;
}

/** Up to `limit` marked bugs no other transaction holds, locked until the caller's transaction ends. */
export async function takeBackfillBatch(em: EntityManager, limit: number): Promise<BackfillBug[]> {
  const result = await sql<{
    id: number;
    title: string;
    description: string;
    trace_id: string | null;
    request_id: string | null;
    release_sha: string | null;
    replies: string[] | null;
  }>`
    with batch as (
      select id from bug_reports where fingerprint_backfill_due order by id limit ${limit} for update skip locked
    )
    select b.id, b.title, b.description, b.trace_id, b.request_id, b.release_sha,
           (select array_agg(r.text) from (
              select c.text from bug_conversations c
              where c.bug_id = b.id and c.sender_type <> 'bot' and c.deleted_at is null
              order by c.message_at, c.id limit ${REPLIES_READ}) r) as replies
    from batch join bug_reports b on b.id = batch.id
    order by b.id`.execute(em.getKysely());
  return result.rows.map((row) => ({
    id: Number(row.id),
    title: row.title,
    description: row.description,
    traceId: row.trace_id,
    requestId: row.request_id,
    releaseSha: row.release_sha,
    replies: row.replies ?? [],
  }));
}

export type BackfillResult = { id: number; fingerprint: string | null; telemetryIds: TelemetryIds };

/**
 * Writes a batch back in one statement: fingerprints, the mark cleared, telemetry ids added (those there already
 * are kept), and a duplicate group started for a fingerprint that has none yet, canonical the newest unresolved bug
 * with it that has a Slack thread and is no duplicate (a group already there is never taken over, and no two old
 * bugs are linked to each other). Returns how many telemetry ids and groups were added.
 */
export async function writeBackfillBatch(
  em: EntityManager,
  results: readonly BackfillResult[],
  unresolved: readonly string[],
): Promise<{ telemetryIds: number; groups: number }> {
  if (results.length === 0) return { telemetryIds: 0, groups: 0 };
  const input = results.map((r) => ({
    id: r.id,
    fingerprint: r.fingerprint,
    telemetry: [
      ...r.telemetryIds.traceIds.map((value) => ({ kind: 'trace_id', value })),
      ...r.telemetryIds.requestIds.map((value) => ({ kind: 'request_id', value })),
      ...r.telemetryIds.releaseShas.map((value) => ({ kind: 'release_sha', value })),
    ],
  }));
  const result = await sql<{ telemetry_ids: string; groups: string }>`
    with input as (
      select * from jsonb_to_recordset(${JSON.stringify(input)}::jsonb) as r(id int, fingerprint text, telemetry jsonb)
    ),
    updated as (
      update bug_reports b set fingerprint = coalesce(b.fingerprint, i.fingerprint), fingerprint_backfill_due = false
      from input i where b.id = i.id
      returning b.id, b.fingerprint, b.status, b.channel_id, b.duplicate_of_id, b.created_at
    ),
    telemetry as (
      insert into bug_telemetry (bug_id, kind, value)
      select i.id, t.kind, t.value
      from input i cross join lateral jsonb_to_recordset(i.telemetry) as t(kind text, value text)
      on conflict do nothing
      returning 1
    ),
    groups as (
      insert into bug_report_dedup (fingerprint, canonical_bug_id, occurrence_count, first_seen_at, last_seen_at)
      select distinct on (u.fingerprint) u.fingerprint, u.id, 1, u.created_at, u.created_at
      from updated u
      where u.fingerprint is not null and u.status = any(${[...unresolved]}::text[]) and u.channel_id <> ''
        and u.duplicate_of_id is null
      order by u.fingerprint, u.created_at desc, u.id desc
      on conflict (fingerprint) do nothing
      returning 1
    )
    select (select count(*) from telemetry) as telemetry_ids, (select count(*) from groups) as groups`.execute(
    em.getKysely(),
  );
  const row = result.rows[0]!;
  return { telemetryIds: Number(row.telemetry_ids), groups: Number(row.groups) };
}
