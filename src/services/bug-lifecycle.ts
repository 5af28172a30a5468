// People moving bugs through the lifecycle (claim, release, resolve, reopen, escalate, close) and pressing
// "Keep open". Each change is one transaction with its bug_events row and the notices it owes; Slack hears
// about it after commit. Writes are optimistic on the bug's version: of two people pressing Claim at once,
// the second write fails, is retried against the bug's current state, and that person is told who has it.
import { OptimisticLockError } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { AppContext } from '../app-context.ts';
import { BugReport } from '../db/entities/index.ts';
import { bugRefFor, lockBug } from '../db/repositories/bug-report.repository.ts';
import { lockNextWorkItem } from '../db/repositories/work-queue.repository.ts';
import { hasScope } from '../domain/api-scopes.ts';
import { actorKindOf } from '../domain/bug-event-types.ts';
import { isSweepable, type Severity } from '../domain/bug-status.ts';
import { agentClaimantId } from '../domain/claimant.ts';
import {
  type Actor,
  decideKeepOpen,
  decideTransition,
  type Refusal,
  restartsInactivityClock,
  statusTimestamps,
  type Transition,
  type TransitionDetails,
  type UserAction,
} from '../domain/lifecycle.ts';
import { isReopenEvent } from '../domain/turn.ts';
import { bugLogger } from '../logger.ts';
import { buildTransitionNotice } from '../messages/thread-notices.ts';
import type { AgentIdentity } from './api-tokens.ts';
import { recordEvent } from './audit.ts';
import {
  applyBugActivity,
  clearClaim,
  startDevelopersTurn,
  withdrawReminder,
  withdrawWarning,
} from './bug-activity.ts';
import { enqueueInThread, requestCardRefresh } from './notices.ts';
import { applySlaSeverityChange, applySlaStatusChange } from './sla.ts';

export type ActionRequest = {
  bugId: number;
  action: UserAction;
  /** A Slack user id; for an agent, its `agent:<name>` id (set `agent` too). */
  actorId: string;
  details?: TransitionDetails;
  /** Set when an agent acts through the API: its scopes decide what it may do, like a person's roles. */
  agent?: AgentIdentity;
  /** The version the caller saw (the API's If-Match): the action is refused if the bug changed since. */
  expectedVersion?: number;
  /** More that belongs to the same change, written in its transaction (an agent giving up counts an attempt). */
  alsoWrite?: (em: EntityManager, bug: BugReport, now: Date) => Promise<void>;
};

export type ActionRefusal = Refusal | { kind: 'not_found' | 'stale'; message: string };

export type ActionOutcome =
  | { ok: true; bug: BugReport; transition: Transition }
  | { ok: false; refusal: ActionRefusal; bug: BugReport | null };

const MAX_ATTEMPTS = 3;

export async function performBugAction(ctx: AppContext, request: ActionRequest): Promise<ActionOutcome> {
  // Asked before the transaction: it may call Slack (the developer user group), which never happens inside one.
  const actor = request.agent ? agentActor(request.agent) : await actorFor(ctx, request.actorId);
  for (let attempt = 1; ; attempt += 1) {
    try {
      const outcome = await ctx.orm.em.fork().transactional((em) => attemptAction(em, ctx, request, actor));
      if (outcome.ok) {
        bugLogger(ctx.logger, outcome.bug).info(
          { action: request.action, actor: request.actorId, from: outcome.transition.from, to: outcome.transition.to },
          'bug transition',
        );
        ctx.notifier.kick();
      }
      return outcome;
    } catch (error) {
      // Someone changed the bug between our read and our write: decide again on what it is now.
      if (error instanceof OptimisticLockError && attempt < MAX_ATTEMPTS) continue;
      throw error;
    }
  }
}

async function attemptAction(
  em: EntityManager,
  ctx: AppContext,
  request: ActionRequest,
  actor: Actor,
): Promise<ActionOutcome> {
  const bug = await em.findOne(BugReport, { id: request.bugId });
  if (!bug)
    return {
      ok: false,
      bug: null,
      refusal: { kind: 'not_found', message: `I could not find ${bugRefFor(request.bugId)}.` },
    };
  if (request.expectedVersion !== undefined && bug.version !== request.expectedVersion) {
    return {
      ok: false,
      bug,
      refusal: {
        kind: 'stale',
        message: `${bug.ref} changed since version ${request.expectedVersion}; it is at ${bug.version}.`,
      },
    };
  }
  const decision = decideTransition(bug, request.action, actor);
  if (!decision.ok) return { ok: false, bug, refusal: decision.refusal };
  await applyTransition(em, ctx, bug, decision.transition, actor, request.details ?? {});
  await request.alsoWrite?.(em, bug, ctx.clock());
  await em.flush();
  return { ok: true, bug, transition: decision.transition };
}

