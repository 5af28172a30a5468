// The agent API's shapes: one zod schema each, validating requests and generating the OpenAPI 3.1 document.
import { z } from '@hono/zod-openapi';
import { BUG_STATUSES, CLOSE_REASONS, SEVERITIES } from '../../domain/bug-status.ts';
import { SENDER_TYPES } from '../../domain/sender-type.ts';

export const BugRefParam = z.object({
  ref: z
    .string()
    .regex(/^(BUG-)?[1-9][0-9]{0,9}$/i, 'a bug reference such as BUG-42, or its number')
    .openapi({ param: { name: 'ref', in: 'path' }, example: 'BUG-42' }),
});

/** Headers the handlers read themselves (their problems are 428, 412 and 422), declared here for the document. */
export const IfMatchHeader = z.object({
  'if-match': z
    .string()
    .optional()
    .openapi({
      param: { in: 'header' },
      description: "Required: the ETag from GET (the bug's version). Missing is 428; another version is 412.",
      example: '"3"',
    }),
});

export const IdempotencyKeyHeader = z.object({
  'idempotency-key': z
    .string()
    .optional()
    .openapi({
      param: { in: 'header' },
      description:
        'At most 200 characters. A retry with the same key returns the first answer; the same key with another body is 422.',
    }),
});

const timestamp = z.string().datetime().openapi({ example: '2026-12-02T09:30:00.000Z' });

export const Claimant = z
  .object({
    kind: z.enum(['user', 'agent']),
    id: z.string().openapi({ description: 'Slack user id, or agent:<token name>' }),
    name: z.string().nullable().openapi({ description: "The agent's token name; null for a person" }),
  })
  .openapi('Claimant');

export const Bug = z
  .object({
    id: z.number().int(),
    ref: z.string().openapi({ example: 'BUG-42' }),
    title: z.string(),
    description: z.string(),
    status: z.enum(BUG_STATUSES),
    severity: z.enum(SEVERITIES),
    category: z.string().nullable(),
    source: z.enum(['slack', 'agent', 'system']),
    reporter: z.string(),
    claimant: Claimant.nullable(),
    claimed_at: timestamp.nullable(),
    channel_id: z.string().nullable().openapi({ description: 'null for an imported bug without a Slack thread' }),
    thread_ts: z.string().nullable(),
    permalink: z.string().nullable(),
    telemetry: z.object({
      trace_id: z.string().nullable(),
      request_id: z.string().nullable(),
      release_sha: z.string().nullable(),
    }),
    resolution: z.object({ note: z.string().nullable(), link: z.string().nullable() }).nullable(),
    automation_opt_out: z.boolean(),
    agent_attempts: z.number().int(),
    created_at: timestamp,
    updated_at: timestamp,
    last_activity_at: timestamp,
    resolved_at: timestamp.nullable(),
    closed_at: timestamp.nullable(),
    close_reason: z.enum(CLOSE_REASONS).nullable(),
    sla_due_at: timestamp.nullable().openapi({ description: 'When the bug is due resolved by its severity (SLA_*)' }),
    fingerprint: z
      .string()
      .nullable()
      .openapi({ description: 'What duplicates are grouped by (README, Duplicates); null: too little signal' }),
    duplicate_of: z
      .string()
      .nullable()
      .openapi({ description: 'The ref of the canonical bug this one duplicates (closed as duplicate); else null' }),
    legacy_id: z.string().nullable().openapi({ description: "The old system's id of an imported bug; else null" }),
    version: z.number().int(),
  })
  .openapi('Bug');

export const ConversationRow = z
  .object({
    sender_type: z.enum(SENDER_TYPES),
    sender: z.string().nullable(),
    text: z.string().nullable().openapi({ description: 'null when the message was deleted' }),
    at: timestamp,
    edited: z.boolean(),
    deleted: z.boolean(),
  })
  .openapi('ConversationRow');

export const BugEvent = z
  .object({
    id: z.number().int(),
    type: z.string(),
    actor_kind: z.string(),
    actor: z.string().nullable(),
    at: timestamp,
    metadata: z.record(z.string(), z.unknown()),
  })
  .openapi('BugEvent');

export const BugDetail = Bug.extend({
  conversation: z.array(ConversationRow),
  events: z.array(BugEvent),
}).openapi('BugDetail');

export const BugList = z.object({ data: z.array(Bug), next_cursor: z.string().nullable() }).openapi('BugList');

