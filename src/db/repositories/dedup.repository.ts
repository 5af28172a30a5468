// Duplicate groups (bug_report_dedup), the links between bugs (bug_reports.duplicate_of_id) and the pairs people
// said are not duplicates (bug_not_duplicate_pairs). Grouping runs under the fingerprint's transaction lock
// (locks.ts), so these reads see every group committed before.
import type { EntityManager } from '@mikro-orm/postgresql';
import { sql } from 'kysely';
import type { DuplicateGroup } from '../../domain/duplicates.ts';
import { notDuplicatePair } from '../../domain/duplicates.ts';

type GroupRow = {
  fingerprint: string;
  canonical_bug_id: number;
  occurrence_count: number;
  first_seen_at: Date;
  last_seen_at: Date;
};

const toGroup = (row: GroupRow): DuplicateGroup => ({
  fingerprint: row.fingerprint,
  canonicalBugId: row.canonical_bug_id,
  occurrenceCount: row.occurrence_count,
  firstSeenAt: new Date(row.first_seen_at),
  lastSeenAt: new Date(row.last_seen_at),
});

export async function findGroupByFingerprint(em: EntityManager, fingerprint: string): Promise<DuplicateGroup | null> {
  const result = await sql<GroupRow>`
    select fingerprint, canonical_bug_id, occurrence_count, first_seen_at, last_seen_at
    from bug_report_dedup where fingerprint = ${fingerprint} for update`.execute(em.getKysely());
  return result.rows[0] ? toGroup(result.rows[0]) : null;
}

/** The new report is the group's canonical bug from now on: the group (re)starts with it, seen once. */
export async function startGroup(em: EntityManager, fingerprint: string, bugId: number, at: Date): Promise<void> {
  await sql`
    insert into bug_report_dedup (fingerprint, canonical_bug_id, occurrence_count, first_seen_at, last_seen_at)
    values (${fingerprint}, ${bugId}, 1, ${at}, ${at})
    on conflict (fingerprint) do update
      set canonical_bug_id = excluded.canonical_bug_id, occurrence_count = 1,
          first_seen_at = excluded.first_seen_at, last_seen_at = excluded.last_seen_at`.execute(em.getKysely());
}

/** One more report in the group. */
export async function countOccurrence(em: EntityManager, fingerprint: string, at: Date): Promise<void> {
  await sql`
    update bug_report_dedup
    set occurrence_count = occurrence_count + 1, last_seen_at = greatest(last_seen_at, ${at})
    where fingerprint = ${fingerprint}`.execute(em.getKysely());
}

/**
 * Keeps the group counts of a canonical bug in step after a merge or a split: `delta` reports more or fewer.
 * A bug merged by hand may have no group (no fingerprint); then there is nothing to count.
 */
export async function adjustGroupOfCanonical(
  em: EntityManager,
  canonicalBugId: number,
  delta: number,
  at: Date,
): Promise<void> {
  await sql`
    update bug_report_dedup
    set occurrence_count = greatest(1, occurrence_count + ${delta}),
        last_seen_at = case when ${delta} > 0 then greatest(last_seen_at, ${at}) else last_seen_at end
    where canonical_bug_id = ${canonicalBugId}`.execute(em.getKysely());
}

/** A canonical bug merged into another: its group, and every bug linked to it, move along. */
export async function moveDuplicates(em: EntityManager, fromBugId: number, toBugId: number): Promise<number[]> {
  const kysely = em.getKysely();
  const moved = await sql<{ id: number }>`
    update bug_reports set duplicate_of_id = ${toBugId}
    where duplicate_of_id = ${fromBugId} returning id`.execute(kysely);
  await sql`
    update bug_report_dedup set canonical_bug_id = ${toBugId} where canonical_bug_id = ${fromBugId}`.execute(kysely);
  return moved.rows.map((row) => row.id);
}

