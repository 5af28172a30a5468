// API tokens for agents, for operators:
//   npm run tokens -- create --name remediation-bot --scopes read,write   prints the token once
//   npm run tokens -- list                                                 names, scopes, created, last used
//   npm run tokens -- revoke <name>                                        the token stops working at once
import { Command, InvalidArgumentError } from 'commander';
import { API_SCOPES, type ApiScope } from '../domain/api-scopes.ts';
import { createApiToken, listApiTokens, revokeApiToken } from '../services/api-tokens.ts';
import { table, withContext } from './cli-context.ts';

function parseScopes(value: string): ApiScope[] {
  const scopes = value
    .split(',')
    .map((scope) => scope.trim())
    .filter(Boolean);
  const unknown = scopes.filter((scope) => !(API_SCOPES as readonly string[]).includes(scope));
  if (scopes.length === 0 || unknown.length > 0) {
    throw new InvalidArgumentError(`expected a comma-separated list of ${API_SCOPES.join(', ')}; got "${value}"`);
  }
  return scopes as ApiScope[];
}

const program = new Command()
  .name('npm run tokens --')
  .description('Create, list and revoke the API tokens agents use (REST and MCP).')
  .showHelpAfterError();

program
  .command('create')
  .description('create a token; its secret is printed once and stored only as a hash')
  .requiredOption('--name <name>', 'what the agent is called on cards and in the audit trail, e.g. remediation-bot')
  .requiredOption('--scopes <scopes>', `comma-separated: ${API_SCOPES.join(', ')}`, parseScopes)
  .action(async (options: { name: string; scopes: ApiScope[] }) => {
    await withContext(async (ctx) => {
      const created = await createApiToken(ctx, options);
      if (!created.ok) {
        console.error(created.message);
        process.exitCode = 1;
        return;
      }
      process.stdout.write(
        `Created token "${created.name}" with scopes ${created.scopes.join(', ')}.\n` +
          'Copy it now; it is not shown again:\n\n' +
          `${created.token}\n`,
      );
    });
  });

program
  .command('list')
  .description('list tokens (never their secrets)')
  .action(async () => {
    await withContext(async (ctx) => {
      const tokens = await listApiTokens(ctx);
      const iso = (date: Date | null) => (date ? date.toISOString() : '');
      process.stdout.write(
        table(
          'API tokens',
          ['name', 'scopes', 'created', 'last used', 'revoked'],
          tokens.map((t) => [t.name, t.scopes.join(','), iso(t.createdAt), iso(t.lastUsedAt), iso(t.revokedAt)]),
        ) || 'No API tokens yet. Create one with: npm run tokens -- create --name <name> --scopes read,write\n',
      );
    });
  });

program
  .command('revoke')
  .description('revoke a token: requests with it are refused from now on')
  .argument('<name>', 'the token name')
  .action(async (name: string) => {
    await withContext(async (ctx) => {
      if (await revokeApiToken(ctx, name)) {
        process.stdout.write(`Revoked token "${name}".\n`);
      } else {
        console.error(`There is no active token named "${name}".`);
        process.exitCode = 1;
      }
    });
  });

await program.parseAsync(process.argv);
