// When a bug last showed life, and when that makes it stale.
import { countsAsActivity } from './bug-activity.ts';
import { type BugStatus, isSweepable } from './bug-status.ts';
import type { SenderType } from './sender-type.ts';

export type ActivityMessage = {
  senderType: SenderType;
  messageAt: Date;
  deletedAt?: Date | null;
};

/**
 * The moment a bug last showed life: its newest reporter or developer message that is still there,
 * or its creation when there is none. Bystanders and bots never count; an edit is not activity.
 * `extraActivity` holds non-message activity such as a "Keep open" press.
 *
 * This is the specification. Production never calls it: bug_reports.last_activity_at is kept up to date as
 * activity arrives (services/bug-activity.ts) and recomputed in SQL when activity is taken away
 * (db/repositories/bug-activity.repository.ts); test/integration/staleness.test.ts proves the SQL agrees with this.
 * Change the definition here and there together.
 */
export function lastActivityAt(
  createdAt: Date,
  messages: readonly ActivityMessage[],
  extraActivity: readonly Date[] = [],
): Date {
  let latest = createdAt.getTime();
  for (const message of messages) {
    if (message.deletedAt || !countsAsActivity(message.senderType)) continue;
    latest = Math.max(latest, message.messageAt.getTime());
  }
  for (const moment of extraActivity) latest = Math.max(latest, moment.getTime());
  return new Date(latest);
}

/** The staleness rule: idle for longer than the window, and still in a state the sweep looks at. */
export function isStale(bug: { status: BugStatus; lastActivityAt: Date }, now: Date, windowMs: number): boolean {
  return isSweepable(bug.status) && idleMs(bug.lastActivityAt, now) > windowMs;
}

export function idleMs(since: Date, now: Date): number {
  return now.getTime() - since.getTime();
}

/** The newest activity time a bug may have and still be stale at `now`: the repository query's bound. */
export function staleThreshold(now: Date, windowMs: number): Date {
  return new Date(now.getTime() - windowMs);
}