async function applyTransition(
  em: EntityManager,
  ctx: AppContext,
  bug: BugReport,
  transition: Transition,
  actor: Actor,
  details: TransitionDetails,
): Promise<void> {
  const now = ctx.clock();
  const previousClaimant = bug.claimantId ?? null;
  // The notice names the claim being released, so it is built before the claim goes.
  const notice = buildTransitionNotice(bug, transition, actor.id, details);

  bug.status = transition.to;
  Object.assign(bug, statusTimestamps(transition.to, now));
  applySlaStatusChange(ctx, bug, transition.from, now);
  if (transition.closeReason) bug.closeReason = transition.closeReason;
  if (transition.action === 'resolve') {
    bug.resolutionNote = details.note ?? null;
    bug.resolutionLink = details.link ?? null;
  }
  bug.updatedAt = now;
  if (transition.claimant === null) {
    await clearClaim(em, ctx, bug, 'released');
  } else if (transition.claimant) {
    bug.claimantId = transition.claimant;
    bug.claimedAt = now;
    bug.claimantLastActivityAt = now;
  }
  // Claiming and reopening are someone saying "this is alive" (domain/bug-activity.ts).
  if (restartsInactivityClock(transition)) {
    const source = transition.action === 'claim' ? 'claim' : 'reopen';
    await applyBugActivity(em, ctx, bug, { actorId: actor.id, at: now, source });
  }
  // A reopen (or "still broken") says the fix did not do it: the developers' turn from now (domain/turn.ts).
  if (isReopenEvent(transition.event)) await startDevelopersTurn(em, ctx, bug, now);
  if (!isSweepable(transition.to)) {
    await withdrawWarning(em, ctx, bug, { byUserId: actor.id, why: 'status' });
    await withdrawReminder(em, ctx, bug, 'status');
  }

  recordEvent(em, {
    bugId: bug.id,
    type: transition.event,
    actorId: actor.id,
    actorKind: actorKindOf(actor.id, ctx.config.adminUsers),
    at: now,
    metadata: {
      from: transition.from,
      to: transition.to,
      ...(previousClaimant && transition.claimant !== undefined ? { previousClaimant } : {}),
      ...(transition.closeReason ? { closeReason: transition.closeReason } : {}),
      ...(details.note ? { resolutionNote: details.note } : {}),
      ...(details.link ? { resolutionLink: details.link } : {}),
      ...(details.reason ? { reason: details.reason } : {}),
    },
  });
  await enqueueInThread(em, bug, 'thread_notice', notice, now);
  await requestCardRefresh(em, bug, now);
}

/**
 * The agents' work queue: hands the calling agent the next bug it may work and claims it for the agent in the same
 * transaction, so agents pulling at once never get the same bug. Null when nothing waits.
 */
export async function claimNextBug(ctx: AppContext, agent: AgentIdentity): Promise<BugReport | null> {
  const actor = agentActor(agent);
  const claimed = await ctx.orm.em.fork().transactional(async (em) => {
    const bug = await lockNextWorkItem(em, ctx.clock(), ctx.config.agents.maxAttempts);
    if (!bug) return null;
    const decision = decideTransition(bug, 'claim', actor);
    if (!decision.ok) return null;
    await applyTransition(em, ctx, bug, decision.transition, actor, {});
    await em.flush();
    return bug;
  });
  if (claimed) {
    bugLogger(ctx.logger, claimed).info({ agent: agent.name }, 'bug handed to an agent');
    ctx.notifier.kick();
  }
  return claimed;
}

export type FieldChange = {
  bugId: number;
  actorId: string;
  agent?: AgentIdentity;
  expectedVersion?: number;
  severity?: Severity;
  category?: string | null;
};

export type FieldChangeOutcome =
  | { ok: true; bug: BugReport; changed: boolean }
  | { ok: false; refusal: { kind: 'not_found' | 'stale' | 'forbidden'; message: string }; bug: BugReport | null };

