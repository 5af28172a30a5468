// The MCP server for AI agents: the agent API's work as tools, each with a zod input schema, the same scopes and
// the same services as REST (src/http/api/agent-api.ts), so an agent over MCP follows every rule a REST agent does.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { AppContext } from '../app-context.ts';
import type { BugReport } from '../db/entities/index.ts';
import { type ApiScope, hasScope } from '../domain/api-scopes.ts';
import { BUG_STATUSES, SEVERITIES } from '../domain/bug-status.ts';
import { agentClaimantId } from '../domain/claimant.ts';
import {
  agentReportFrom,
  bugFiltersFrom,
  bugJson,
  conversationJson,
  eventJson,
  listCursorFrom,
  listCursorText,
} from '../http/api/bug-json.ts';
import { bugDetail, listBugPage } from '../services/agent-queries.ts';
import { addAgentNote, releaseAsAgent } from '../services/agent-work.ts';
import type { AgentIdentity } from '../services/api-tokens.ts';
import { performBugAction } from '../services/bug-lifecycle.ts';
import { findBug } from '../services/bug-queries.ts';
import { fileApiReport } from '../services/report-bug.ts';

type ToolResult = { content: { type: 'text'; text: string }[]; isError?: boolean };

const ok = (value: unknown): ToolResult => ({ content: [{ type: 'text', text: JSON.stringify(value, null, 2) }] });
const refused = (message: string): ToolResult => ({ content: [{ type: 'text', text: message }], isError: true });

const ref = z
  .string()
  .regex(/^(BUG-)?[1-9][0-9]{0,9}$/i)
  .describe('a bug reference such as BUG-42, or its number');

