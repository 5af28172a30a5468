// The MCP server driven by the SDK's own client: over streamable HTTP at /mcp on the running app, and over stdio
// as `npm run mcp` starts it. Same tokens, scopes and services as REST.
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { describe, expect, it } from 'vitest';
import { BugEvent, BugReport } from '../../src/db/entities/index.ts';
import { createApiToken } from '../../src/services/api-tokens.ts';
import { PROJECT_ROOT } from '../support/bot-process.ts';
import { useTestDatabase } from '../support/database.ts';
import { BASE_TEST_ENV, useTestApp } from '../support/test-app.ts';

const db = useTestDatabase();
const t = useTestApp(db);

async function token(name: string, scopes: ('read' | 'write' | 'admin')[]) {
  const created = await createApiToken(t.bugsweep.ctx, { name, scopes });
  if (!created.ok) throw new Error(created.message);
  return created.token;
}

async function httpClient(bearer: string): Promise<Client> {
  const client = new Client({ name: 'test-agent', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${t.baseUrl}/mcp`), {
      requestInit: { headers: { authorization: `Bearer ${bearer}` } },
    }),
  );
  return client;
}

const textOf = (result: Awaited<ReturnType<Client['callTool']>>) =>
  (result.content as { type: string; text: string }[])[0]?.text ?? '';

describe('MCP over streamable HTTP', () => {
  it('lists the tools with their input schemas', async () => {
    const client = await httpClient(await token('mcp-lister', ['read']));
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual(
      ['add_note', 'claim_bug', 'get_bug', 'list_bugs', 'release_bug', 'report_bug', 'resolve_bug'].sort(),
    );
    expect(tools.find((tool) => tool.name === 'add_note')?.inputSchema.required).toEqual(['ref', 'text']);
    await client.close();
  });

  it('reports, claims, notes and resolves through the same lifecycle as REST, visible in Slack', async () => {
    const client = await httpClient(await token('mcp-agent', ['read', 'write']));
    const filed = JSON.parse(
      textOf(await client.callTool({ name: 'report_bug', arguments: { title: 'MCP-filed crash', severity: 'high' } })),
    );
    await t.settle();
    expect(filed).toMatchObject({ status: 'open', reporter: 'agent:mcp-agent', source: 'agent' });

    const claimed = JSON.parse(textOf(await client.callTool({ name: 'claim_bug', arguments: { ref: filed.ref } })));
    expect(claimed.claimant).toMatchObject({ kind: 'agent', name: 'mcp-agent' });
    await client.callTool({ name: 'add_note', arguments: { ref: filed.ref, text: 'bisected to 1a2b3c4', post: true } });
    const resolved = JSON.parse(
      textOf(
        await client.callTool({
          name: 'resolve_bug',
          arguments: { ref: filed.ref, note: 'fixed the guard', commit_sha: '1a2b3c4' },
        }),
      ),
    );
    expect(resolved.status).toBe('awaiting_verification');
    await t.settle();

    const posted = t.slackApi
      .callsTo('chat.postMessage')
      .map((call) => String(call.body.text))
      .join('\n');
    expect(posted).toContain('bisected to 1a2b3c4');
    expect(posted).toContain('waiting for verification');
    const types = (await db.orm.em.fork().find(BugEvent, { bugId: filed.id }, { orderBy: { id: 'asc' } })).map((e) => [
      e.eventType,
      e.actorKind,
    ]);
    expect(types).toEqual(
      expect.arrayContaining([
        ['bug.claimed', 'agent'],
        ['bug.note_added', 'agent'],
        ['bug.resolved', 'agent'],
      ]),
    );

    const got = JSON.parse(textOf(await client.callTool({ name: 'get_bug', arguments: { ref: filed.ref } })));
    expect(got.events.map((e: { type: string }) => e.type)).toContain('bug.note_added');
    await client.close();
  });

  it('keeps the scopes and the rules: a read token cannot write, a second agent cannot take a claimed bug', async () => {
    const reader = await httpClient(await token('mcp-reader', ['read']));
    const denied = await reader.callTool({ name: 'report_bug', arguments: { title: 'not allowed' } });
    expect(denied.isError).toBe(true);
    expect(textOf(denied)).toContain('write');
    expect(await db.orm.em.fork().count(BugReport, { title: 'not allowed' })).toBe(0);

    const first = await httpClient(await token('mcp-first', ['write']));
    const second = await httpClient(await token('mcp-second', ['write']));
    const bug = JSON.parse(
      textOf(await first.callTool({ name: 'report_bug', arguments: { title: 'Contended MCP bug' } })),
    );
    await first.callTool({ name: 'claim_bug', arguments: { ref: bug.ref } });
    const taken = await second.callTool({ name: 'claim_bug', arguments: { ref: bug.ref } });
    expect(taken.isError).toBe(true);
    expect(textOf(taken)).toContain('mcp-first');
    const badInput = await second.callTool({ name: 'get_bug', arguments: { ref: 'not a ref' } });
    expect(badInput.isError).toBe(true);
    for (const client of [reader, first, second]) await client.close();
  });

  it("holds tool input to REST's rules: no blank title, note or resolution note, and a commit or a pull request, not both", async () => {
    const client = await httpClient(await token('mcp-strict', ['write']));
    const blank = await client.callTool({
      name: 'report_bug',
      arguments: { title: '   ', description: 'blank title' },
    });
    expect(blank.isError).toBe(true);
    expect(await db.orm.em.fork().count(BugReport, { description: 'blank title' })).toBe(0);

    const bug = JSON.parse(
      textOf(await client.callTool({ name: 'report_bug', arguments: { title: 'Strict MCP bug' } })),
    );
    await client.callTool({ name: 'claim_bug', arguments: { ref: bug.ref } });
    const blankNote = await client.callTool({ name: 'add_note', arguments: { ref: bug.ref, text: '  ' } });
    expect(blankNote.isError).toBe(true);
    const blankResolution = await client.callTool({ name: 'resolve_bug', arguments: { ref: bug.ref, note: ' ' } });
    expect(blankResolution.isError).toBe(true);
    const both = await client.callTool({
      name: 'resolve_bug',
      arguments: {
        ref: bug.ref,
        note: 'fixed',
        commit_sha: '1a2b3c4',
        pull_request_url: 'https://github.com/o/r/pull/9',
      },
    });
    expect(both.isError).toBe(true);
    expect(textOf(both)).toContain('not both');
    const stored = await db.orm.em.fork().findOneOrFail(BugReport, { id: bug.id });
    expect(stored.status).toBe('in_progress');
    expect(await db.orm.em.fork().count(BugEvent, { bugId: bug.id, eventType: 'bug.note_added' })).toBe(0);
    await client.close();
  });

  it('lists bugs a page at a time with a cursor, and by reporter and updated_since as REST does', async () => {
    const client = await httpClient(await token('mcp-pager', ['write']));
    const filed: string[] = [];
    for (const n of [1, 2, 3]) {
      const bug = JSON.parse(textOf(await client.callTool({ name: 'report_bug', arguments: { title: `Paged ${n}` } })));
      filed.push(bug.ref);
    }
    const list = async (args: Record<string, unknown>) =>
      JSON.parse(textOf(await client.callTool({ name: 'list_bugs', arguments: args })));
    const page1 = await list({ reporter: 'agent:mcp-pager', limit: 2 });
    expect(page1.data.map((b: { title: string }) => b.title)).toEqual(['Paged 3', 'Paged 2']);
    expect(page1.next_cursor).toEqual(expect.any(String));
    const page2 = await list({ reporter: 'agent:mcp-pager', limit: 2, cursor: page1.next_cursor });
    expect(page2.data.map((b: { title: string }) => b.title)).toEqual(['Paged 1']);
    expect(page2.next_cursor).toBeNull();
    const later = await list({ reporter: 'agent:mcp-pager', updated_since: '2099-01-01T00:00:00Z' });
    expect(later.data).toEqual([]);
    const bad = await client.callTool({ name: 'list_bugs', arguments: { cursor: 'garbage' } });
    expect(bad.isError).toBe(true);
    await client.close();
  });

  it('refuses a request without a valid token with 401', async () => {
    const res = await fetch(`${t.baseUrl}/mcp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });
});

describe('MCP over stdio (npm run mcp)', () => {
  it('serves the same tools to a client that starts it, with the token from BUGSWEEP_TOKEN', {
    timeout: 60_000,
  }, async () => {
    const bearer = await token('stdio-agent', ['read']);
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [path.join(PROJECT_ROOT, 'src/cli/mcp-stdio.ts')],
      cwd: PROJECT_ROOT,
      env: {
        ...BASE_TEST_ENV,
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        SLACK_API_URL: t.slackApi.url,
        DATABASE_URL: db.url,
        BUGSWEEP_TOKEN: bearer,
      },
      stderr: 'pipe',
    });
    const client = new Client({ name: 'stdio-test', version: '1.0.0' });
    await client.connect(transport);
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toContain('list_bugs');
    const listed = JSON.parse(textOf(await client.callTool({ name: 'list_bugs', arguments: { limit: 5 } })));
    expect(Array.isArray(listed.data)).toBe(true);
    expect(listed.data.length).toBeGreaterThan(0);
    await client.close();
  });
});
