// `npm run tokens -- create|list|revoke` as an operator runs it (`node src/cli/tokens-cli.ts …`), against this file's
// database; the token it prints works on the API until it is revoked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticate } from '../../src/services/api-tokens.ts';
import { startBotProcess } from '../support/bot-process.ts';
import { useTestDatabase } from '../support/database.ts';
import { type FakeSlackApi, startFakeSlackApi } from '../support/fake-slack-api.ts';
import { BASE_TEST_ENV, useTestApp } from '../support/test-app.ts';

const db = useTestDatabase();
const t = useTestApp(db);
let slackApi: FakeSlackApi;
beforeAll(async () => {
  slackApi = await startFakeSlackApi();
});
afterAll(() => slackApi.close());

async function tokens(...args: string[]) {
  const run = startBotProcess(
    { ...BASE_TEST_ENV, NODE_ENV: 'production', DATABASE_URL: db.url, SLACK_API_URL: slackApi.url },
    'src/cli/tokens-cli.ts',
    args,
  );
  const code = await run.exited;
  return { code, output: run.output() };
}

describe('npm run tokens', () => {
  it('creates a token printed once, lists it without its secret, refuses bad input, and revokes it', {
    timeout: 90_000,
  }, async () => {
    const created = await tokens('create', '--name', 'remediation-bot', '--scopes', 'read,write');
    expect(created.code).toBe(0);
    const token = /bsw_remediation-bot_[0-9a-f]{64}/.exec(created.output)?.[0] ?? '';
    expect(token).not.toBe('');
    const res = await fetch(`${t.baseUrl}/api/v1/stats`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);

    const listed = await tokens('list');
    expect(listed.code).toBe(0);
    expect(listed.output).toContain('remediation-bot');
    expect(listed.output).toContain('read,write');
    expect(listed.output).not.toContain(token.slice(-64));

    const again = await tokens('create', '--name', 'remediation-bot', '--scopes', 'read');
    expect(again.code).toBe(1);
    expect(again.output).toContain('exists already');
    const badScope = await tokens('create', '--name', 'other', '--scopes', 'read,root');
    expect(badScope.code).not.toBe(0);
    expect(badScope.output).toContain('read, write, admin');

    const revoked = await tokens('revoke', 'remediation-bot');
    expect(revoked.code).toBe(0);
    expect((await authenticate(t.bugsweep.ctx, token)).ok).toBe(false);
    expect((await tokens('revoke', 'remediation-bot')).code).toBe(1);
  });
});
