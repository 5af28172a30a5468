// The agent API (/api/v1): remediation agents work bugs through the same services as people in Slack. Routes only
// parse (zod, which also writes the OpenAPI document), call one service and render; every error is problem+json.
import { createHash } from 'node:crypto';
import { createRoute, OpenAPIHono, type z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { AppContext } from '../../app-context.ts';
import type { BugReport } from '../../db/entities/index.ts';
import {
  claimIdempotencyKey,
  completeIdempotencyKey,
  releaseIdempotencyKey,
} from '../../db/repositories/api-token.repository.ts';
import { type ApiScope, hasScope } from '../../domain/api-scopes.ts';
import { isUnresolved } from '../../domain/bug-status.ts';
import { agentClaimantId } from '../../domain/claimant.ts';
import { actionForTarget, allowedTargets, decideTransition } from '../../domain/lifecycle.ts';
import { backlogStats, bugDetail, bugEventPage, listBugPage } from '../../services/agent-queries.ts';
import { addAgentNote, releaseAsAgent } from '../../services/agent-work.ts';
import { type AgentIdentity, authenticate } from '../../services/api-tokens.ts';
import {
  type ActionOutcome,
  agentActor,
  changeBugFields,
  claimNextBug,
  performBugAction,
} from '../../services/bug-lifecycle.ts';
import { findBug } from '../../services/bug-queries.ts';
import { fileApiReport, ReportNotPostedError } from '../../services/report-bug.ts';
import { runSweep } from '../../services/sweep/sweep-runner.ts';
import { type InvalidField, type Problem, problem, problemResponse } from '../problem.ts';
import {
  agentReportFrom,
  bugFiltersFrom,
  bugJson,
  conversationJson,
  decodeCursor,
  encodeCursor,
  eventJson,
  listCursorFrom,
  listCursorText,
} from './bug-json.ts';
import * as S from './schemas.ts';

type Env = { Variables: { agent: AgentIdentity } };

/** Thrown by a handler to answer with a problem; onError renders it. */
export class ApiProblem extends Error {
  readonly body: Problem;
  readonly headers: Record<string, string>;
  constructor(body: Problem, headers: Record<string, string> = {}) {
    super(body.detail);
    this.body = body;
    this.headers = headers;
  }
}

const fail = (...args: Parameters<typeof problem>): never => {
  throw new ApiProblem(problem(...args));
};

/** Each bad field with what was expected; an unknown field is named on its own, not as the whole `part`. */
function invalidFields(issues: z.ZodError['issues'], part: string): InvalidField[] {
  return issues.flatMap((issue) => {
    const path = issue.path.map(String);
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ field: [...path, key].join('.'), expected: 'no such field' }));
    }
    return [{ field: path.length > 0 ? path.join('.') : part, expected: issue.message }];
  });
}

/** JSON's media types, as Hono's own body validator takes them (`application/json`, `application/…+json`). */
const JSON_MEDIA_TYPE = /^application\/([a-z-.]+\+)?json(;|$)/i;

/**
 * A body that may be left out (empty reads as `{}`): one sent must be JSON, as on every other route (415 for another
 * media type, 400 for text that does not parse), and each bad field is named in the 400.
 */
async function optionalBody<T extends z.ZodType>(c: Context, schema: T): Promise<z.infer<T>> {
  const raw = await c.req.text();
  if (raw.trim() && !JSON_MEDIA_TYPE.test(c.req.header('content-type') ?? '')) {
    return fail('unsupportedMediaType', 415, 'Send the body as JSON, with Content-Type: application/json.');
  }
  let value: unknown = {};
  try {
    if (raw.trim()) value = JSON.parse(raw);
  } catch {
    return fail('validation', 400, 'The body is not valid: body.', { errors: [{ field: 'body', expected: 'JSON' }] });
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const errors = invalidFields(parsed.error.issues, 'body');
    return fail('validation', 400, `The body is not valid: ${errors.map((e) => e.field).join(', ')}.`, { errors });
  }
  return parsed.data;
}

