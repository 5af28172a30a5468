// The bug lifecycle: which transitions exist, who may make each (and who may press "Keep open"), and what each
// one changes. Pure: services load the bug, ask here, and write what comes back in one transaction with its event.
import { ACTIVITY_EVENT_TYPES, type ActivityTarget, effectsOfActivity } from './bug-activity.ts';
import type { BugEventType } from './bug-event-types.ts';
import { type BugStatus, type CloseReason, isSweepable, isUnresolved, statusWord } from './bug-status.ts';
import { agentNameOf } from './claimant.ts';

export const USER_ACTIONS = [
  'claim',
  'release',
  'resolve',
  'reopen',
  'escalate',
  'close',
  'verify',
  'still_broken',
] as const;
export type UserAction = (typeof USER_ACTIONS)[number];

/** Who acts. An agent (an API token, `agent:<name>`) works like a developer; with the `admin` scope like an admin. */
export type Actor = { id: string; isDeveloper: boolean; isAdmin: boolean; isAgent?: boolean };

export type LifecycleBug = {
  ref: string;
  status: BugStatus;
  reporterId: string;
  claimantId?: string | null;
  /** Set on a bug closed as another's duplicate: it comes back by a split, not a reopen. */
  duplicateOfId?: number | null;
};

/** What a permitted transition does. `claimant`: undefined keeps it, null clears it, a user id sets it. */
export type Transition = {
  action: UserAction;
  from: BugStatus;
  to: BugStatus;
  event: BugEventType;
  claimant?: string | null;
  closeReason?: CloseReason;
};

/** Restarting the inactivity clock is what an activity event does (the same list the SQL recompute reads). */
export function restartsInactivityClock(transition: Transition): boolean {
  return (ACTIVITY_EVENT_TYPES as readonly BugEventType[]).includes(transition.event);
}

/** What a person's action carries besides itself: a resolution's note and fix link, an escalation's or close's reason. */
export type TransitionDetails = { note?: string | null; link?: string | null; reason?: string | null };

export type Refusal = {
  /** `forbidden`: not this person's to do; `invalid`: not from this state; `noop`: already so. */
  kind: 'forbidden' | 'invalid' | 'noop';
  message: string;
};

export type LifecycleDecision = { ok: true; transition: Transition } | { ok: false; refusal: Refusal };

const refuse = (kind: Refusal['kind'], message: string): LifecycleDecision => ({
  ok: false,
  refusal: { kind, message },
});
const allow = (transition: Transition): LifecycleDecision => ({ ok: true, transition });

/**
 * Who may do what (README "Who may do what"):
 * - developers and admins claim and resolve;
 * - the claimant releases their own claim, admins release anyone's;
 * - the reporter, developers and admins reopen a resolved or closed bug;
 * - admins escalate and close by hand; the reporter may close their own bug as withdrawn;
 * - an agent's resolution (without the admin scope) waits for a person: the reporter, a developer or an admin
 *   verifies it (resolved) or says it is still broken (open again, back in the queue).
 */
