// The SLA clock on a bug, kept in step with its status and severity inside the caller's transaction (the rules
// are domain/sla.ts). Every place that changes a bug's status or severity calls one of these with the bug it is
// changing, before its flush: intake, people's transitions, the sweep's auto-close, the auto-reopen on a reply,
// changeSeverity.
import type { AppContext } from '../app-context.ts';
import type { BugReport } from '../db/entities/index.ts';
import type { BugStatus, Severity } from '../domain/bug-status.ts';
import {
  type SlaClock,
  slaClockAfterSeverityChange,
  slaClockAfterStatusChange,
  slaClockAtIntake,
} from '../domain/sla.ts';

/** The clock of a bug being filed now. */
export function slaClockForNewBug(ctx: AppContext, severity: Severity, createdAt: Date): SlaClock {
  return slaClockAtIntake(severity, createdAt, ctx.config.sla);
}

/** After `bug.status` went from `from` to its current value: stopped, restarted (a reopen) or unchanged. */
export function applySlaStatusChange(ctx: AppContext, bug: BugReport, from: BugStatus, now: Date): void {
  Object.assign(bug, slaClockAfterStatusChange(bug, from, bug.status, now, ctx.config.sla));
}

/** After `bug.severity` changed: the same start, the new severity's due time. */
export function applySlaSeverityChange(ctx: AppContext, bug: BugReport): void {
  Object.assign(bug, slaClockAfterSeverityChange(bug, bug.severity, ctx.config.sla));
}
