// Late replies and follow-ups (issue 16): the private offer given once per (bug, person), and the follow-up bug.
import type { EntityManager } from '@mikro-orm/postgresql';
import { sql } from 'kysely';
import { BugReport } from '../entities/index.ts';

/** Records the offer; false when this person was already offered a follow-up for this bug. */
export async function recordFollowUpOffer(
  em: EntityManager,
  offer: { bugId: number; userId: string; replyTs: string; at: Date },
): Promise<boolean> {
  const inserted = await sql`
    insert into follow_up_offers (bug_id, user_id, reply_ts, created_at)
    values (${offer.bugId}, ${offer.userId}, ${offer.replyTs}, ${offer.at})
    on conflict do nothing`.execute(em.getKysely());
  return Number(inserted.numAffectedRows ?? 0) > 0;
}

/** The follow-up filed for this bug, if any. */
export function findFollowUp(em: EntityManager, bugId: number): Promise<BugReport | null> {
  return em.findOne(BugReport, { followUpOf: bugId });
}
