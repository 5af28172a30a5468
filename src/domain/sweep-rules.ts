// What the sweep does to one bug, decided from the bug's state, the settings in force and `now` alone.
// Small pure predicates, each one rule; the sweep runner asks them twice: when planning, and again inside the
// transaction that acts, on the bug as it is at that moment.
import { type BugStatus, isSweepable } from './bug-status.ts';
import {
  addBusinessMs,
  type BusinessCalendar,
  businessMsBetween,
  subtractBusinessMs,
  WALL_CLOCK,
} from './business-hours.ts';
import { type EngagementCounts, type EngagementRule, isEngagementExempt } from './engagement.ts';
import type { AutoClosePolicy, Turn } from './turn.ts';

export type SweepSettings = {
  autoCloseAfterMs: number;
  /** 0: no warning, bugs close as soon as they are stale. */
  autoCloseWarningMs: number;
  claimReleaseAfterMs: number;
  /** 0: no reminder before a claim is released. */
  claimReminderMs: number;
  /** AUTO_CLOSE_POLICY; `any` when left out. */
  autoClosePolicy?: AutoClosePolicy;
  /** DEVELOPER_NUDGE_AFTER (0: no nudges); only under `waiting-on-reporter`. */
  developerNudgeAfterMs?: number;
  /**
   * What the clocks count (BUSINESS_HOURS): every duration above is time on this calendar, and so is every idle
   * time, warning period and stated time computed from them. WALL_CLOCK when left out.
   */
  calendar?: BusinessCalendar;
  /** ENGAGEMENT_EXEMPT: a bug this many people care about is never warned or closed for silence. */
  engagementExempt?: EngagementRule | null;
};

/** Time on the settings' calendar from `from` to `to` (business time, or plain subtraction on the wall clock). */
export function elapsedMs(from: Date, to: Date, settings: SweepSettings): number {
  return businessMsBetween(from, to, settings.calendar ?? WALL_CLOCK);
}

/** The first instant at which `ms` of the settings' time has passed since `from`. */
export function laterBy(from: Date, ms: number, settings: SweepSettings): Date {
  return addBusinessMs(from, ms, settings.calendar ?? WALL_CLOCK);
}

/**
 * The range scan's bound: a moment `x` has more than `ms` of the settings' time before `now` exactly when
 * `x < clockThreshold(now, ms)` (staleThreshold on the wall clock).
 */
export function clockThreshold(now: Date, ms: number, settings: SweepSettings): Date {
  return subtractBusinessMs(now, ms, settings.calendar ?? WALL_CLOCK);
}

/** The next scheduled sweep at or after a moment: stated times are the times things really happen. */
export type NextSweepAt = (moment: Date) => Date;

export type InactivityState = {
  status: BugStatus;
  lastActivityAt: Date;
  warnedAt?: Date | null;
  autoCloseAt?: Date | null;
  /** When the warning reached the thread (its notice's sent_at); null while it has not. */
  warningVisibleSince: Date | null;
  /** The warning notice failed for good (archived channel, bot removed). */
  warningUndeliverable: boolean;
  /** Whose turn it is; under `waiting-on-reporter` only the reporter's turn is warned and closed. */
  turn?: Turn;
  /** Reactions and bystanders affected too, for ENGAGEMENT_EXEMPT. */
  engagement?: EngagementCounts;
};

export type InactivityDecision =
  | { kind: 'warn'; closesAt: Date }
  | { kind: 'close'; idleMs: number }
  | { kind: 'wait'; reason: string; closesAt: Date | null }
  | { kind: 'none' };

