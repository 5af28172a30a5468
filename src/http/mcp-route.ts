// MCP over streamable HTTP at /mcp, with the same bearer tokens as the REST API. Stateless: each request gets a
// server bound to the token's agent (the SDK's stateless pattern), so replicas share nothing but PostgreSQL.
// The MCP SDK (with its JSON Schema validator and zod 3 compatibility layer, several MB of heap) is loaded at the
// first authenticated /mcp request, not at start: an idle bot never holds it.
import type { Hono } from 'hono';
import type { AppContext } from '../app-context.ts';
import { authenticate } from '../services/api-tokens.ts';
import { problem, problemResponse } from './problem.ts';

let loading: Promise<{
  Transport: typeof import('@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js').WebStandardStreamableHTTPServerTransport;
  createAgentMcpServer: typeof import('../mcp/agent-tools.ts').createAgentMcpServer;
}> | null = null;
function loadMcp() {
  loading ??= Promise.all([
    import('@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js'),
    import('../mcp/agent-tools.ts'),
  ]).then(([transport, tools]) => ({
    Transport: transport.WebStandardStreamableHTTPServerTransport,
    createAgentMcpServer: tools.createAgentMcpServer,
  }));
  // A failed load is retried by the next request rather than remembered.
  loading.catch(() => {
    loading = null;
  });
  return loading;
}

export function mountMcp(app: Hono, ctx: AppContext): void {
  app.all('/mcp', async (c) => {
    const bearer = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1] ?? null;
    const auth = await authenticate(ctx, bearer);
    if (!auth.ok && auth.reason === 'rate_limited') {
      const seconds = Math.max(1, Math.ceil(auth.retryAfterMs / 1000));
      return problemResponse(
        problem('rateLimited', 429, `This token's request budget is spent; retry in ${seconds} s.`),
        {
          'retry-after': String(seconds),
        },
      );
    }
    if (!auth.ok) {
      return problemResponse(
        problem('unauthorized', 401, 'Send a valid, unrevoked token as Authorization: Bearer <token>.'),
        {
          'www-authenticate': 'Bearer realm="bugsweep"',
        },
      );
    }
    const { Transport, createAgentMcpServer } = await loadMcp();
    const server = createAgentMcpServer(ctx, auth.agent);
    const transport = new Transport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
    });
    await server.connect(transport);
    try {
      return await transport.handleRequest(c.req.raw);
    } finally {
      void server.close();
    }
  });
}
