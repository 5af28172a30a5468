// What agents do besides the lifecycle itself: notes and run logs, giving a bug back after failing at it (counted,
// cooled down, and after AGENT_MAX_ATTEMPTS left to people), and people keeping a bug away from agents. Each is
// one transaction with its audit event and the notices it owes, like every lifecycle change.
import type { AppContext } from '../app-context.ts';
import { lockBug } from '../db/repositories/bug-report.repository.ts';
import { actorKindOf } from '../domain/bug-event-types.ts';
import { isUnresolved } from '../domain/bug-status.ts';
import { agentClaimantId } from '../domain/claimant.ts';
import { bugLogger } from '../logger.ts';
import { buildAgentGaveUpNotice, buildAgentNote, buildAutomationNotice } from '../messages/agent-notices.ts';
import type { AgentIdentity } from './api-tokens.ts';
import { recordEvent } from './audit.ts';
import { applyBugActivity } from './bug-activity.ts';
import { type ActionOutcome, performBugAction } from './bug-lifecycle.ts';
import { enqueueInThread, requestCardRefresh } from './notices.ts';

export type NoteOutcome = { ok: true; eventId: number } | { ok: false; message: string };

/**
 * An agent's note (`data` is kept as given). Posted to the thread it counts as the agent's activity like a developer's
 * reply; either way it keeps the agent's own claim alive.
 */
export async function addAgentNote(
  ctx: AppContext,
  request: {
    bugId: number;
    agent: AgentIdentity;
    text: string;
    data?: Record<string, unknown> | undefined;
    post: boolean;
  },
): Promise<NoteOutcome> {
  const agentId = agentClaimantId(request.agent.name);
  const outcome = await ctx.orm.em.fork().transactional(async (em): Promise<NoteOutcome> => {
    const bug = await lockBug(em, request.bugId);
    if (!bug) return { ok: false, message: 'not found' };
    const now = ctx.clock();
    const event = recordEvent(em, {
      bugId: bug.id,
      type: 'bug.note_added',
      actorId: agentId,
      actorKind: 'agent',
      at: now,
      metadata: { text: request.text, posted: request.post, ...(request.data ? { data: request.data } : {}) },
    });
    if (request.post) {
      await enqueueInThread(em, bug, 'thread_notice', buildAgentNote(bug, agentId, request.text), now);
      await applyBugActivity(em, ctx, bug, { actorId: agentId, at: now, source: 'message', senderType: 'developer' });
    } else if (bug.claimantId === agentId) {
      bug.claimantLastActivityAt = now;
    }
    bug.updatedAt = now;
    await em.flush();
    return { ok: true, eventId: Number(event.id) };
  });
  if (outcome.ok && request.post) ctx.notifier.kick();
  return outcome;
}

/**
 * An agent gives its claim back. With an error it failed at the bug: the attempt is counted, the bug is not handed
 * to an agent again for AGENT_RETRY_COOLDOWN, and after AGENT_MAX_ATTEMPTS it is left to people, said in the thread.
 */
export async function releaseAsAgent(
  ctx: AppContext,
  request: { bugId: number; agent: AgentIdentity; error?: string | null },
): Promise<ActionOutcome> {
  const agentId = agentClaimantId(request.agent.name);
  const error = request.error?.trim();
  return performBugAction(ctx, {
    bugId: request.bugId,
    action: 'release',
    actorId: agentId,
    agent: request.agent,
    ...(error
      ? {
          alsoWrite: async (em, bug, now) => {
            bug.agentAttempts += 1;
            bug.agentRetryAfter = new Date(now.getTime() + ctx.config.agents.retryCooldownMs);
            const leftToPeople = bug.agentAttempts >= ctx.config.agents.maxAttempts;
            recordEvent(em, {
              bugId: bug.id,
              type: 'agent.gave_up',
              actorId: agentId,
              actorKind: 'agent',
              at: now,
              metadata: { error, attempts: bug.agentAttempts, leftToPeople },
            });
            const notice = buildAgentGaveUpNotice(
              bug,
              agentId,
              error,
              leftToPeople ? { attempts: bug.agentAttempts } : null,
            );
            await enqueueInThread(em, bug, 'thread_notice', notice, now);
          },
        }
      : {}),
  });
}

export type AutomationOutcome = { ok: true; changed: boolean } | { ok: false; message: string };

/** Developers and admins keep a bug away from the agents' work queue (or hand it back); the card says so. */
export async function setAutomation(
  ctx: AppContext,
  request: { bugId: number; actorId: string; optOut: boolean },
): Promise<AutomationOutcome> {
  const allowed =
    ctx.config.adminUsers.includes(request.actorId) || (await ctx.developers.isDeveloper(request.actorId));
  if (!allowed) return { ok: false, message: 'Only developers and admins can decide whether agents work a bug.' };
  const outcome = await ctx.orm.em.fork().transactional(async (em): Promise<AutomationOutcome> => {
    const bug = await lockBug(em, request.bugId);
    if (!bug) return { ok: false, message: 'I could not find that bug.' };
    if (!isUnresolved(bug.status) && !request.optOut) return { ok: true, changed: false };
    if (bug.automationOptOut === request.optOut) return { ok: true, changed: false };
    const now = ctx.clock();
    bug.automationOptOut = request.optOut;
    bug.updatedAt = now;
    recordEvent(em, {
      bugId: bug.id,
      type: 'bug.automation_changed',
      actorId: request.actorId,
      actorKind: actorKindOf(request.actorId, ctx.config.adminUsers),
      at: now,
      metadata: { automation: request.optOut ? 'off' : 'on' },
    });
    await enqueueInThread(em, bug, 'thread_notice', buildAutomationNotice(bug, request.actorId, request.optOut), now);
    await requestCardRefresh(em, bug, now);
    await em.flush();
    bugLogger(ctx.logger, bug).info({ actor: request.actorId, optOut: request.optOut }, 'automation changed');
    return { ok: true, changed: true };
  });
  if (outcome.ok && outcome.changed) ctx.notifier.kick();
  return outcome;
}
