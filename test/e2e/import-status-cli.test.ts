// `npm run import` and `npm run status` as an operator runs them (node src/cli/….ts), against this file's database
// through DATABASE_URL: the summary table and exit codes, the rejects file, a malformed file, and the status tables
// and JSON. Few processes: dry runs, re-runs and the rest are in test/integration/legacy-import.test.ts.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BugReport } from '../../src/db/entities/index.ts';
import { startBotProcess } from '../support/bot-process.ts';
import { useTestDatabase } from '../support/database.ts';
import { type FakeSlackApi, startFakeSlackApi } from '../support/fake-slack-api.ts';
import { BASE_TEST_ENV } from '../support/test-app.ts';

const db = useTestDatabase();
let slackApi: FakeSlackApi;
const dir = mkdtempSync(path.join(os.tmpdir(), 'bugsweep-import-cli-'));
beforeAll(async () => {
  slackApi = await startFakeSlackApi();
});
afterAll(async () => {
  await slackApi.close();
  rmSync(dir, { recursive: true, force: true });
});

async function run(script: string, ...args: string[]) {
  const child = startBotProcess(
    { ...BASE_TEST_ENV, NODE_ENV: 'production', DATABASE_URL: db.url, SLACK_API_URL: slackApi.url },
    script,
    args,
  );
  const code = await child.exited;
  return { code, output: child.output() };
}

const RECORDS = [
  { id: 'OLD-1', title: 'Export button does nothing', priority: 'P1', state: 'open', created: '2024-01-01' },
  { id: 'OLD-2', title: 'Typo on the login page', severity: 'trivial', status: 'fixed', created: '2024-01-02' },
  { id: 'OLD-3', title: 'No creation time' },
];

describe('npm run import and npm run status', () => {
  it('imports, says what it did and rejects into a file; status prints tables and JSON', {
    timeout: 120_000,
  }, async () => {
    const input = path.join(dir, 'reports.json');
    writeFileSync(input, JSON.stringify(RECORDS));
    const rejects = path.join(dir, 'rejects.jsonl');

    const first = await run('src/cli/import-cli.ts', input, '--batch-size', '2', '--rejects', rejects);
    expect(first.code).toBe(1);
    expect(first.output).toMatch(/import: 3\/3 records/);
    expect(first.output).toMatch(/│ 3\s+│ 2\s+│ 0\s+│ 1\s+│/);
    expect(first.output).toContain('reports.json#3');
    expect(first.output).toContain(`Every rejected record, with its field errors: ${rejects}`);
    expect(JSON.parse(readFileSync(rejects, 'utf8'))).toMatchObject({
      legacyId: 'OLD-3',
      errors: [{ field: 'createdAt', message: 'required' }],
    });

    expect(await db.orm.em.fork().count(BugReport, {})).toBe(2);
    expect(slackApi.calls).toHaveLength(0);

    const status = await run('src/cli/status-cli.ts');
    expect(status.code).toBe(0);
    expect(status.output).toContain('Bugs by status and severity (2 in all)');
    expect(status.output).toMatch(/│ Open\s+│ 0\s+│ 0\s+│ 1\s+│ 0\s+│ 1\s+│/);
    expect(status.output).toContain('Oldest open bugs (1)');
    expect(status.output).toMatch(/│ bug\s+│ title\s+│ status\s+│ severity\s+│ age\s+│ due\s+│/);
    expect(status.output).toContain('imported OLD-1, no thread');
    expect(status.output).toContain('Orphaned claims: none');
    expect(status.output).toContain('Last sweep runs: none yet');
    expect(status.output).toMatch(/Outbox\n[^\n]*\n│ pending/);

    const json = await run('src/cli/status-cli.ts', '--json', '--sort', 'due');
    expect(json.code).toBe(0);
    const parsed = JSON.parse(json.output);
    expect(parsed.oldestOpenSort).toBe('due');
    expect(parsed.oldestOpen[0]).toHaveProperty('slaDueAt');
    expect(parsed.counts.byStatus).toMatchObject({ open: 1, resolved: 1 });
    expect(parsed.oldestOpen[0]).toMatchObject({ legacyId: 'OLD-1', inSlack: false, severity: 'high' });

    // --channel: a channel bugsweep does not watch is refused; a bug channel gets the open bug's root message
    // queued for the running bot, and the command itself calls no Slack.
    const elsewhere = await run('src/cli/import-cli.ts', input, '--channel', 'COTHER99', '--rejects', rejects);
    expect(elsewhere.code).toBe(2);
    expect(elsewhere.output).toContain('Nothing was imported: COTHER99 is not one of BUG_CHANNELS (CBUGS)');
    const posted = await run('src/cli/import-cli.ts', input, '--channel', 'CBUGS', '--rejects', rejects);
    expect(posted.code).toBe(1);
    expect(posted.output).toContain('1 root message queued for CBUGS: the running bot posts');
    expect(slackApi.calls).toHaveLength(0);
  });

  it('stops at once on a file that is not JSON, naming it and the position', { timeout: 60_000 }, async () => {
    const input = path.join(dir, 'broken.json');
    writeFileSync(
      input,
      '[\n  {"id": "X-1", "title": "fine", "created": "2024-01-01"},\n  {"id": "X-2" "title": "no comma"}\n]',
    );
    const result = await run('src/cli/import-cli.ts', input);
    expect(result.code).toBe(2);
    expect(result.output).toContain(
      `Nothing was imported: ${input} (line 3, column 16) is not valid JSON: expected ',' or '}'`,
    );
  });
});
