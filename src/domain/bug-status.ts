// A bug's status, severity and close reason, and the sets of statuses the rules ask about. Each set is defined
// here once; the lifecycle, the sweep and the lists all ask these.
export const BUG_STATUSES = [
  'open',
  'in_progress',
  'resolved',
  'closed',
  'escalated',
  'awaiting_verification',
] as const;
export type BugStatus = (typeof BUG_STATUSES)[number];

/**
 * Statuses the sweep looks at; resolved, closed and escalated bugs are never swept. An agent's fix waiting for
 * verification is warned and closed like an idle open bug (closing it counts as resolved, reason `unverified`).
 */
export const SWEEPABLE_STATUSES = [
  'open',
  'in_progress',
  'awaiting_verification',
] as const satisfies readonly BugStatus[];

/**
 * Statuses whose SLA clock runs (issue 15, domain/sla.ts): open and in progress. Resolving (an agent's fix awaiting
 * verification too), closing and escalating stop it.
 */
export const SLA_STATUSES = ['open', 'in_progress'] as const satisfies readonly BugStatus[];

export function hasRunningSla(status: BugStatus): boolean {
  return (SLA_STATUSES as readonly BugStatus[]).includes(status);
}

/** Statuses with work left: everything but resolved and closed (lists, App Home, what may be claimed). */
export const UNRESOLVED_STATUSES = [
  'open',
  'in_progress',
  'escalated',
  'awaiting_verification',
] as const satisfies readonly BugStatus[];

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const CLOSE_REASONS = ['inactivity', 'withdrawn', 'manual', 'duplicate', 'unverified'] as const;
export type CloseReason = (typeof CLOSE_REASONS)[number];

export function isSweepable(status: BugStatus): boolean {
  return (SWEEPABLE_STATUSES as readonly BugStatus[]).includes(status);
}

/** Not yet resolved or closed. */
export function isUnresolved(status: BugStatus): boolean {
  return (UNRESOLVED_STATUSES as readonly BugStatus[]).includes(status);
}

export const STATUS_LABELS: Record<BugStatus, string> = {
  open: 'Open',
  in_progress: 'In progress',
  resolved: 'Resolved',
  closed: 'Closed',
  escalated: 'Escalated',
  awaiting_verification: 'Awaiting verification',
};

/** The status inside a sentence: "BUG-42 is in progress". */
export function statusWord(status: BugStatus): string {
  return STATUS_LABELS[status].toLowerCase();
}