const BEARER = [{ bearer: [] }];
const json = <T extends z.ZodType>(schema: T, description: string) => ({
  content: { 'application/json': { schema } },
  description,
});
/** The headers some problems carry, so the document says them as the answers do. */
const PROBLEM_HEADERS: Record<number, Record<string, { description: string; schema: { type: 'string' } }>> = {
  401: { 'WWW-Authenticate': { description: 'Bearer', schema: { type: 'string' } } },
  429: { 'Retry-After': { description: 'Seconds until this token may send again', schema: { type: 'string' } } },
};
const problems = (...statuses: number[]) =>
  Object.fromEntries(
    statuses.map((status) => [
      status,
      {
        content: { 'application/problem+json': { schema: S.ProblemSchema } },
        description: `Problem (${status})`,
        ...(PROBLEM_HEADERS[status] ? { headers: PROBLEM_HEADERS[status] } : {}),
      },
    ]),
  );
/** An answer with the bug's version as its ETag, for If-Match. */
const withEtag = <T extends object>(response: T) => ({
  ...response,
  headers: { ETag: { description: "The bug's version, for If-Match", schema: { type: 'string' as const } } },
});
const body = <T extends z.ZodType>(schema: T) => ({
  body: { content: { 'application/json': { schema } }, required: true },
});

