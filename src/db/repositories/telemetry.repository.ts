// bug_telemetry: every trace id, request id and release SHA a bug mentions, one row each, so any of them finds it.
// Look-ups are index range scans on bug_telemetry_lookup_idx (kind, value text_pattern_ops, bug_id): exact ids by
// equality, a release SHA prefix by `like 'prefix%'`, and a full SHA finds a shorter stored one by its prefixes.
import type { EntityManager } from '@mikro-orm/postgresql';
import { type RawBuilder, sql } from 'kysely';
import type { TelemetryIds, TelemetryQuery } from '../../domain/report-text.ts';

/** Adds the ids a bug mentions; ids it already has are left as they are. */
export async function recordTelemetryIds(em: EntityManager, bugId: number, ids: TelemetryIds): Promise<void> {
  const rows = [
    ...ids.traceIds.map((value) => ['trace_id', value] as const),
    ...ids.requestIds.map((value) => ['request_id', value] as const),
    ...ids.releaseShas.map((value) => ['release_sha', value] as const),
  ];
  if (rows.length === 0) return;
  await sql`
    insert into bug_telemetry (bug_id, kind, value)
    values ${sql.join(rows.map(([kind, value]) => sql`(${bugId}, ${kind}, ${value})`))}
    on conflict do nothing`.execute(em.getKysely());
}

/** Ids of the bugs that mention the query as a trace id, a request id or a release SHA, newest first. */
export async function findBugIdsByTelemetry(
  em: EntityManager,
  query: TelemetryQuery,
  limit: number,
): Promise<{ ids: number[]; total: number }> {
  const sha = shaPrefixMatches(query.shaPrefix);
  const result = await sql<{ id: number; total: string }>`
    with matches as (
      select bug_id from bug_telemetry where kind = 'trace_id' and value = ${query.value}
      union select bug_id from bug_telemetry where kind = 'request_id' and value = ${query.value}
      ${sha}
    )
    select b.id, count(*) over () as total
    from matches m join bug_reports b on b.id = m.bug_id
    order by b.created_at desc, b.id desc
    limit ${limit}`.execute(em.getKysely());
  return { ids: result.rows.map((row) => row.id), total: Number(result.rows[0]?.total ?? 0) };
}

/**
 * More bugs a release SHA typed in finds (`union` clauses to add to a select of bug ids): the full SHAs it is a prefix
 * of, and the shorter ones stored that are prefixes of it. Nothing without a prefix.
 */
function shaPrefixMatches(shaPrefix: string | null | undefined): RawBuilder<unknown> {
  if (!shaPrefix) return sql``;
  return sql`
      union select bug_id from bug_telemetry where kind = 'release_sha' and value like ${`${shaPrefix}%`}
      union select bug_id from bug_telemetry where kind = 'release_sha' and value = any(${shaPrefixes(shaPrefix)})`;
}

/** A full SHA typed in finds a bug that stored a shorter one: every prefix of 7 characters or more. */
function shaPrefixes(sha: string): string[] {
  const prefixes: string[] = [];
  for (let length = 7; length < sha.length; length++) prefixes.push(sha.slice(0, length));
  return prefixes;
}

/**
 * Ids of the bugs that mention this id of this kind (the agent API's trace_id, request_id, release_sha filters).
 * With `shaPrefix` (a release SHA typed as /bugs find takes it, lower-cased) a prefix matches the full SHA and a
 * full SHA a shorter one, as findBugIdsByTelemetry does.
 */
export async function findBugIdsWithTelemetry(
  em: EntityManager,
  kind: 'trace_id' | 'request_id' | 'release_sha',
  value: string,
  limit: number,
  shaPrefix: string | null = null,
): Promise<number[]> {
  const sha = shaPrefixMatches(shaPrefix);
  const result = await sql<{ bug_id: number }>`
    select bug_id from bug_telemetry where kind = ${kind} and value = ${value} ${sha}
    limit ${limit}`.execute(em.getKysely());
  return result.rows.map((row) => row.bug_id);
}
