// How bugs, their thread and their events look over the agent API (snake_case, ISO times), and how its list
// filters and reports read: one mapping for REST and MCP alike.
import type { z } from '@hono/zod-openapi';
import type { BugConversation, BugEvent, BugReport } from '../../db/entities/index.ts';
import { bugRefFor } from '../../db/repositories/bug-report.repository.ts';
import { agentClaimantId, agentNameOf } from '../../domain/claimant.ts';
import { hasSlackThread } from '../../domain/legacy-report.ts';
import type { BugFilters, PageCursor } from '../../services/agent-queries.ts';
import type { AgentIdentity } from '../../services/api-tokens.ts';
import type { ApiReport } from '../../services/report-bug.ts';
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
    fingerprint: bug.fingerprint ?? null,
    duplicate_of: bug.duplicateOfId ? bugRefFor(bug.duplicateOfId) : null,
    legacy_id: bug.legacyId ?? null,
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

/** The list filters as agents send them (REST query, MCP tool input). */
export type AgentFilterInput = {
  status?: BugFilters['status'];
  severity?: BugFilters['severity'];
  claimant?: string;
  reporter?: string;
  trace_id?: string;
  request_id?: string;
  release_sha?: string;
  updated_since?: string;
  stale?: boolean;
};

export function bugFiltersFrom(input: AgentFilterInput): BugFilters {
  return {
    ...(input.status ? { status: input.status } : {}),
    ...(input.severity ? { severity: input.severity } : {}),
    ...(input.claimant ? { claimant: input.claimant } : {}),
    ...(input.reporter ? { reporter: input.reporter } : {}),
    ...(input.trace_id ? { traceId: input.trace_id } : {}),
    ...(input.request_id ? { requestId: input.request_id } : {}),
    ...(input.release_sha ? { releaseSha: input.release_sha } : {}),
    ...(input.updated_since ? { updatedSince: new Date(input.updated_since) } : {}),
    ...(input.stale ? { stale: true } : {}),
  };
}

/** A `next_cursor`: opaque to agents, the keyset position of a page's last row as base64url JSON. */
export function encodeCursor(parts: unknown[]): string {
  return Buffer.from(JSON.stringify(parts)).toString('base64url');
}

/** What a cursor holds; null when it is not base64url JSON. */
export function decodeCursor(cursor: string): unknown {
  try {
    return JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
}

/** A list page's `next_cursor`: the position of the page's last bug. */
export function listCursorText(next: PageCursor): string {
  return encodeCursor([next.updatedAt.toISOString(), next.id]);
}

/** The position a `next_cursor` names; null when it is not one this API gave out. */
export function listCursorFrom(text: string): PageCursor | null {
  const parts = decodeCursor(text);
  if (!Array.isArray(parts) || typeof parts[0] !== 'string' || !Number.isInteger(parts[1])) return null;
  const updatedAt = new Date(parts[0]);
  return Number.isNaN(updatedAt.getTime()) ? null : { updatedAt, id: Number(parts[1]) };
}

/** A report as an agent files it: the agent is its reporter. */
export function agentReportFrom(
  agent: AgentIdentity,
  input: {
    title: string;
    description: string;
    severity: ApiReport['severity'];
    category?: string;
    trace_id?: string;
    request_id?: string;
    release_sha?: string;
    source: ApiReport['source'];
  },
): ApiReport {
  return {
    reporterId: agentClaimantId(agent.name),
    title: input.title,
    description: input.description,
    severity: input.severity,
    traceId: input.trace_id ?? null,
    releaseSha: input.release_sha ?? null,
    requestId: input.request_id ?? null,
    category: input.category ?? null,
    source: input.source,
  };
}
