// SLA due times by severity (SLA_CRITICAL, SLA_HIGH, SLA_MEDIUM, SLA_LOW; issue 15): the time by which a bug
// should be resolved. The clock starts at intake and starts again when a resolved or closed bug is reopened; it
// stops (no due time) while a bug is resolved, closed or escalated. A severity change keeps the clock's start and
// recomputes the due time from it. A bug past its due time is announced once per due time.
import { type BugStatus, hasRunningSla, type Severity } from './bug-status.ts';

/** Time to resolution per severity in milliseconds; 0 means that severity has no due time. */
export type SlaSettings = Readonly<Record<Severity, number>>;

/** What the rules read and write on a bug. */
export type SlaClock = {
  /** When the current clock started: intake, or the last reopen. Null while stopped. */
  slaStartedAt?: Date | null;
  slaDueAt?: Date | null;
};

export const STOPPED_SLA_CLOCK = Object.freeze({ slaStartedAt: null, slaDueAt: null });

/** The due time of a clock started at `startedAt` for this severity; null when the severity has none. */
export function slaDueAt(severity: Severity, startedAt: Date, settings: SlaSettings): Date | null {
  const ms = settings[severity];
  return ms > 0 ? new Date(startedAt.getTime() + ms) : null;
}

/** The clock of a new bug. */
export function slaClockAtIntake(severity: Severity, createdAt: Date, settings: SlaSettings): SlaClock {
  return { slaStartedAt: createdAt, slaDueAt: slaDueAt(severity, createdAt, settings) };
}

/**
 * The clock after a status change: stopped when the bug leaves open/in progress (resolved, closed, escalated),
 * started again from `now` when it comes back to them (a reopen), unchanged otherwise (claim, release).
 */
export function slaClockAfterStatusChange(
  bug: SlaClock & { severity: Severity },
  from: BugStatus,
  to: BugStatus,
  now: Date,
  settings: SlaSettings,
): SlaClock {
  if (!hasRunningSla(to)) return STOPPED_SLA_CLOCK;
  if (!hasRunningSla(from)) return { slaStartedAt: now, slaDueAt: slaDueAt(bug.severity, now, settings) };
  return { slaStartedAt: bug.slaStartedAt ?? null, slaDueAt: bug.slaDueAt ?? null };
}

/** The clock after a severity change: the same start, the new severity's due time (none while stopped). */
export function slaClockAfterSeverityChange(bug: SlaClock, severity: Severity, settings: SlaSettings): SlaClock {
  if (!bug.slaStartedAt) return STOPPED_SLA_CLOCK;
  return { slaStartedAt: bug.slaStartedAt, slaDueAt: slaDueAt(severity, bug.slaStartedAt, settings) };
}

export type SlaBreachState = {
  status: BugStatus;
  slaDueAt?: Date | null;
  /** The due time whose breach was already announced. */
  slaBreachNotifiedFor?: Date | null;
};

/** An open or in-progress bug past its due time whose breach of that due time has not been announced. */
export function isSlaBreachDue(bug: SlaBreachState, now: Date): boolean {
  if (!hasRunningSla(bug.status) || !bug.slaDueAt) return false;
  if (bug.slaDueAt.getTime() > now.getTime()) return false;
  return bug.slaBreachNotifiedFor?.getTime() !== bug.slaDueAt.getTime();
}

/** Past its due time and still open or in progress (announced or not): the App Home's and the alerts' count. */
export function isSlaBreached(bug: Pick<SlaBreachState, 'status' | 'slaDueAt'>, now: Date): boolean {
  return hasRunningSla(bug.status) && !!bug.slaDueAt && bug.slaDueAt.getTime() <= now.getTime();
}