export function createAgentMcpServer(ctx: AppContext, agent: AgentIdentity): McpServer {
  const server = new McpServer({ name: 'bugsweep', version: '1.0.0' });
  const agentId = agentClaimantId(agent.name);
  const render = (bug: BugReport) => bugJson(bug, ctx.permalinkFor(bug.channelId, bug.threadTs));
  const lacks = (scope: ApiScope) =>
    hasScope(agent.scopes, scope) ? null : refused(`This needs a token with the ${scope} scope.`);
  const load = async (value: string) => findBug(ctx, Number(value.replace(/^BUG-/i, '')));

  server.registerTool(
    'list_bugs',
    {
      description:
        'List bugs, newest change first, a page at a time (pass next_cursor back as cursor); filter by status, severity, claimant (user id, agent name, none), reporter, telemetry or updated_since.',
      inputSchema: {
        status: z.array(z.enum(BUG_STATUSES)).optional(),
        severity: z.enum(SEVERITIES).optional(),
        claimant: z.string().max(80).optional(),
        reporter: z.string().min(1).max(80).optional(),
        trace_id: z.string().max(200).optional(),
        request_id: z.string().max(200).optional(),
        release_sha: z.string().max(200).optional(),
        updated_since: z.string().datetime({ offset: true }).optional(),
        stale: z.boolean().optional().describe('only what the next sweep would warn or close'),
        limit: z.number().int().min(1).max(200).default(20),
        cursor: z.string().max(200).optional().describe('the next_cursor of the page before'),
      },
    },
    async (input) => {
      const denied = lacks('read');
      if (denied) return denied;
      const after = input.cursor ? listCursorFrom(input.cursor) : null;
      if (input.cursor && !after) return refused('The cursor is not one this API gave out: pass a next_cursor back.');
      const page = await listBugPage(ctx, bugFiltersFrom(input), { limit: input.limit, after });
      return ok({
        data: page.bugs.map(render),
        more: page.next !== null,
        next_cursor: page.next ? listCursorText(page.next) : null,
      });
    },
  );

  server.registerTool(
    'get_bug',
    { description: 'One bug with its telemetry, its Slack thread and its audit trail.', inputSchema: { ref } },
    async (input) => {
      const denied = lacks('read');
      if (denied) return denied;
      const bug = await load(input.ref);
      const detail = bug ? await bugDetail(ctx, bug.id) : null;
      if (!detail) return refused(`There is no bug ${input.ref}.`);
      return ok({
        ...render(detail.bug),
        conversation: detail.conversation.map(conversationJson),
        events: detail.events.map(eventJson),
      });
    },
  );

  server.registerTool(
    'claim_bug',
    { description: 'Claim a bug as this agent; refused when someone holds it.', inputSchema: { ref } },
    async (input) => {
      const denied = lacks('write');
      if (denied) return denied;
      const bug = await load(input.ref);
      if (!bug) return refused(`There is no bug ${input.ref}.`);
      const outcome = await performBugAction(ctx, { bugId: bug.id, action: 'claim', actorId: agentId, agent });
      return outcome.ok ? ok(render(outcome.bug)) : refused(outcome.refusal.message);
    },
  );

  server.registerTool(
    'release_bug',
    {
      description:
        'Give a claim back. With error, the agent failed at it: counted, and not handed out again for a while.',
      inputSchema: { ref, error: z.string().trim().min(1).max(2000).optional() },
    },
    async (input) => {
      const denied = lacks('write');
      if (denied) return denied;
      const bug = await load(input.ref);
      if (!bug) return refused(`There is no bug ${input.ref}.`);
      const outcome = await releaseAsAgent(ctx, { bugId: bug.id, agent, error: input.error ?? null });
      return outcome.ok ? ok(render(outcome.bug)) : refused(outcome.refusal.message);
    },
  );

  server.registerTool(
    'add_note',
    {
      description: "Add a note or run log to a bug's audit trail; post: true also says it in the Slack thread.",
      inputSchema: {
        ref,
        text: z.string().trim().min(1).max(10_000),
        data: z.record(z.string(), z.unknown()).optional(),
        post: z.boolean().default(false),
      },
    },
    async (input) => {
      const denied = lacks('write');
      if (denied) return denied;
      const bug = await load(input.ref);
      if (!bug) return refused(`There is no bug ${input.ref}.`);
      const note = { text: input.text, post: input.post, data: input.data };
      const outcome = await addAgentNote(ctx, { bugId: bug.id, agent, ...note });
      return outcome.ok ? ok({ event_id: outcome.eventId }) : refused(outcome.message);
    },
  );

  server.registerTool(
    'resolve_bug',
    {
      description:
        "Resolve with a note and the fix (commit SHA or pull request URL). Without the admin scope the fix waits for a person's verification.",
      inputSchema: {
        ref,
        note: z.string().trim().min(1).max(2000),
        commit_sha: z
          .string()
          .regex(/^[0-9a-f]{7,40}$/i)
          .optional(),
        pull_request_url: z
          .string()
          .url()
          .regex(/^https?:\/\//)
          .optional(),
      },
    },
    async (input) => {
      const denied = lacks('write');
      if (denied) return denied;
      if (input.commit_sha && input.pull_request_url) {
        return refused('Give the commit SHA or the pull request URL, not both.');
      }
      const bug = await load(input.ref);
      if (!bug) return refused(`There is no bug ${input.ref}.`);
      const outcome = await performBugAction(ctx, {
        bugId: bug.id,
        action: 'resolve',
        actorId: agentId,
        agent,
        details: { note: input.note, link: input.commit_sha ?? input.pull_request_url ?? null },
      });
      return outcome.ok ? ok(render(outcome.bug)) : refused(outcome.refusal.message);
    },
  );

  server.registerTool(
    'report_bug',
    {
      description: 'File a bug: posted to the first bug channel with its card, like /bugs report.',
      inputSchema: {
        title: z.string().trim().min(1).max(200),
        description: z.string().max(40_000).default(''),
        severity: z.enum(SEVERITIES).default('medium'),
        category: z.string().trim().min(1).max(100).optional(),
        trace_id: z.string().trim().min(1).max(200).optional(),
        request_id: z.string().trim().min(1).max(200).optional(),
        release_sha: z.string().trim().min(1).max(200).optional(),
        source: z.enum(['agent', 'system']).default('agent'),
      },
    },
    async (input) => {
      const denied = lacks('write');
      if (denied) return denied;
      const result = await fileApiReport(ctx, agentReportFrom(agent, input));
      return ok(render(result.bug));
    },
  );

  return server;
}
