// The MCP server over stdio for AI agents on the operator's machine: `BUGSWEEP_TOKEN=bsw_… npm run mcp`.
// Same settings and database as the bot (its notifier sends the cards and notices this process queues); stdout
// carries only the protocol, logs go to stderr.
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { createAgentMcpServer } from '../mcp/agent-tools.ts';
import { authenticate } from '../services/api-tokens.ts';
import { withContext } from './cli-context.ts';

await withContext(async (ctx) => {
  const auth = await authenticate(ctx, process.env.BUGSWEEP_TOKEN?.trim() || null);
  if (!auth.ok) {
    console.error(
      auth.reason === 'rate_limited'
        ? 'BUGSWEEP_TOKEN is over its request budget; try again shortly.'
        : 'BUGSWEEP_TOKEN is missing, unknown or revoked: create one with npm run tokens -- create --name <name> --scopes read,write',
    );
    process.exitCode = 1;
    return;
  }
  const server = createAgentMcpServer(ctx, auth.agent);
  const closed = new Promise<void>((resolve) => {
    server.server.onclose = () => resolve();
  });
  await server.connect(new StdioServerTransport());
  await closed;
});
