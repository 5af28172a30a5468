// Keeps bug_reports.last_activity_at in step with the staleness definition (domain/staleness.ts), so the
// sweep's query is an index range scan instead of an aggregate over conversation rows.
import type { EntityManager } from '@mikro-orm/postgresql';
import { ACTIVITY_EVENT_TYPES, ACTIVITY_SENDER_TYPES } from '../../domain/bug-activity.ts';

/**
 * Recomputes the activity times from scratch, for when activity is taken away (a deleted message).
 * Same definition as `lastActivityAt` in domain/staleness.ts; test/integration/staleness.test.ts proves they agree.
 */
export async function recomputeActivity(em: EntityManager, bugId: number): Promise<void> {
  await em.execute(
    `update bug_reports b set
       last_activity_at = greatest(
         b.created_at,
         (select max(c.message_at) from bug_conversations c
           where c.bug_id = b.id and c.deleted_at is null and c.sender_type = any(?::text[])),
         (select max(e.created_at) from bug_events e
           where e.bug_id = b.id and e.event_type = any(?::text[]))),
       claimant_last_activity_at = case when b.claimant_id is null then null else greatest(
         b.claimed_at,
         (select max(c.message_at) from bug_conversations c
           where c.bug_id = b.id and c.deleted_at is null and c.sender_id = b.claimant_id
             and c.message_at >= b.claimed_at),
         (select max(e.created_at) from bug_events e
           where e.bug_id = b.id and e.event_type = 'bug.kept_open' and e.actor_id = b.claimant_id
             and e.created_at >= b.claimed_at)) end,
       version = b.version + 1
     where b.id = ?`,
    [toArray(ACTIVITY_SENDER_TYPES), toArray(ACTIVITY_EVENT_TYPES), bugId],
  );
}

function toArray(values: readonly string[]): string {
  return `{${values.join(',')}}`;
}
