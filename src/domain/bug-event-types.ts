// The audit trail's vocabulary: who acted (actor kind) and what happened (event type) in bug_events.
import { agentNameOf } from './claimant.ts';
export const ACTOR_KINDS = ['user', 'admin', 'system', 'agent'] as const;
export type ActorKind = (typeof ACTOR_KINDS)[number];

/**
 * Nobody (the sweep, the bot itself) is `system`; an agent (`agent:<name>`, domain/claimant.ts) is `agent`; a person
 * is `admin` when listed in ADMIN_USERS, else `user`.
 */
export function actorKindOf(actorId: string | null, adminIds: readonly string[]): ActorKind {
  if (!actorId) return 'system';
  if (agentNameOf(actorId) !== null) return 'agent';
  return adminIds.includes(actorId) ? 'admin' : 'user';
}

/** Every audit event type the bot writes to bug_events. */
export const BUG_EVENT_TYPES = [
  'bug.created',
  /** Brought in from the old flat-file reports by `npm run import` (metadata: legacyId, file). */
  'bug.imported',
  /** An imported bug posted to Slack as a new thread (metadata: channelId, threadTs). */
  'bug.thread_started',
  'bug.claimed',
  'bug.released',
  'bug.resolved',
  'bug.reopened',
  'bug.escalated',
  'bug.closed',
  'bug.withdrawn',
  'bug.kept_open',
  'bug.warned',
  'bug.warning_cleared',
  'bug.auto_closed',
  'bug.auto_reopened',
  'bug.note_added',
  'bug.verified',
  'bug.verification_failed',
  'bug.automation_changed',
  'bug.severity_changed',
  'bug.updated',
  'agent.gave_up',
  'claim.reminded',
  'claim.timeout_released',
  'bug.developers_nudged',
  'bug.nudge_withdrawn',
  'bug.duplicate_linked',
  'bug.duplicate_split',
  'bug.near_duplicate_suggested',
  'bug.severity_changed',
  'bug.sla_breached',
] as const;
export type BugEventType = (typeof BUG_EVENT_TYPES)[number];
