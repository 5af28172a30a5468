import type { BugEventType } from './bug-event-types.ts';

/**
 * Lifecycle events that restart a bug's inactivity clock besides reporter/developer messages:
 * a claim, a reopen and a "Keep open" press are all someone saying "this is alive".
 */
export const ACTIVITY_EVENT_TYPES = [
  'bug.claimed',
  'bug.reopened',
  'bug.auto_reopened',
  'bug.kept_open',
] as const satisfies readonly BugEventType[];
