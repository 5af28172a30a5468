// The operator command line as an operator runs it (`npm run sweep -- …` is `node src/cli/sweep-cli.ts …`),
// against this file's database through DATABASE_URL and the fake Slack API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BugEvent, BugReport, SweepRun } from '../../src/db/entities/index.ts';
import { startBotProcess } from '../support/bot-process.ts';
import { useTestDatabase } from '../support/database.ts';
import { createBug } from '../support/factories.ts';
import { type FakeSlackApi, startFakeSlackApi } from '../support/fake-slack-api.ts';
import { BASE_TEST_ENV } from '../support/test-app.ts';
import { DAY } from '../support/test-clock.ts';

const db = useTestDatabase();
let slackApi: FakeSlackApi;
beforeAll(async () => {
  slackApi = await startFakeSlackApi();
});
afterAll(() => slackApi.close());

async function cli(...args: string[]) {
  const run = startBotProcess(
    { ...BASE_TEST_ENV, NODE_ENV: 'production', DATABASE_URL: db.url, SLACK_API_URL: slackApi.url },
    'src/cli/sweep-cli.ts',
    args,
  );
  const code = await run.exited;
  return { code, stdout: run.output() };
}

describe('npm run sweep', () => {
  it('previews, dry-runs without changing anything, then runs once and posts the notices', {
    timeout: 60_000,
  }, async () => {
    const now = Date.now();
    const quiet = await createBug(db.orm.em.fork(), {
      title: 'Quiet for a while',
      createdAt: new Date(now - 4.5 * DAY),
    });
    // Two more in the same channel: the command line sends all three at Slack's pace before it exits.
    await createBug(db.orm.em.fork(), { title: 'Also quiet', createdAt: new Date(now - 4.6 * DAY) });
    await createBug(db.orm.em.fork(), { title: 'Quiet too', createdAt: new Date(now - 4.7 * DAY) });
    const fresh = await createBug(db.orm.em.fork(), { title: 'Reported today', createdAt: new Date(now - 3_600_000) });

    const preview = await cli('preview');
    expect(preview.code).toBe(0);
    expect(preview.stdout).toContain('Would be warned now (3)');
    expect(preview.stdout).toContain(quiet.ref);
    expect(preview.stdout).not.toContain(fresh.ref);

    const dry = await cli('run', '--dry-run');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/Dry run #\d+ \(nothing changed, nothing posted\) would have:/);
    expect(dry.stdout).toContain(quiet.ref);
    expect(await db.orm.em.fork().count(BugEvent, { bugId: quiet.id })).toBe(0);
    expect(slackApi.callsTo('chat.postMessage')).toHaveLength(0);

    const run = await cli('run');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Sweep run #\d+:/);
    expect(run.stdout).toContain('All notices sent to Slack.');
    expect((await db.orm.em.fork().findOneOrFail(BugReport, quiet.id)).warnedAt).toBeTruthy();
    const posts = slackApi.callsTo('chat.postMessage');
    expect(posts).toHaveLength(3);
    expect(posts.map((p) => p.body.thread_ts)).toContain(quiet.threadTs);
    // Paced to about one message a second in the channel. The slot is taken when a notice is leased, and the
    // process's first Web API call also loads its HTTP client, so the first post can reach Slack late: two slots
    // apart, the first and third arrive at least one interval apart (unpaced, they would be milliseconds apart).
    expect(posts[2]!.at - posts[0]!.at).toBeGreaterThanOrEqual(1_000);

    const runs = await db.orm.em.fork().find(SweepRun, {}, { orderBy: { id: 'asc' } });
    expect(runs.map((r) => [r.trigger, r.dryRun, r.status, r.warned])).toEqual([
      ['cli', true, 'completed', 3],
      ['cli', false, 'completed', 3],
    ]);
  });

  it('names a bad setting and stops', async () => {
    const run = startBotProcess(
      { ...BASE_TEST_ENV, DATABASE_URL: db.url, AUTO_CLOSE_AFTER: 'later' },
      'src/cli/sweep-cli.ts',
      ['preview'],
    );
    expect(await run.exited).toBe(1);
    expect(run.output()).toContain('AUTO_CLOSE_AFTER expected a duration');
  });
});
