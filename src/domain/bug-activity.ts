// Activity: what counts as a bug's sign of life, and what one does besides restarting its inactivity clock.
// The definition of "last activity" itself is in staleness.ts (production keeps it in SQL, see there).
import type { BugEventType } from './bug-event-types.ts';
import type { BugStatus, CloseReason } from './bug-status.ts';
import type { SenderType } from './sender-type.ts';

/** Only these senders' messages keep a bug alive; bystanders and bots never do. */
export const ACTIVITY_SENDER_TYPES = ['reporter', 'developer'] as const satisfies readonly SenderType[];

export function countsAsActivity(type: SenderType): boolean {
  return (ACTIVITY_SENDER_TYPES as readonly SenderType[]).includes(type);
}

/**
 * Lifecycle events that restart a bug's inactivity clock besides reporter/developer messages:
 * a claim, a reopen, "Still broken" on an agent's fix and a "Keep open" press are all someone saying "this is alive".
 */
export const ACTIVITY_EVENT_TYPES = [
  'bug.claimed',
  'bug.reopened',
  'bug.verification_failed',
  'bug.auto_reopened',
  'bug.kept_open',
] as const satisfies readonly BugEventType[];

/** Why a pending inactivity warning stopped applying (its message is edited to say so). */
export type WarningClearedWhy = 'reply' | 'keep_open' | 'claim' | 'status';

/** Why a pending claim reminder stopped applying. */
export type ReminderClearedWhy = 'activity' | 'released' | 'status';

export type ActivityTarget = {
  status: BugStatus;
  closeReason?: CloseReason | null;
  closedAt?: Date | null;
  claimantId?: string | null;
  warnedAt?: Date | null;
  remindedAt?: Date | null;
};

export type ActivityEffects = {
  /** The actor holds the claim: their claim is alive again. */
  keepsClaimAlive: boolean;
  /** A pending inactivity warning no longer applies. */
  clearsWarning: boolean;
  /** A pending claim reminder no longer applies (only the claimant's own activity clears it). */
  clearsReminder: boolean;
  /** An auto-closed bug comes back when its people speak up soon enough. */
  reopens: boolean;
};

export function effectsOfActivity(
  bug: ActivityTarget,
  actorId: string,
  at: Date,
  reopenWithinMs: number,
): ActivityEffects {
  const isClaimant = Boolean(bug.claimantId) && bug.claimantId === actorId;
  const reopens =
    bug.status === 'closed' &&
    bug.closeReason === 'inactivity' &&
    Boolean(bug.closedAt) &&
    reopenWithinMs > 0 &&
    at.getTime() - bug.closedAt!.getTime() <= reopenWithinMs;
  return {
    keepsClaimAlive: isClaimant,
    clearsWarning: Boolean(bug.warnedAt),
    clearsReminder: isClaimant && Boolean(bug.remindedAt),
    reopens,
  };
}
