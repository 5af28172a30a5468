// How bugs, their thread and their events look over the agent API (snake_case, ISO times).
import type { z } from '@hono/zod-openapi';
import type { BugConversation, BugEvent, BugReport } from '../../db/entities/index.ts';
import { agentNameOf } from '../../domain/claimant.ts';
import { hasSlackThread } from '../../domain/legacy-report.ts';
import type { Bug, BugEvent as BugEventSchema, ConversationRow } from './schemas.ts';

const iso = (date: Date | null | undefined) => (date ? date.toISOString() : null);

export function bugJson(bug: BugReport, permalink: string): z.infer<typeof Bug> {
  // An imported bug without a Slack thread has no thread to link to.
  const thread = hasSlackThread(bug);
  const claimantAgent = bug.claimantId ? agentNameOf(bug.claimantId) : null;
  return {
    id: bug.id,
    ref: bug.ref,
    title: bug.title,
    description: bug.description,
    status: bug.status,
    severity: bug.severity,
    category: bug.category ?? null,
    source: bug.source,
    reporter: bug.reporterId,
    claimant: bug.claimantId
      ? { kind: claimantAgent === null ? 'user' : 'agent', id: bug.claimantId, name: claimantAgent }
      : null,
    claimed_at: iso(bug.claimedAt),
    channel_id: thread ? bug.channelId : null,
    thread_ts: thread ? bug.threadTs : null,
    permalink: thread ? permalink : null,
    telemetry: {
      trace_id: bug.traceId ?? null,
      request_id: bug.requestId ?? null,
      release_sha: bug.releaseSha ?? null,
    },
    resolution:
      bug.resolutionNote || bug.resolutionLink
        ? { note: bug.resolutionNote ?? null, link: bug.resolutionLink ?? null }
        : null,
    automation_opt_out: bug.automationOptOut,
    agent_attempts: bug.agentAttempts,
    created_at: bug.createdAt.toISOString(),
    updated_at: bug.updatedAt.toISOString(),
    last_activity_at: bug.lastActivityAt.toISOString(),
    resolved_at: iso(bug.resolvedAt),
    closed_at: iso(bug.closedAt),
    close_reason: bug.closeReason ?? null,
    sla_due_at: iso(bug.slaDueAt),
    version: bug.version,
  };
}

export function conversationJson(row: BugConversation): z.infer<typeof ConversationRow> {
  const deleted = Boolean(row.deletedAt);
  return {
    sender_type: row.senderType,
    sender: row.senderId ?? null,
    text: deleted ? null : row.text,
    at: row.messageAt.toISOString(),
    edited: Boolean(row.editedAt),
    deleted,
  };
}

export function eventJson(event: BugEvent): z.infer<typeof BugEventSchema> {
  return {
    id: Number(event.id),
    type: event.eventType,
    actor_kind: event.actorKind,
    actor: event.actorId ?? null,
    at: event.createdAt.toISOString(),
    metadata: event.metadata ?? {},
  };
}