export const EventList = z.object({ data: z.array(BugEvent), next_cursor: z.string().nullable() }).openapi('EventList');

/** Query values arrive as strings; `status` may repeat. */
const repeatable = <T extends z.ZodType>(item: T) =>
  z.preprocess((value) => (value === undefined || Array.isArray(value) ? value : [value]), z.array(item).optional());

export const ListQuery = z
  .object({
    status: repeatable(z.enum(BUG_STATUSES)).openapi({
      description: 'repeatable',
      type: 'array',
      items: { type: 'string', enum: [...BUG_STATUSES] },
    }),
    severity: z.enum(SEVERITIES).optional(),
    claimant: z.string().min(1).max(80).optional().openapi({ description: 'a Slack user id, an agent name, or none' }),
    reporter: z.string().min(1).max(80).optional(),
    trace_id: z.string().min(1).max(200).optional(),
    request_id: z.string().min(1).max(200).optional(),
    release_sha: z.string().min(1).max(200).optional(),
    updated_since: z.string().datetime({ offset: true }).optional(),
    stale: z
      .enum(['true', 'false'])
      .optional()
      .openapi({ description: 'true: what the next sweep would warn or close' }),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().max(200).optional(),
  })
  // A misspelled filter (`claimaint=none`) is a 400 naming it, not a silently unfiltered list.
  .strict();

export const PageQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().max(200).optional(),
  })
  .strict();

const commitSha = z.string().regex(/^[0-9a-f]{7,40}$/i, 'a commit SHA: 7 to 40 hex characters');
const pullRequestUrl = z
  .string()
  .url()
  .regex(/^https?:\/\//, 'an http(s) link')
  .max(2000);

export const CreateBug = z
  .object({
    title: z.string().trim().min(1).max(200),
    description: z.string().max(40_000).default(''),
    severity: z.enum(SEVERITIES).default('medium'),
    category: z.string().trim().min(1).max(100).optional(),
    trace_id: z.string().trim().min(1).max(200).optional(),
    request_id: z.string().trim().min(1).max(200).optional(),
    release_sha: z.string().trim().min(1).max(200).optional(),
    source: z.enum(['agent', 'system']),
  })
  .strict()
  .openapi('CreateBug');

export const UpdateBug = z
  .object({
    status: z.enum(BUG_STATUSES).optional(),
    severity: z.enum(SEVERITIES).optional(),
    category: z.string().trim().min(1).max(100).nullable().optional(),
    note: z.string().trim().min(1).max(2000).optional().openapi({ description: 'a resolution note or a reason' }),
  })
  .strict()
  .refine((body) => Object.keys(body).some((key) => key !== 'note'), 'set at least one of status, severity, category')
  .openapi('UpdateBug');

export const ResolveBug = z
  .object({
    note: z.string().trim().min(1).max(2000),
    commit_sha: commitSha.optional(),
    pull_request_url: pullRequestUrl.optional(),
  })
  .strict()
  .openapi('ResolveBug');

export const ReleaseClaim = z
  .object({
    error: z.string().trim().min(1).max(2000).optional().openapi({
      description: 'why the agent gives up: counts an attempt and cools the bug down before agents get it again',
    }),
  })
  .strict()
  .openapi('ReleaseClaim');

export const AddNote = z
  .object({
    text: z.string().trim().min(1).max(10_000),
    data: z.record(z.string(), z.unknown()).optional(),
    post: z.boolean().default(false),
  })
  .strict()
  .openapi('AddNote');

export const Note = z.object({ event_id: z.number().int() }).openapi('Note');

export const Stats = z
  .object({
    by_status: z.record(z.string(), z.number().int()),
    by_severity: z.record(z.string(), z.number().int()),
    orphaned_claims: z.number().int(),
    stale_soon: z.number().int(),
    oldest_open: z.object({ ref: z.string(), created_at: timestamp }).nullable(),
    work_queue_depth: z.number().int(),
  })
  .openapi('Stats');

export const RunSweep = z
  .object({ dry_run: z.boolean().default(false) })
  .strict()
  .openapi('RunSweep');

export const SweepRun = z
  .object({
    ran: z.boolean(),
    run_id: z.number().int().nullable(),
    dry_run: z.boolean(),
    counts: z.record(z.string(), z.number().int()).nullable(),
    reason: z.string().nullable(),
  })
  .openapi('SweepRun');

export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    errors: z.array(z.object({ field: z.string(), expected: z.string() })).optional(),
  })
  .openapi('Problem');
