// A /bugs subcommand whose service fails still answers the person who typed it: before its acknowledgement with a
// short ephemeral apology (not Slack's "didn't respond" timeout), after it through the response_url. A button press
// or a mention that fails after its acknowledgement (Slack never sends it again) is answered with the same apology,
// and a Resolve form whose action fails stays open with an inline error.
// The database is made to fail for real: the table the services read is moved out of their way.
import { afterEach, describe, expect, it } from 'vitest';
import { VIEWS } from '../../src/messages/ids.ts';
import { useTestDatabase } from '../support/database.ts';
import { buttonPress, resolveFormValues, viewSubmission } from '../support/interaction-payloads.ts';
import { sendEvent, sendInteraction, sendSlashCommand } from '../support/signed-requests.ts';
import { TEST_CHANNEL, TEST_USERS, useTestApp } from '../support/test-app.ts';
import { slackTs } from '../support/test-clock.ts';

const db = useTestDatabase();
const t = useTestApp(db);

const SORRY = /^Sorry, something went wrong on my side and I could not finish that\. Please try again in a moment/;
let broken = false;

async function breakDatabase() {
  await db.orm.em.fork().execute('alter table bug_reports rename to bug_reports_unreachable');
  broken = true;
}

afterEach(async () => {
  if (broken) await db.orm.em.fork().execute('alter table bug_reports_unreachable rename to bug_reports');
  broken = false;
});

const failures = () => t.logs.filter((line) => line.msg === 'a /bugs subcommand failed');

describe('a subcommand that fails', () => {
  it.each([
    ['list', TEST_USERS.reporter],
    ['claim BUG-1', TEST_USERS.developer],
    ['close BUG-1 not needed', TEST_USERS.admin],
    ['stale', TEST_USERS.admin],
    ['release', TEST_USERS.admin],
  ])('before acknowledging (/bugs %s) answers at once with a short apology', async (text, userId) => {
    await breakDatabase();
    const before = failures().length;
    const res = await sendSlashCommand(t.baseUrl, { userId, text });
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ response_type: 'ephemeral', text: expect.stringMatching(SORRY) });
    await t.idle();
    expect(failures()).toHaveLength(before + 1);
    expect(failures().at(-1)).toMatchObject({ subcommand: text.split(' ')[0], user: userId, acknowledged: false });
  });

  it('after acknowledging (the form cannot be opened) says so through the response_url', async () => {
    t.slackApi.enqueue('views.open', { status: 200, body: { ok: false, error: 'expired_trigger_id' } });
    const res = await sendSlashCommand(t.baseUrl, {
      userId: TEST_USERS.reporter,
      text: 'report',
      responseUrl: `${t.slackApi.url}response/report`,
    });
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    await t.idle();
    const answers = t.slackApi.callsTo('response/report');
    expect(answers).toHaveLength(1);
    expect(answers[0]!.body).toMatchObject({ response_type: 'ephemeral', text: expect.stringMatching(SORRY) });
    expect(failures().at(-1)).toMatchObject({ subcommand: 'report', acknowledged: true });
  });

  it('leaves the app answering normally once the database is back', async () => {
    await breakDatabase();
    expect((await sendSlashCommand(t.baseUrl, { userId: TEST_USERS.reporter, text: 'list' })).json()).toMatchObject({
      text: expect.stringMatching(SORRY),
    });
    await db.orm.em.fork().execute('alter table bug_reports_unreachable rename to bug_reports');
    broken = false;
    const answer = (await sendSlashCommand(t.baseUrl, { userId: TEST_USERS.reporter, text: 'list' })).json() as {
      text: string;
    };
    expect(answer.text).not.toMatch(SORRY);
  });
});

describe('a button press or a mention that fails once acknowledged', () => {
  const whispered = () => t.slackApi.callsTo('chat.postEphemeral').map((call) => call.body);

  it('tells the presser to try again, in the thread', async () => {
    await breakDatabase();
    const threadTs = slackTs(t.clock.now());
    const press = buttonPress({
      userId: TEST_USERS.developer,
      actionId: 'bug_claim',
      value: '1',
      channelId: TEST_CHANNEL,
      messageTs: threadTs,
      threadTs,
    });
    expect((await sendInteraction(t.baseUrl, press)).status).toBe(200);
    await t.idle();
    expect(whispered()).toEqual([
      expect.objectContaining({ user: TEST_USERS.developer, thread_ts: threadTs, text: expect.stringMatching(SORRY) }),
    ]);
  });

  it('tells whoever mentioned the bot to try again, in the thread', async () => {
    await breakDatabase();
    const threadTs = slackTs(t.clock.now());
    const mention = {
      type: 'app_mention',
      user: TEST_USERS.developer,
      text: '<@UBUGSWEEP> claim',
      ts: slackTs(new Date(t.clock.now().getTime() + 1_000)),
      thread_ts: threadTs,
      channel: TEST_CHANNEL,
      event_ts: threadTs,
    };
    expect((await sendEvent(t.baseUrl, mention)).status).toBe(200);
    await t.idle();
    expect(whispered()).toEqual([
      expect.objectContaining({ user: TEST_USERS.developer, thread_ts: threadTs, text: expect.stringMatching(SORRY) }),
    ]);
  });
});

describe('a Resolve form whose action fails to save', () => {
  it('stays open with an inline error, so the note typed is not lost', async () => {
    await breakDatabase();
    const res = await sendInteraction(
      t.baseUrl,
      viewSubmission({
        userId: TEST_USERS.developer,
        values: resolveFormValues('Fixed the retry loop'),
        privateMetadata: JSON.stringify({ bugId: 1 }),
        callbackId: VIEWS.resolveBug,
      }),
    );
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({
      response_action: 'errors',
      errors: { resolution_note_block: expect.stringMatching(/submit again/) },
    });
  });
});