export function decideTransition(bug: LifecycleBug, action: UserAction, actor: Actor): LifecycleDecision {
  const worker = actor.isDeveloper || actor.isAdmin;
  const isReporter = actor.id === bug.reporterId;
  const from = bug.status;
  const closedOrResolved = !isUnresolved(from);

  switch (action) {
    case 'claim':
      if (!worker) return refuse('forbidden', `Only developers can claim bugs. ${bug.ref} is waiting for one of them.`);
      if (closedOrResolved)
        return refuse('invalid', `${bug.ref} is ${statusWord(from)}. Reopen it first if there is more to do.`);
      if (from === 'awaiting_verification')
        return refuse('invalid', `${bug.ref} has a fix waiting for verification: verify it or say it is still broken.`);
      if (bug.claimantId === actor.id) return refuse('noop', `You already have ${bug.ref}.`);
      if (bug.claimantId) return refuse('invalid', `${bug.ref} is already claimed by ${claimantName(bug.claimantId)}.`);
      // An escalated bug stays escalated (and out of the sweep) while someone works on it.
      return allow({
        action,
        from,
        to: from === 'escalated' ? 'escalated' : 'in_progress',
        event: 'bug.claimed',
        claimant: actor.id,
      });

    case 'release':
      if (!bug.claimantId) return refuse('noop', `Nobody has claimed ${bug.ref}, so there is nothing to release.`);
      // A resolved or closed bug keeps its claimant for the record; releasing it must not reopen it.
      if (closedOrResolved)
        return refuse(
          'invalid',
          `${bug.ref} is ${statusWord(from)}; there is no claim to give back. Reopen it if there is more to do.`,
        );
      if (bug.claimantId !== actor.id && !actor.isAdmin) {
        return refuse(
          'forbidden',
          `${bug.ref} is claimed by ${claimantName(bug.claimantId)}; only they or an admin can release it.`,
        );
      }
      return allow({
        action,
        from,
        to: from === 'in_progress' ? 'open' : from,
        event: 'bug.released',
        claimant: null,
      });

    case 'resolve':
      if (!worker)
        return refuse(
          'forbidden',
          `Only developers can resolve bugs. If ${bug.ref} is no longer a problem for you, \`close\` it as withdrawn.`,
        );
      if (closedOrResolved) return refuse('noop', `${bug.ref} is already ${statusWord(from)}.`);
      // An agent's fix is not trusted blindly; an agent with the admin scope may resolve directly.
      if (actor.isAgent && !actor.isAdmin) {
        if (from === 'awaiting_verification') return refuse('noop', `${bug.ref} is already awaiting verification.`);
        return allow({ action, from, to: 'awaiting_verification', event: 'bug.resolved' });
      }
      return allow({ action, from, to: 'resolved', event: 'bug.resolved' });

    case 'verify':
    case 'still_broken':
      if (from !== 'awaiting_verification')
        return refuse('invalid', `${bug.ref} is ${statusWord(from)}; there is no fix waiting for verification.`);
      if (actor.isAgent) return refuse('forbidden', `A fix for ${bug.ref} is verified by a person, not an agent.`);
      if (!worker && !isReporter)
        return refuse('forbidden', `Only the reporter or a developer can verify the fix for ${bug.ref}.`);
      return action === 'verify'
        ? allow({ action, from, to: 'resolved', event: 'bug.verified' })
        : allow({ action, from, to: 'open', event: 'bug.verification_failed', claimant: null });

    case 'reopen':
      if (!worker && !isReporter) return refuse('forbidden', `Only the reporter or a developer can reopen ${bug.ref}.`);
      if (actor.isAgent && !actor.isAdmin)
        return refuse('forbidden', `Reopening ${bug.ref} needs a token with the admin scope.`);
      if (!closedOrResolved) return refuse('noop', `${bug.ref} is ${statusWord(from)}, not resolved or closed.`);
      if (bug.duplicateOfId)
        return refuse(
          'invalid',
          `${bug.ref} is closed as a duplicate of BUG-${bug.duplicateOfId}. If it is a different problem, press *Not a duplicate* in its thread or use \`/bugs split ${bug.ref}\`.`,
        );
      return allow({ action, from, to: 'open', event: 'bug.reopened', claimant: null });

    case 'escalate':
      if (!actor.isAdmin) return refuse('forbidden', `Only bugsweep admins can escalate ${bug.ref}.`);
      if (from === 'escalated') return refuse('noop', `${bug.ref} is already escalated.`);
      if (closedOrResolved) return refuse('invalid', `${bug.ref} is ${statusWord(from)}. Reopen it before escalating.`);
      return allow({ action, from, to: 'escalated', event: 'bug.escalated' });

    case 'close':
      if (from === 'closed') return refuse('noop', `${bug.ref} is already closed.`);
      if (actor.isAdmin) return allow({ action, from, to: 'closed', event: 'bug.closed', closeReason: 'manual' });
      if (isReporter) {
        if (from === 'resolved') return refuse('noop', `${bug.ref} is already resolved.`);
        return allow({ action, from, to: 'closed', event: 'bug.withdrawn', closeReason: 'withdrawn' });
      }
      return refuse('forbidden', `Only the reporter (to withdraw it) or a bugsweep admin can close ${bug.ref}.`);
  }
}