export async function isNotDuplicatePair(em: EntityManager, a: number, b: number): Promise<boolean> {
  const pair = notDuplicatePair(a, b);
  const result = await sql<{ found: number }>`
    select 1 as found from bug_not_duplicate_pairs
    where bug_id = ${pair.bugId} and other_bug_id = ${pair.otherBugId}`.execute(em.getKysely());
  return result.rows.length > 0;
}

export async function rememberNotDuplicate(
  em: EntityManager,
  a: number,
  b: number,
  decidedBy: string,
  at: Date,
): Promise<void> {
  const pair = notDuplicatePair(a, b);
  await sql`
    insert into bug_not_duplicate_pairs (bug_id, other_bug_id, decided_by, decided_at)
    values (${pair.bugId}, ${pair.otherBugId}, ${decidedBy}, ${at})
    on conflict (bug_id, other_bug_id) do nothing`.execute(em.getKysely());
}

/** A merge by hand overrides an earlier "Not a duplicate" between the same two bugs. */
export async function forgetNotDuplicate(em: EntityManager, a: number, b: number): Promise<void> {
  const pair = notDuplicatePair(a, b);
  await sql`
    delete from bug_not_duplicate_pairs
    where bug_id = ${pair.bugId} and other_bug_id = ${pair.otherBugId}`.execute(em.getKysely());
}

export type DuplicateSummary = {
  /** Reports of the same problem: the canonical bug and every bug linked to it. */
  occurrences: number;
  /** Everyone who reported it, the canonical bug's reporter first, then in the order they reported. */
  reporterIds: string[];
  /** When the latest of those reports came in. */
  lastReportedAt: Date;
};

/** What a canonical bug's card and the "Looks like" notice say: how often, by whom, and last when. */
export async function duplicateSummary(em: EntityManager, canonicalBugId: number): Promise<DuplicateSummary> {
  const result = await sql<{ reporter_id: string; created_at: Date; canonical: boolean }>`
    select reporter_id, created_at, id = ${canonicalBugId} as canonical from bug_reports
    where id = ${canonicalBugId} or duplicate_of_id = ${canonicalBugId}
    order by (id = ${canonicalBugId}) desc, created_at, id`.execute(em.getKysely());
  const reporterIds: string[] = [];
  let last = new Date(0);
  for (const row of result.rows) {
    if (!reporterIds.includes(row.reporter_id)) reporterIds.push(row.reporter_id);
    const at = new Date(row.created_at);
    if (at > last) last = at;
  }
  return { occurrences: result.rows.length, reporterIds, lastReportedAt: last };
}

export type NearDuplicate = { id: number; similarity: number };

/**
 * The most similar recent bug in the same channel by title (pg_trgm trigram similarity at least `threshold`, the
 * `%` operator so bug_reports_title_trgm_idx is used), that shares no fingerprint with the new one, is no
 * duplicate itself, is not closed, and was not said to be a different problem.
 */
export async function findNearDuplicate(
  em: EntityManager,
  bug: { id: number; channelId: string; title: string; fingerprint?: string | null },
  since: Date,
  threshold: number,
): Promise<NearDuplicate | null> {
  const kysely = em.getKysely();
  await sql`select set_config('pg_trgm.similarity_threshold', ${String(threshold)}, true)`.execute(kysely);
  const result = await sql<{ id: number; similarity: number }>`
    select b.id, similarity(b.title, ${bug.title}) as similarity
    from bug_reports b
    where b.title % ${bug.title}
      and b.channel_id = ${bug.channelId}
      and b.id <> ${bug.id}
      and b.created_at >= ${since}
      and b.status <> 'closed'
      and b.duplicate_of_id is null
      and (b.fingerprint is null or ${bug.fingerprint ?? null}::text is null or b.fingerprint <> ${bug.fingerprint ?? null})
      and not exists (
        select 1 from bug_not_duplicate_pairs p
        where p.bug_id = least(b.id, ${bug.id}) and p.other_bug_id = greatest(b.id, ${bug.id}))
    order by similarity desc, b.id desc
    limit 1`.execute(kysely);
  const row = result.rows[0];
  return row ? { id: row.id, similarity: Number(row.similarity) } : null;
}