/** Severity and category: developers, admins and agents change them; each change is audited and the card redrawn. */
export async function changeBugFields(ctx: AppContext, change: FieldChange): Promise<FieldChangeOutcome> {
  const actor = change.agent ? agentActor(change.agent) : await actorFor(ctx, change.actorId);
  if (!actor.isDeveloper && !actor.isAdmin) {
    return { ok: false, bug: null, refusal: { kind: 'forbidden', message: 'Only developers can change a bug.' } };
  }
  const outcome = await ctx.orm.em.fork().transactional(async (em): Promise<FieldChangeOutcome> => {
    const bug = await lockBug(em, change.bugId);
    if (!bug)
      return {
        ok: false,
        bug: null,
        refusal: { kind: 'not_found', message: `I could not find ${bugRefFor(change.bugId)}.` },
      };
    if (change.expectedVersion !== undefined && bug.version !== change.expectedVersion) {
      return {
        ok: false,
        bug,
        refusal: { kind: 'stale', message: `${bug.ref} changed since version ${change.expectedVersion}.` },
      };
    }
    const now = ctx.clock();
    const actorKind = actorKindOf(actor.id, ctx.config.adminUsers);
    let changed = false;
    if (change.severity && change.severity !== bug.severity) {
      const from = bug.severity;
      const previousSlaDueAt = bug.slaDueAt ?? null;
      bug.severity = change.severity;
      // The SLA due time follows the severity, from the same clock start (services/sla.ts).
      applySlaSeverityChange(ctx, bug);
      recordEvent(em, {
        bugId: bug.id,
        type: 'bug.severity_changed',
        actorId: actor.id,
        actorKind,
        at: now,
        metadata: {
          from,
          to: change.severity,
          slaDueAt: bug.slaDueAt?.toISOString() ?? null,
          previousSlaDueAt: previousSlaDueAt?.toISOString() ?? null,
        },
      });
      changed = true;
    }
    if (change.category !== undefined && change.category !== (bug.category ?? null)) {
      recordEvent(em, {
        bugId: bug.id,
        type: 'bug.updated',
        actorId: actor.id,
        actorKind,
        at: now,
        metadata: { field: 'category', from: bug.category ?? null, to: change.category },
      });
      bug.category = change.category;
      changed = true;
    }
    if (changed) {
      bug.updatedAt = now;
      await requestCardRefresh(em, bug, now);
    }
    await em.flush();
    return { ok: true, bug, changed };
  });
  if (outcome.ok && outcome.changed) ctx.notifier.kick();
  return outcome;
}

export type KeepOpenOutcome = { ok: true; bug: BugReport } | { ok: false; message: string };

/** "Keep open" on a warning: the reporter's or a developer's press counts as their activity. */
export async function keepBugOpen(
  ctx: AppContext,
  request: { bugId: number; actorId: string },
): Promise<KeepOpenOutcome> {
  // Asked before the transaction, like performBugAction's actor.
  const actor = await actorFor(ctx, request.actorId);
  const outcome = await ctx.orm.em.fork().transactional(async (em): Promise<KeepOpenOutcome> => {
    const bug = await lockBug(em, request.bugId);
    if (!bug) return { ok: false, message: `I could not find ${bugRefFor(request.bugId)}.` };
    const now = ctx.clock();
    // After an auto-close, Keep open on the old warning works like a reply: within REOPEN_WITHIN it reopens.
    const decision = decideKeepOpen(bug, actor, now, ctx.config.reopenWithinMs);
    if (!decision.ok) return { ok: false, message: decision.refusal.message };
    recordEvent(em, {
      bugId: bug.id,
      type: 'bug.kept_open',
      actorId: request.actorId,
      actorKind: actorKindOf(request.actorId, ctx.config.adminUsers),
      at: now,
    });
    await applyBugActivity(em, ctx, bug, { actorId: request.actorId, at: now, source: 'keep_open' });
    await em.flush();
    return { ok: true, bug };
  });
  if (outcome.ok) {
    bugLogger(ctx.logger, outcome.bug).info({ actor: request.actorId }, 'bug kept open');
    ctx.notifier.kick();
  }
  return outcome;
}

/** An agent works like a developer; with the admin scope like an admin. */
export function agentActor(agent: AgentIdentity): Actor {
  return {
    id: agentClaimantId(agent.name),
    isDeveloper: true,
    isAdmin: hasScope(agent.scopes, 'admin'),
    isAgent: true,
  };
}

async function actorFor(ctx: AppContext, userId: string): Promise<Actor> {
  return {
    id: userId,
    isDeveloper: await ctx.developers.isDeveloper(userId),
    isAdmin: ctx.config.adminUsers.includes(userId),
  };
}
