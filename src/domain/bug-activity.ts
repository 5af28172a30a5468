// What a reporter's or developer's sign of life does to a bug besides restarting its inactivity clock.

export type ActivityTarget = {
  status: string;
  closeReason?: string | null;
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
