// Duplicates: when a new report joins the group of an earlier one, and the pairs people said are not duplicates.
// Pure; the intake asks here with the group and its canonical bug as PostgreSQL has them under the group's lock.
import { type BugStatus, isUnresolved } from './bug-status.ts';

/** A group as stored in bug_report_dedup. */
export type DuplicateGroup = {
  fingerprint: string;
  canonicalBugId: number;
  occurrenceCount: number;
  firstSeenAt: Date;
  lastSeenAt: Date;
};

export type GroupingDecision =
  /** Linked to the group's canonical bug: the new report is closed as its duplicate. */
  | { kind: 'link'; canonicalBugId: number }
  /** The new report is the canonical bug of its fingerprint's group from now on (a new group, or a new start). */
  | { kind: 'start' };

/**
 * A new report with a fingerprint joins the group of that fingerprint when its canonical bug still has work left
 * (open, in progress or escalated), the group was last seen within the window, and nobody said these two are not
 * duplicates. Otherwise the new report becomes the group's canonical bug: a fixed or closed bug's fingerprint
 * seen again is a new problem, or the old one back, and either way wants its own bug.
 */
export function decideGrouping(input: {
  group: DuplicateGroup | null;
  canonical: { id: number; status: BugStatus } | null;
  now: Date;
  windowMs: number;
  notDuplicate: boolean;
}): GroupingDecision {
  const { group, canonical } = input;
  if (!group || !canonical || canonical.id !== group.canonicalBugId) return { kind: 'start' };
  if (!isUnresolved(canonical.status) || input.notDuplicate) return { kind: 'start' };
  if (input.now.getTime() - group.lastSeenAt.getTime() > input.windowMs) return { kind: 'start' };
  return { kind: 'link', canonicalBugId: canonical.id };
}

/** A "Not a duplicate" pair as stored: the smaller bug id first, so each pair has one row. */
export function notDuplicatePair(a: number, b: number): { bugId: number; otherBugId: number } {
  return a < b ? { bugId: a, otherBugId: b } : { bugId: b, otherBugId: a };
}

/** Who may say a duplicate is not one (button or `/bugs split`): its reporter, developers and admins. */
export function maySplitDuplicate(
  bug: { reporterId: string },
  actor: { id: string; isDeveloper: boolean; isAdmin: boolean },
): boolean {
  return actor.id === bug.reporterId || actor.isDeveloper || actor.isAdmin;
}

/** Who may merge one bug into another by hand (`/bugs merge`): developers and admins. */
export function mayMergeBugs(actor: { isDeveloper: boolean; isAdmin: boolean }): boolean {
  return actor.isDeveloper || actor.isAdmin;
}

/**
 * Trigram similarity (pg_trgm, 0 to 1) from which a recent bug's title in the same channel is suggested as a
 * possible duplicate. "Checkout freezes on Safari" and "Checkout page freezes in Safari" are about 0.6.
 */
export const NEAR_DUPLICATE_SIMILARITY = 0.5;
