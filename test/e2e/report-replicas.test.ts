// Two replicas of the bot (two processes, as a deployment runs them) on one database, behind a load balancer that
// hands the same report modal submission to both: the person pressed Report twice because Slack answered slowly.
// PostgreSQL decides, so the report is posted once and filed once, and both answers show the same bug.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BugReport } from '../../src/db/entities/index.ts';
import { type BotProcess, startBotProcess, waitUntilHealthy } from '../support/bot-process.ts';
import { useTestDatabase } from '../support/database.ts';
import { type FakeSlackApi, startFakeSlackApi } from '../support/fake-slack-api.ts';
import { freePort } from '../support/free-port.ts';
import { reportFormValues, viewSubmission } from '../support/interaction-payloads.ts';
import { sendInteraction } from '../support/signed-requests.ts';
import { BASE_TEST_ENV, TEST_USERS } from '../support/test-app.ts';

const db = useTestDatabase();
let slackApi: FakeSlackApi;
const replicas: { bot: BotProcess; url: string }[] = [];

beforeAll(async () => {
  slackApi = await startFakeSlackApi();
  for (let i = 0; i < 2; i += 1) {
    const port = await freePort();
    const bot = startBotProcess({
      ...BASE_TEST_ENV,
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      SLACK_API_URL: slackApi.url,
      DATABASE_URL: db.url,
      PORT: String(port),
    });
    replicas.push({ bot, url: `http://127.0.0.1:${port}` });
  }
  await Promise.all(replicas.map(({ bot, url }) => waitUntilHealthy(bot, url)));
}, 120_000);

afterAll(async () => {
  for (const { bot } of replicas) bot.child.kill('SIGTERM');
  await Promise.all(replicas.map(({ bot }) => bot.exited));
  await slackApi?.close();
});

describe('one report modal submission reaching two replicas', () => {
  it('is posted once and filed once; both replicas answer with that bug', { timeout: 60_000 }, async () => {
    const payload = viewSubmission({
      userId: TEST_USERS.reporter,
      values: reportFormValues({ title: 'Invoice PDF is blank', description: 'since this morning' }),
    });
    const answers = await Promise.all(replicas.map(({ url }) => sendInteraction(url, payload)));
    expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
    const views = answers.map((answer) => answer.json() as { response_action: string; view: unknown });
    expect(views.map((view) => view.response_action)).toEqual(['update', 'update']);

    const bugs = await db.orm.em.fork().find(BugReport, { title: 'Invoice PDF is blank' });
    expect(bugs).toHaveLength(1);
    expect(bugs[0]!.sourceViewId).toBe(payload.view.id);
    for (const view of views) expect(JSON.stringify(view.view)).toContain(bugs[0]!.ref);
    const reportPosts = slackApi.callsTo('chat.postMessage').filter((call) => !call.body.thread_ts);
    expect(reportPosts).toHaveLength(1);
    expect(slackApi.callsTo('chat.delete')).toEqual([]);

    // Pressed once more, later, on the other replica: still that one bug.
    const again = await sendInteraction(replicas[1]!.url, payload);
    expect(JSON.stringify((again.json() as { view: unknown }).view)).toContain(bugs[0]!.ref);
    expect(await db.orm.em.fork().count(BugReport, { title: 'Invoice PDF is blank' })).toBe(1);
    expect(slackApi.callsTo('chat.postMessage').filter((call) => !call.body.thread_ts)).toHaveLength(1);
  });
});
