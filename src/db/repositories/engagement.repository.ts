// Engagement counts (issue 16, ENGAGEMENT_EXEMPT), kept as reactions and replies come in: each change writes its
// row and recounts that one bug's column under the bug's row lock, so the sweep reads a column and never aggregates.
import type { EntityManager } from '@mikro-orm/postgresql';
import { sql } from 'kysely';

export type ReactionChange = { channelId: string; ts: string; userId: string; reaction: string };

/**
 * A reaction added to (`added`) or removed from a bug's root message, in the caller's transaction: the bug's row is
 * locked, the reaction row written or deleted, and `reactors` recounted (distinct users, the reporter and `botUserId`
 * aside). The bug and its new count when the message is a bug's root and the count changed; otherwise null.
 */
export async function changeReaction(
  em: EntityManager,
  change: ReactionChange & { added: boolean; botUserId: string },
): Promise<{ bugId: number; reactors: number } | null> {
  const kysely = em.getKysely();
  const bug = await sql<{ id: number; reactors: number }>`
    select id, reactors from bug_reports where channel_id = ${change.channelId} and thread_ts = ${change.ts}
    for update`.execute(kysely);
  const row = bug.rows[0];
  if (!row) return null;
  const bugId = Number(row.id);
  const written = change.added
    ? await sql`
        insert into bug_reactions (bug_id, user_id, reaction) values (${bugId}, ${change.userId}, ${change.reaction})
        on conflict do nothing`.execute(kysely)
    : await sql`
        delete from bug_reactions
        where bug_id = ${bugId} and user_id = ${change.userId} and reaction = ${change.reaction}`.execute(kysely);
  if (Number(written.numAffectedRows ?? 0) === 0) return null;
  const counted = await sql<{ reactors: number }>`
    update bug_reports b set reactors = (
      select count(distinct r.user_id) from bug_reactions r
      where r.bug_id = b.id and r.user_id <> b.reporter_id and r.user_id <> ${change.botUserId})
    where b.id = ${bugId}
    returning b.reactors`.execute(kysely);
  const reactors = Number(counted.rows[0]?.reactors ?? 0);
  return reactors === Number(row.reactors) ? null : { bugId, reactors };
}

/** A bystander said they are affected too: counted once per person. True when this is their first time. */
export async function addAffectedReporter(
  em: EntityManager,
  affected: { bugId: number; userId: string; at: Date },
): Promise<boolean> {
  const kysely = em.getKysely();
  const inserted = await sql`
    insert into bug_affected (bug_id, user_id, created_at) values (${affected.bugId}, ${affected.userId}, ${affected.at})
    on conflict do nothing`.execute(kysely);
  if (Number(inserted.numAffectedRows ?? 0) === 0) return false;
  await sql`update bug_reports set affected_reporters = affected_reporters + 1 where id = ${affected.bugId}`.execute(
    kysely,
  );
  return true;
}
