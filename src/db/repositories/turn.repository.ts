// Reads about whose turn it is in a bug thread (issue 16): the developer message a reporter has not answered.
import type { EntityManager } from '@mikro-orm/postgresql';
import { BugConversation } from '../entities/index.ts';

/** The bug's newest developer message still there, or null. */
export async function findLastDeveloperMessage(em: EntityManager, bugId: number): Promise<BugConversation | null> {
  return em.findOne(
    BugConversation,
    { bugId, senderType: 'developer', deletedAt: null },
    { orderBy: { messageAt: 'desc', id: 'desc' } },
  );
}
