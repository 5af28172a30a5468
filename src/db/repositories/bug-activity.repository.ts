// Keeps bug_reports.last_activity_at in step with the staleness definition (domain/staleness.ts), so the
// sweep's query is an index range scan instead of an aggregate over conversation rows.
import type { EntityManager } from '@mikro-orm/postgresql';
import { sql } from 'kysely';
import { ACTIVITY_EVENT_TYPES, ACTIVITY_SENDER_TYPES } from '../../domain/bug-activity.ts';
import { REOPEN_EVENT_TYPES } from '../../domain/turn.ts';
import type { BugReport } from '../entities/index.ts';

/**
 * Recomputes the activity times from scratch, for when activity is taken away (a deleted message, a reply
 * counted again). Same definition as `lastActivityAt` in domain/staleness.ts; test/integration/staleness.test.ts
 * proves they agree.
 *
 * Pass the bug as the caller's unit of work holds it (locked): its pending changes are flushed first, the row's
 * version goes up (a writer holding an older copy gets an OptimisticLockError and decides again), and the entity
 * is reloaded, so the caller can go on changing it and flush without tripping over its own version bump.
 */
export async function recomputeActivity(em: EntityManager, bug: BugReport): Promise<void> {
  await em.flush();
  await sql`
    update bug_reports b set
      last_activity_at = greatest(
        b.created_at,
        (select max(c.message_at) from bug_conversations c
          where c.bug_id = b.id and c.deleted_at is null and c.sender_type = any(${[...ACTIVITY_SENDER_TYPES]})),
        (select max(e.created_at) from bug_events e
          where e.bug_id = b.id and e.event_type = any(${[...ACTIVITY_EVENT_TYPES]}))),
      claimant_last_activity_at = case when b.claimant_id is null then null else greatest(
        b.claimed_at,
        (select max(c.message_at) from bug_conversations c
          where c.bug_id = b.id and c.deleted_at is null and c.sender_id = b.claimant_id
            and c.message_at >= b.claimed_at),
        (select max(e.created_at) from bug_events e
          where e.bug_id = b.id and e.event_type = 'bug.kept_open' and e.actor_id = b.claimant_id
            and e.created_at >= b.claimed_at)) end,
      version = b.version + 1
    where b.id = ${bug.id}`.execute(em.getKysely());
  await updateTurn(em, bug.id);
  await em.refreshOrFail(bug);
}

/**
 * Recomputes whose turn it is from the thread's messages still there and the bug's reopens (domain/turn.ts turnOf),
 * for when a message is taken away or one arrives older than the newest: the sender of the newest reporter or
 * developer message since the last reopen (developers when there is none), and since when (the message that handed
 * the turn over, else the last reopen, else the bug's creation). A nudge of a developers' turn that ended, or that
 * came before the last reopen, is forgotten. Without reopens, the same rules as the migration's backfill
 * (migrations/Migration20261203400000_turn.ts). The bug is flushed first and reloaded after, as recomputeActivity does.
 */
export async function recomputeTurn(em: EntityManager, bug: BugReport): Promise<void> {
  await em.flush();
  await updateTurn(em, bug.id);
  await em.refreshOrFail(bug);
}

async function updateTurn(em: EntityManager, bugId: number): Promise<void> {
  const kysely = em.getKysely();
  // The last reopen (domain/turn.ts REOPEN_EVENT_TYPES): a split is the duplicate's reopen, not its canonical bug's.
  const lastReopen = sql`(select max(e.created_at) as at from bug_events e
    where e.bug_id = ${bugId} and e.event_type = any(${[...REOPEN_EVENT_TYPES]})
      and (e.event_type <> 'bug.duplicate_split' or e.metadata->>'duplicateId' = ${String(bugId)})) r`;
  await sql`
    update bug_reports b set turn = coalesce(
      (select case when c.sender_type = 'developer' then 'reporter' else 'developers' end from bug_conversations c
        where c.bug_id = b.id and c.deleted_at is null and c.sender_type in ('reporter', 'developer')
          and c.message_at >= coalesce(r.at, '-infinity')
        order by c.message_at desc, c.id desc limit 1),
      'developers')
    from ${lastReopen}
    where b.id = ${bugId}`.execute(kysely);
  await sql`
    update bug_reports b set
      turn_since = case when b.turn = 'reporter' then coalesce(
        (select min(c.message_at) from bug_conversations c
          where c.bug_id = b.id and c.deleted_at is null and c.sender_type = 'developer'
            and c.message_at >= greatest(coalesce(r.at, '-infinity'), coalesce((select max(p.message_at)
              from bug_conversations p
              where p.bug_id = b.id and p.deleted_at is null and p.sender_type = 'reporter'), '-infinity'))),
        b.created_at)
      else greatest(b.created_at, coalesce(
        (select min(c.message_at) from bug_conversations c
          where c.bug_id = b.id and c.deleted_at is null and c.sender_type = 'reporter'
            and c.message_at >= (select max(d.message_at) from bug_conversations d
              where d.bug_id = b.id and d.deleted_at is null and d.sender_type = 'developer'
                and d.message_at >= coalesce(r.at, '-infinity'))),
        r.at, b.created_at)) end,
      nudged_at = case when b.turn = 'developers' and b.nudged_at >= coalesce(r.at, '-infinity') then b.nudged_at end,
      nudge_notice_id = case when b.turn = 'developers' and b.nudged_at >= coalesce(r.at, '-infinity')
        then b.nudge_notice_id end
    from ${lastReopen}
    where b.id = ${bugId}`.execute(kysely);
}
