import type { EntityManager } from '@mikro-orm/postgresql';
import type { AppContext } from '../app-context.ts';
import { bumpActivity, bumpClaimantActivity } from '../db/repositories/bug-activity.repository.ts';
import type { BugReport } from '../db/entities/index.ts';

export type BugActivity = {
  actorId: string;
  /** reporter or developer: only they keep a bug alive. */
  senderType: 'reporter' | 'developer';
  at: Date;
  source: 'message' | 'keep_open';
};

/**
 * Called inside the transaction that recorded reporter/developer activity on a bug (a new thread message,
 * a "Keep open" press). Restarts the inactivity clock; the sweep extends this to clear pending warnings and
 * reminders and to reopen a bug auto-closed within REOPEN_WITHIN.
 */
export async function onBugActivity(em: EntityManager, ctx: AppContext, bug: BugReport, activity: BugActivity): Promise<void> {
  void ctx;
  await bumpActivity(em, bug.id, activity.at);
  if (bug.claimantId && bug.claimantId === activity.actorId) await bumpClaimantActivity(em, bug.id, bug.claimantId, activity.at);
}