export function createAgentApi(ctx: AppContext): OpenAPIHono<Env> {
  const api = new OpenAPIHono<Env>({
    // Every bad field named, with what was expected.
    defaultHook: (result) => {
      if (result.success) return;
      // Hono calls a JSON body `json`; agents send a body.
      const part = result.target === 'json' ? 'body' : result.target;
      const errors = invalidFields(result.error.issues, part);
      throw new ApiProblem(
        problem('validation', 400, `The ${part} is not valid: ${errors.map((e) => e.field).join(', ')}.`, {
          errors,
        }),
      );
    },
  });
  api.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });

  api.onError((error, c) => {
    if (error instanceof ApiProblem) return problemResponse(error.body, error.headers);
    if (error instanceof SyntaxError || (error instanceof HTTPException && error.status === 400)) {
      return problemResponse(
        problem('validation', 400, 'The body is not valid JSON.', {
          errors: [{ field: 'body', expected: 'a JSON object' }],
        }),
      );
    }
    // Hono's own refusals of a request: a body not sent as JSON is 415, not a failure on our side.
    if (error instanceof HTTPException && error.status === 415) {
      return problemResponse(
        problem('unsupportedMediaType', 415, 'Send the body as JSON, with Content-Type: application/json.'),
      );
    }
    // Slack did not take a new report's post: nothing was filed, and a retry (same Idempotency-Key) may work.
    if (error instanceof ReportNotPostedError) {
      ctx.logger.warn({ reason: error.reason, path: c.req.path }, 'agent report not posted to Slack');
      return problemResponse(
        problem('unavailable', 503, `Slack did not take the report (${error.reason}); nothing was filed. Retry later.`),
      );
    }
    ctx.logger.error({ err: error, path: c.req.path }, 'agent API request failed');
    return problemResponse(problem('internal', 500, 'The request failed on our side; it is logged.'));
  });

  api.use('*', async (c, next) => {
    if (c.req.path.endsWith('/openapi.json')) return next();
    const header = c.req.header('authorization') ?? '';
    const bearer = /^Bearer\s+(\S+)$/i.exec(header)?.[1] ?? null;
    const auth = await authenticate(ctx, bearer);
    if (!auth.ok && auth.reason === 'rate_limited') {
      const seconds = Math.max(1, Math.ceil(auth.retryAfterMs / 1000));
      throw new ApiProblem(
        problem('rateLimited', 429, `This token's request budget is spent; retry in ${seconds} s.`),
        {
          'retry-after': String(seconds),
        },
      );
    }
    if (!auth.ok) {
      throw new ApiProblem(
        problem('unauthorized', 401, 'Send a valid, unrevoked token as Authorization: Bearer <token>.'),
        {
          'www-authenticate': 'Bearer realm="bugsweep"',
        },
      );
    }
    c.set('agent', auth.agent);
    return next();
  });

  const agentWith = (c: Context<Env>, scope: ApiScope): AgentIdentity => {
    const agent = c.get('agent');
    if (!hasScope(agent.scopes, scope)) fail('forbidden', 403, `This needs a token with the ${scope} scope.`);
    return agent;
  };
  const permalink = (bug: BugReport) => ctx.permalinkFor(bug.channelId, bug.threadTs);
  const render = (bug: BugReport) => bugJson(bug, permalink(bug));
  const loadBug = async (ref: string): Promise<BugReport> => {
    const bug = await findBug(ctx, Number(ref.replace(/^BUG-/i, '')));
    if (!bug) return fail('notFound', 404, `There is no bug ${ref}.`);
    return bug;
  };
  /** A refused lifecycle action as the API says it. */
  const refused = (outcome: Extract<ActionOutcome, { ok: false }>, agent: AgentIdentity): never => {
    const { refusal, bug } = outcome;
    if (refusal.kind === 'not_found') return fail('notFound', 404, refusal.message);
    if (refusal.kind === 'stale') return fail('preconditionFailed', 412, refusal.message);
    if (refusal.kind === 'forbidden') return fail('forbidden', 403, refusal.message);
    const allowed = bug ? allowedTargets(bug, agentActor(agent)) : [];
    return fail('illegalTransition', 409, refusal.message, { allowed });
  };
  /** The bug a lifecycle action changed; a refusal is the API's problem for it. */
  const actedOn = (outcome: ActionOutcome, agent: AgentIdentity): BugReport =>
    outcome.ok ? outcome.bug : refused(outcome, agent);
  const etag = (bug: BugReport) => `"${bug.version}"`;

  // --- reading -------------------------------------------------------------------------------------------------
  api.openapi(
    createRoute({
      method: 'get',
      path: '/bug-reports',
      summary: 'List bugs, newest change first, a page at a time',
      security: BEARER,
      request: { query: S.ListQuery },
      responses: { 200: json(S.BugList, 'A page of bugs'), ...problems(400, 401, 403, 429) },
    }),
    async (c) => {
      agentWith(c, 'read');
      const q = c.req.valid('query');
      const page = await listBugPage(ctx, bugFiltersFrom({ ...q, stale: q.stale === 'true' }), {
        limit: q.limit,
        after: q.cursor ? (listCursorFrom(q.cursor) ?? badCursor()) : null,
      });
      return c.json(
        {
          data: page.bugs.map(render),
          next_cursor: page.next ? listCursorText(page.next) : null,
        },
        200,
      );
    },
  );

  api.openapi(
    createRoute({
      method: 'get',
      path: '/bug-reports/{ref}',
      summary: 'One bug with its telemetry, its thread and its audit trail',
      security: BEARER,
      request: { params: S.BugRefParam },
      responses: {
        200: withEtag(json(S.BugDetail, 'The bug; ETag is its version')),
        ...problems(400, 401, 403, 404, 429),
      },
    }),
    async (c) => {
      agentWith(c, 'read');
      const bug = await loadBug(c.req.valid('param').ref);
      const detail = await bugDetail(ctx, bug.id);
      if (!detail) return fail('notFound', 404, `There is no bug ${bug.ref}.`);
      c.header('etag', etag(detail.bug));
      return c.json(
        {
          ...render(detail.bug),
          conversation: detail.conversation.map(conversationJson),
          events: detail.events.map(eventJson),
        },
        200,
      );
    },
  );

  api.openapi(
    createRoute({
      method: 'get',
      path: '/bug-reports/{ref}/events',
      summary: "The bug's audit trail, oldest first, a page at a time",
      security: BEARER,
      request: { params: S.BugRefParam, query: S.PageQuery },
      responses: { 200: json(S.EventList, 'A page of events'), ...problems(400, 401, 403, 404, 429) },
    }),
    async (c) => {
      agentWith(c, 'read');
      const bug = await loadBug(c.req.valid('param').ref);
      const q = c.req.valid('query');
      const page = await bugEventPage(ctx, bug.id, {
        limit: q.limit,
        after: q.cursor ? decodeEventCursor(q.cursor) : null,
      });
      return c.json(
        { data: page.events.map(eventJson), next_cursor: page.next ? encodeCursor([page.next]) : null },
        200,
      );
    },
  );

  api.openapi(
    createRoute({
      method: 'get',
      path: '/stats',
      summary: 'Counts by status and severity, orphaned claims, stale soon, oldest open, work queue depth',
      security: BEARER,
      responses: { 200: json(S.Stats, 'The backlog'), ...problems(401, 403, 429) },
    }),
    async (c) => {
      agentWith(c, 'read');
      const stats = await backlogStats(ctx);
      return c.json(
        {
          by_status: stats.byStatus,
          by_severity: stats.bySeverity,
          orphaned_claims: stats.orphanedClaims,
          stale_soon: stats.staleSoon,
          oldest_open: stats.oldestOpen
            ? { ref: stats.oldestOpen.ref, created_at: stats.oldestOpen.createdAt.toISOString() }
            : null,
          work_queue_depth: stats.workQueueDepth,
        },
        200,
      );
    },
  );

  // --- writing -------------------------------------------------------------------------------------------------
  api.openapi(
    createRoute({
      method: 'post',
      path: '/bug-reports',
      summary: 'File a bug: posted to the first bug channel with its card, like /bugs report',
      description: 'Send Idempotency-Key to make a retry return the first result instead of filing twice.',
      security: BEARER,
      request: { headers: S.IdempotencyKeyHeader, ...body(S.CreateBug) },
      responses: { 201: json(S.Bug, 'The bug filed'), ...problems(400, 401, 403, 409, 415, 422, 429, 503) },
    }),
    async (c) => {
      const agent = agentWith(c, 'write');
      const input = c.req.valid('json');
      const answer = await idempotent(c, agent, input, async () => {
        const result = await fileApiReport(ctx, agentReportFrom(agent, input));
        return { status: 201, body: render(result.bug) };
      });
      return c.json(answer.body as z.infer<typeof S.Bug>, 201);
    },
  );

  api.openapi(
    createRoute({
      method: 'post',
      path: '/bug-reports/{ref}/claim',
      summary: 'Claim the bug as this agent (a lease the orphaned-claim rules release like any other)',
      security: BEARER,
      request: { params: S.BugRefParam },
      responses: { 200: json(S.Bug, 'Claimed'), ...problems(400, 401, 403, 404, 409, 429) },
    }),
    async (c) => {
      const agent = agentWith(c, 'write');
      const bug = await loadBug(c.req.valid('param').ref);
      const outcome = await performBugAction(ctx, {
        bugId: bug.id,
        action: 'claim',
        actorId: agentClaimantId(agent.name),
        agent,
      });
      if (!outcome.ok) {
        // Held by someone, this agent included, while it could be worked: the 409 names the claimant. A resolved
        // bug or a fix waiting for verification keeps its claimant for the record; that refusal is its status.
        const held = outcome.bug;
        if (held?.claimantId && isUnresolved(held.status) && held.status !== 'awaiting_verification') {
          return fail('alreadyClaimed', 409, outcome.refusal.message, { claimant: held.claimantId });
        }
        return refused(outcome, agent);
      }
      return c.json(render(outcome.bug), 200);
    },
  );

  api.openapi(
    createRoute({
      method: 'delete',
      path: '/bug-reports/{ref}/claim',
      summary: 'Give the claim back; with an error, the agent failed at it (counted, cooled down)',
      security: BEARER,
      request: {
        params: S.BugRefParam,
        body: { content: { 'application/json': { schema: S.ReleaseClaim } }, required: false },
      },
      responses: { 200: json(S.Bug, 'Released'), ...problems(400, 401, 403, 404, 409, 415, 429) },
    }),
    async (c) => {
      const agent = agentWith(c, 'write');
      const bug = await loadBug(c.req.valid('param').ref);
      const input = await optionalBody(c, S.ReleaseClaim);
      const outcome = await releaseAsAgent(ctx, { bugId: bug.id, agent, error: input.error ?? null });
      return c.json(render(actedOn(outcome, agent)), 200);
    },
  );

  api.openapi(
    createRoute({
      method: 'patch',
      path: '/bug-reports/{ref}',
      summary: 'Change status, severity or category; If-Match with the ETag is required',
      security: BEARER,
      request: { params: S.BugRefParam, headers: S.IfMatchHeader, ...body(S.UpdateBug) },
      responses: {
        200: withEtag(json(S.Bug, 'Changed')),
        ...problems(400, 401, 403, 404, 409, 412, 415, 428, 429),
      },
    }),
    async (c) => {
      const agent = agentWith(c, 'write');
      const bug = await loadBug(c.req.valid('param').ref);
      const version = parseIfMatch(c.req.header('if-match'));
      const input = c.req.valid('json');
      const actorId = agentClaimantId(agent.name);
      let current = bug;
      let expectedVersion: number | undefined = version;
      if (input.status && input.status !== bug.status) {
        // Decided before any field is changed, so a refused move leaves the whole bug as it was.
        if (bug.version !== version) {
          return fail(
            'preconditionFailed',
            412,
            `${bug.ref} changed since version ${version}; it is at ${bug.version}.`,
          );
        }
        const action = actionForTarget(bug, input.status);
        const decision = action ? decideTransition(bug, action, agentActor(agent)) : null;
        if (!decision?.ok) {
          return fail(
            'illegalTransition',
            409,
            decision?.refusal.message ?? `${bug.ref} cannot become ${input.status}.`,
            {
              allowed: allowedTargets(bug, agentActor(agent)),
            },
          );
        }
      }
      if (input.severity !== undefined || input.category !== undefined) {
        const changed = await changeBugFields(ctx, {
          bugId: bug.id,
          actorId,
          agent,
          expectedVersion: version,
          ...(input.severity ? { severity: input.severity } : {}),
          ...(input.category !== undefined ? { category: input.category } : {}),
        });
        if (!changed.ok) {
          if (changed.refusal.kind === 'stale') return fail('preconditionFailed', 412, changed.refusal.message);
          if (changed.refusal.kind === 'not_found') return fail('notFound', 404, changed.refusal.message);
          return fail('forbidden', 403, changed.refusal.message);
        }
        current = changed.bug;
        expectedVersion = undefined;
      }
      if (input.status && input.status !== current.status) {
        const action = actionForTarget(current, input.status);
        if (!action)
          return fail('illegalTransition', 409, `${current.ref} cannot become ${input.status}.`, {
            allowed: allowedTargets(current, agentActor(agent)),
          });
        const outcome = await performBugAction(ctx, {
          bugId: bug.id,
          action,
          actorId,
          agent,
          ...(expectedVersion !== undefined ? { expectedVersion } : {}),
          details: { note: input.note ?? null, reason: input.note ?? null },
        });
        if (!outcome.ok) {
          const { refusal } = outcome;
          // In status terms, a move this agent may not make is an illegal transition: say which ones it may.
          if (refusal.kind === 'forbidden' || refusal.kind === 'invalid' || refusal.kind === 'noop') {
            const allowed = allowedTargets(outcome.bug ?? current, agentActor(agent));
            return fail('illegalTransition', 409, refusal.message, { allowed });
          }
          return refused(outcome, agent);
        }
        if (outcome.transition.to !== input.status) {
          // e.g. resolving as an agent without the admin scope waits for verification: said, not hidden.
          c.header('bugsweep-status-note', `${outcome.bug.ref} is ${outcome.transition.to}`);
        }
        current = outcome.bug;
      } else if (expectedVersion !== undefined && current.version !== expectedVersion) {
        return fail('preconditionFailed', 412, `${current.ref} changed since version ${expectedVersion}.`);
      }
      c.header('etag', etag(current));
      return c.json(render(current), 200);
    },
  );

  api.openapi(
    createRoute({
      method: 'post',
      path: '/bug-reports/{ref}/resolve',
      summary: "Resolve with a note and the fix; an agent's fix waits for a person to verify it",
      description:
        'Without the admin scope the bug moves to awaiting_verification; the card asks for Verify or Still broken.',
      security: BEARER,
      request: { params: S.BugRefParam, ...body(S.ResolveBug) },
      responses: {
        200: json(S.Bug, 'Resolved or awaiting verification'),
        ...problems(400, 401, 403, 404, 409, 415, 429),
      },
    }),
    async (c) => {
      const agent = agentWith(c, 'write');
      const bug = await loadBug(c.req.valid('param').ref);
      const input = c.req.valid('json');
      if (input.commit_sha && input.pull_request_url) {
        return fail('validation', 400, 'Give the commit SHA or the pull request URL, not both.', {
          errors: [{ field: 'pull_request_url', expected: 'absent when commit_sha is given' }],
        });
      }
      const outcome = await performBugAction(ctx, {
        bugId: bug.id,
        action: 'resolve',
        actorId: agentClaimantId(agent.name),
        agent,
        details: { note: input.note, link: input.commit_sha ?? input.pull_request_url ?? null },
      });
      return c.json(render(actedOn(outcome, agent)), 200);
    },
  );

  api.openapi(
    createRoute({
      method: 'post',
      path: '/bug-reports/{ref}/notes',
      summary: "Add an agent's note or run log (event bug.note_added); post: true also says it in the thread",
      security: BEARER,
      request: { params: S.BugRefParam, ...body(S.AddNote) },
      responses: { 201: json(S.Note, 'Stored'), ...problems(400, 401, 403, 404, 415, 429) },
    }),
    async (c) => {
      const agent = agentWith(c, 'write');
      const bug = await loadBug(c.req.valid('param').ref);
      const input = c.req.valid('json');
      const outcome = await addAgentNote(ctx, { bugId: bug.id, agent, ...input });
      if (!outcome.ok) return fail('notFound', 404, `There is no bug ${bug.ref}.`);
      return c.json({ event_id: outcome.eventId }, 201);
    },
  );

  api.openapi(
    createRoute({
      method: 'post',
      path: '/work/next',
      summary: 'Hand this agent the next bug it may work (most severe, then oldest) and claim it',
      security: BEARER,
      responses: {
        200: json(S.Bug, 'Claimed for you'),
        204: { description: 'Nothing waits for an agent' },
        ...problems(401, 403, 429),
      },
    }),
    async (c) => {
      const agent = agentWith(c, 'write');
      const bug = await claimNextBug(ctx, agent);
      if (!bug) return c.body(null, 204);
      return c.json(render(bug), 200);
    },
  );

  api.openapi(
    createRoute({
      method: 'post',
      path: '/sweep/run',
      summary: 'Run one sweep now (admin); dry_run decides everything and changes nothing',
      security: BEARER,
      request: { body: { content: { 'application/json': { schema: S.RunSweep } }, required: false } },
      responses: { 200: json(S.SweepRun, 'What the sweep did'), ...problems(400, 401, 403, 415, 429) },
    }),
    async (c) => {
      const agent = agentWith(c, 'admin');
      const input = await optionalBody(c, S.RunSweep);
      const result = await runSweep(ctx, {
        trigger: 'api',
        triggeredBy: agentClaimantId(agent.name),
        dryRun: input.dry_run,
      });
      if (result.kind !== 'ran') {
        return c.json(
          {
            ran: false,
            run_id: null,
            dry_run: input.dry_run,
            counts: null,
            reason: result.kind === 'skipped' ? result.reason : 'another replica is sweeping',
          },
          200,
        );
      }
      return c.json(
        { ran: true, run_id: result.runId, dry_run: result.dryRun, counts: { ...result.counts }, reason: null },
        200,
      );
    },
  );

  api.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'bugsweep agent API',
      version: '1.0.0',
      description: 'Remediation agents work bugs through the same lifecycle, audit trail and Slack threads as people.',
    },
    servers: [{ url: '/api/v1' }],
  });

  /** Runs `work` once per Idempotency-Key (PostgreSQL decides between replicas); a retry gets the first answer. */
  async function idempotent(
    c: Context<Env>,
    agent: AgentIdentity,
    input: unknown,
    work: () => Promise<{ status: number; body: unknown }>,
  ): Promise<{ status: number; body: unknown }> {
    const key = c.req.header('idempotency-key');
    if (!key) return work();
    if (key.length > 200)
      fail('validation', 400, 'Idempotency-Key is at most 200 characters.', {
        errors: [{ field: 'Idempotency-Key', expected: 'at most 200 characters' }],
      });
    const em = ctx.orm.em.fork();
    const entry = {
      tokenName: agent.name,
      key,
      requestHash: createHash('sha256').update(JSON.stringify(input)).digest('hex'),
    };
    const claim = await claimIdempotencyKey(em, { ...entry, at: ctx.clock() });
    if (claim.kind === 'replay') return { status: claim.status, body: claim.response };
    if (claim.kind === 'mismatch')
      return fail('idempotencyConflict', 422, 'This Idempotency-Key was used with a different body.');
    if (claim.kind === 'in_flight')
      return fail('conflict', 409, 'A request with this Idempotency-Key is still being processed; retry shortly.');
    try {
      const answer = await work();
      await completeIdempotencyKey(em, { tokenName: agent.name, key, status: answer.status, response: answer.body });
      return answer;
    } catch (error) {
      await releaseIdempotencyKey(em, { tokenName: agent.name, key });
      throw error;
    }
  }

  return api;
}

function parseIfMatch(header: string | undefined): number {
  if (!header) return fail('preconditionRequired', 428, "Send If-Match with the ETag from GET (the bug's version).");
  const match = /^(?:W\/)?"?(\d{1,9})"?$/.exec(header.trim());
  if (!match) return fail('preconditionFailed', 412, `If-Match ${header} is not a version of this bug.`);
  return Number(match[1]);
}

const badCursor = (): never =>
  fail('validation', 400, 'The cursor is not one this API gave out.', {
    errors: [{ field: 'cursor', expected: 'a next_cursor from an earlier page' }],
  });

function decodeEventCursor(cursor: string): number {
  const parts = decodeCursor(cursor);
  if (!Array.isArray(parts) || !Number.isInteger(parts[0])) return badCursor();
  return Number(parts[0]);
}