function claimantName(claimantId: string): string {
  const agent = agentNameOf(claimantId);
  return agent === null ? `<@${claimantId}>` : `agent ${agent}`;
}

export type KeepOpenBug = ActivityTarget & { ref: string; reporterId: string };

export type KeepOpenDecision = { ok: true } | { ok: false; refusal: Refusal };

/**
 * "Keep open" on an inactivity warning: the reporter, a developer or the claimant may press it (it counts as
 * their activity; an admin who is none of those is a bystander here). It applies while the sweep still looks at
 * the bug, or, after an auto-close, within REOPEN_WITHIN, where it works like a reply and reopens the bug.
 */
export function decideKeepOpen(
  bug: KeepOpenBug,
  actor: Pick<Actor, 'id' | 'isDeveloper'>,
  now: Date,
  reopenWithinMs: number,
): KeepOpenDecision {
  const mayKeep = actor.id === bug.reporterId || actor.isDeveloper || actor.id === bug.claimantId;
  if (!mayKeep) {
    return {
      ok: false,
      refusal: {
        kind: 'forbidden',
        message: `Thanks! Only <@${bug.reporterId}> or a developer can keep ${bug.ref} open; a reply from one of them in the thread works too.`,
      },
    };
  }
  const reopens = effectsOfActivity(bug, actor.id, now, reopenWithinMs).reopens;
  if (!isSweepable(bug.status) && !reopens) {
    return {
      ok: false,
      refusal: {
        kind: 'invalid',
        message: `${bug.ref} is ${bug.status === 'closed' ? 'closed; press Reopen on its card if it still matters' : 'no longer waiting to be closed for inactivity'}.`,
      },
    };
  }
  return { ok: true };
}

/** The fields a move into `to` resets, so a reopened bug does not carry a closed bug's leftovers. */
export function statusTimestamps(
  to: BugStatus,
  at: Date,
): { resolvedAt?: Date | null; closedAt?: Date | null; closeReason?: null } {
  switch (to) {
    case 'resolved':
      return { resolvedAt: at, closedAt: null, closeReason: null };
    case 'closed':
      return { closedAt: at };
    case 'open':
    case 'in_progress':
    case 'awaiting_verification':
      return { resolvedAt: null, closedAt: null, closeReason: null };
    case 'escalated':
      return {};
  }
}

/** The action that moves a bug to `target` (the API's PATCH speaks in statuses); null when none could. */
export function actionForTarget(bug: LifecycleBug, target: BugStatus): UserAction | null {
  switch (target) {
    case 'in_progress':
      return 'claim';
    case 'open':
      if (bug.status === 'awaiting_verification') return 'still_broken';
      return isUnresolved(bug.status) ? 'release' : 'reopen';
    case 'resolved':
      return bug.status === 'awaiting_verification' ? 'verify' : 'resolve';
    case 'awaiting_verification':
      return 'resolve';
    case 'closed':
      return 'close';
    case 'escalated':
      return 'escalate';
  }
}

/** The statuses this actor may move the bug to now (for a refusal that says what would work). */
export function allowedTargets(bug: LifecycleBug, actor: Actor): BugStatus[] {
  const statuses: BugStatus[] = ['open', 'in_progress', 'awaiting_verification', 'resolved', 'escalated', 'closed'];
  return statuses.filter((target) => {
    const action = actionForTarget(bug, target);
    if (!action) return false;
    const decision = decideTransition(bug, action, actor);
    return decision.ok && decision.transition.to === target;
  });
}