export function decideInactivity(
  bug: InactivityState,
  now: Date,
  settings: SweepSettings,
  nextSweepAt: NextSweepAt,
): InactivityDecision {
  if (!isSweepable(bug.status)) return { kind: 'none' };
  if (!closesOnSilence(bug, settings)) return { kind: 'none' };
  const idle = elapsedMs(bug.lastActivityAt, now, settings);
  const after = settings.autoCloseAfterMs;
  const warning = settings.autoCloseWarningMs;
  if (warning === 0) return idle > after ? { kind: 'close', idleMs: idle } : { kind: 'none' };

  // A warning issued before the latest activity is history, whatever the row still says.
  const current = Boolean(bug.warnedAt) && bug.warnedAt!.getTime() >= bug.lastActivityAt.getTime();
  // One Slack refused for good (bot removed, channel archived) is no warning at all: never close on it; try
  // again once a warning period has passed, not every run (that would spend every run's budget on it).
  if (current && bug.warningUndeliverable && elapsedMs(bug.warnedAt!, now, settings) < warning) {
    return { kind: 'wait', reason: 'the warning could not be posted; trying again later', closesAt: null };
  }
  const warned = current && !bug.warningUndeliverable;
  if (!warned) {
    if (idle <= after - warning) return { kind: 'none' };
    // Closing needs idle > after (strictly): the first moment that holds is a millisecond past the edge.
    const eligible = Math.max(
      laterBy(bug.lastActivityAt, after + 1, settings).getTime(),
      laterBy(now, warning, settings).getTime(),
    );
    return { kind: 'warn', closesAt: nextSweepAt(new Date(eligible)) };
  }
  const closesAt = bug.autoCloseAt ?? null;
  if (!bug.warningVisibleSince) return { kind: 'wait', reason: 'the warning is not posted yet', closesAt };
  // Only after the warning has been visible for the whole warning period, and never before the time it named.
  if (elapsedMs(bug.warningVisibleSince, now, settings) < warning)
    return { kind: 'wait', reason: 'warned; the warning period is running', closesAt };
  if (closesAt && now.getTime() < closesAt.getTime())
    return { kind: 'wait', reason: 'warned; closes at the time the warning named', closesAt };
  if (idle <= after)
    return { kind: 'wait', reason: 'warned; not idle long enough under the current settings', closesAt };
  return { kind: 'close', idleMs: idle };
}

/**
 * Under `waiting-on-reporter` a bug waiting on developers is never warned or closed (it is nudged instead); nor,
 * under any policy, is a bug exempt by engagement (ENGAGEMENT_EXEMPT).
 */
export function closesOnSilence(bug: { turn?: Turn; engagement?: EngagementCounts }, settings: SweepSettings): boolean {
  if (settings.engagementExempt && bug.engagement && isEngagementExempt(bug.engagement, settings.engagementExempt))
    return false;
  return (settings.autoClosePolicy ?? 'any') === 'any' || bug.turn === 'reporter';
}

export type ClaimState = {
  status: BugStatus;
  claimantId?: string | null;
  claimedAt?: Date | null;
  claimantLastActivityAt?: Date | null;
  remindedAt?: Date | null;
  /** The release time the reminder stated: like a warning's close time, the claim is never released earlier. */
  claimReleaseAt?: Date | null;
};

export type ClaimDecision =
  | { kind: 'remind'; claimantId: string; quietSince: Date; releaseAt: Date }
  | { kind: 'release'; claimantId: string; quietSince: Date; idleMs: number }
  | { kind: 'none' };

/** The claimant's last sign of life on the bug: their own message, a Keep open press, or the claim itself. */
export function claimQuietSince(bug: ClaimState): Date | null {
  return bug.claimantLastActivityAt ?? bug.claimedAt ?? null;
}

export function decideClaim(
  bug: ClaimState,
  now: Date,
  settings: SweepSettings,
  nextSweepAt: NextSweepAt,
): ClaimDecision {
  // Escalated bugs keep their claim: the sweep leaves them alone.
  if (bug.status !== 'in_progress' || !bug.claimantId) return { kind: 'none' };
  const quietSince = claimQuietSince(bug);
  if (!quietSince) return { kind: 'none' };
  const idle = elapsedMs(quietSince, now, settings);
  const after = settings.claimReleaseAfterMs;
  const reminder = settings.claimReminderMs;
  const remindedSinceQuiet = Boolean(bug.remindedAt) && bug.remindedAt!.getTime() >= quietSince.getTime();
  // Like staleness, strictly longer than the window; and never before the time a reminder named.
  if (idle > after) {
    const named = remindedSinceQuiet ? (bug.claimReleaseAt ?? null) : null;
    if (named && now.getTime() < named.getTime()) return { kind: 'none' };
    return { kind: 'release', claimantId: bug.claimantId, quietSince, idleMs: idle };
  }
  if (reminder > 0 && idle > after - reminder && !remindedSinceQuiet) {
    // Release needs idle > after (strictly): name the first sweep at which that holds.
    return {
      kind: 'remind',
      claimantId: bug.claimantId,
      quietSince,
      releaseAt: nextSweepAt(laterBy(quietSince, after + 1, settings)),
    };
  }
  return { kind: 'none' };
}

/** Orphaned claims are the ones the sweep would release now; the admin's /bugs release lists the same. */
export function isOrphanedClaim(bug: ClaimState, now: Date, settings: SweepSettings): boolean {
  return decideClaim(bug, now, settings, (moment) => moment).kind === 'release';
}
