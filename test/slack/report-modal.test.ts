// Reporting a bug through the /bugs report modal and the "Report as bug" message shortcut, driven the way Slack
// drives them: signed slash commands and interactivity payloads into the running app, the Web API faked at its
// HTTP edge, assertions on the HTTP answers, the stored rows and the exact Slack calls.
import { afterEach, describe, expect, it } from 'vitest';
import { BugConversation, BugEvent, BugReport, SlackNotice } from '../../src/db/entities/index.ts';
import { SEVERITIES } from '../../src/domain/bug-status.ts';
import { INPUTS, VIEWS } from '../../src/messages/ids.ts';
import { useTestDatabase } from '../support/database.ts';
import { FAKE_BOT, type RecordedCall } from '../support/fake-slack-api.ts';
import { messageAction, type ReportForm, reportFormValues, viewSubmission } from '../support/interaction-payloads.ts';
import { refuseRowsContaining } from '../support/refused-rows.ts';
import { sendEvent, sendInteraction, sendSlashCommand } from '../support/signed-requests.ts';
import { topLevelMessage } from '../support/slack-events.ts';
import { TEST_CHANNEL, TEST_USERS, useTestApp } from '../support/test-app.ts';
import { slackTs } from '../support/test-clock.ts';

const db = useTestDatabase();
const t = useTestApp(db);
// Registered after useTestApp's reset, so it runs before it: nothing a test started spills into the next one.
afterEach(async () => {
  await t.settle();
});

const ORIGIN_CHANNEL = 'CGENERAL';
const permalink = (channel: string, ts: string, threadTs?: string) =>
  `${FAKE_BOT.workspaceUrl}archives/${channel}/p${ts.replace('.', '')}${threadTs ? `?thread_ts=${threadTs}&cid=${channel}` : ''}`;

type ViewResponse = { response_action: string; errors?: Record<string, string>; view?: Record<string, unknown> };

async function submit(form: ReportForm, options: { userId?: string; privateMetadata?: string } = {}) {
  const payload = viewSubmission({
    userId: options.userId ?? TEST_USERS.reporter,
    values: reportFormValues(form),
    privateMetadata: options.privateMetadata,
  });
  const res = await sendInteraction(t.baseUrl, payload);
  expect(res.status).toBe(200);
  return res.json() as ViewResponse;
}

const bugCount = () => db.orm.em.fork().count(BugReport);
const allText = (call: RecordedCall) => JSON.stringify([call.body.text, call.body.blocks]);
const viewOf = (call: RecordedCall) =>
  call.body.view as Record<string, unknown> & { blocks: Record<string, unknown>[] };

describe('/bugs report', () => {
  it('acks and opens the report modal with the trigger id', async () => {
    const res = await sendSlashCommand(t.baseUrl, {
      userId: TEST_USERS.reporter,
      text: 'report',
      triggerId: '1111.2222.opentrigger',
    });
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    await t.settle();

    const opens = t.slackApi.callsTo('views.open');
    expect(opens).toHaveLength(1);
    expect(opens[0]!.body.trigger_id).toBe('1111.2222.opentrigger');
    const view = viewOf(opens[0]!);
    expect(view).toMatchObject({ type: 'modal', callback_id: VIEWS.reportBug });
    expect(JSON.parse(String(view.private_metadata))).toEqual({ origin: null });
    const inputs = view.blocks.filter((b) => b.type === 'input');
    expect(inputs.map((b) => b.block_id)).toEqual([
      INPUTS.title.block,
      INPUTS.description.block,
      INPUTS.severity.block,
      INPUTS.traceId.block,
      INPUTS.release.block,
    ]);
    const elementOf = (blockId: string) =>
      inputs.find((b) => b.block_id === blockId)!.element as Record<string, unknown>;
    expect(elementOf(INPUTS.title.block)).toMatchObject({ type: 'plain_text_input', action_id: INPUTS.title.action });
    expect(elementOf(INPUTS.title.block)).not.toHaveProperty('initial_value');
    expect(elementOf(INPUTS.description.block)).toMatchObject({
      action_id: INPUTS.description.action,
      multiline: true,
    });
    expect(elementOf(INPUTS.severity.block)).toMatchObject({
      type: 'static_select',
      action_id: INPUTS.severity.action,
      initial_option: { value: 'medium' },
    });
    expect((elementOf(INPUTS.severity.block).options as { value: string }[]).map((o) => o.value)).toEqual([
      ...SEVERITIES,
    ]);
    expect(elementOf(INPUTS.traceId.block)).toMatchObject({ action_id: INPUTS.traceId.action });
    expect(elementOf(INPUTS.release.block)).toMatchObject({ action_id: INPUTS.release.action });
    // Only the title and severity are required.
    expect(inputs.filter((b) => !b.optional).map((b) => b.block_id)).toEqual([
      INPUTS.title.block,
      INPUTS.severity.block,
    ]);
    // Opening the form posts nothing and files nothing.
    expect(t.slackApi.callsTo('chat.postMessage')).toHaveLength(0);
  });
});

describe('submitting the report modal', () => {
  it('keeps the form open with an inline error when the title is missing', async () => {
    const before = await bugCount();
    const answer = await submit({ title: '   ', description: 'It broke' });
    expect(answer.response_action).toBe('errors');
    expect(Object.keys(answer.errors!)).toEqual([INPUTS.title.block]);
    expect(answer.errors![INPUTS.title.block]).toMatch(/title/i);
    await t.settle();
    expect(t.slackApi.callsTo('chat.postMessage')).toHaveLength(0);
    expect(await bugCount()).toBe(before);
  });

  it('puts an inline error on each field that is too long or malformed, and posts nothing', async () => {
    const before = await bugCount();
    const answer = await submit({
      title: 'x'.repeat(151),
      description: 'd'.repeat(2801),
      release: 'xyz',
      traceId: 'two words',
    });
    expect(answer.response_action).toBe('errors');
    expect(Object.keys(answer.errors!).sort()).toEqual(
      [INPUTS.description.block, INPUTS.release.block, INPUTS.title.block, INPUTS.traceId.block].sort(),
    );
    expect(answer.errors![INPUTS.title.block]).toContain('150');
    expect(answer.errors![INPUTS.title.block]).toContain('151');
    expect(answer.errors![INPUTS.description.block]).toContain('2801');
    expect(answer.errors![INPUTS.release.block]).toMatch(/SHA/);
    await t.settle();
    expect(t.slackApi.calls).toHaveLength(0);
    expect(await bugCount()).toBe(before);
  });

  it('accepts a title of exactly 150 characters and a description of exactly 2800', async () => {
    const answer = await submit({ title: 't'.repeat(150), description: 'd'.repeat(2800) });
    expect(answer.response_action).toBe('update');
    const bugs = await db.orm.em.fork().find(BugReport, { title: 't'.repeat(150) });
    expect(bugs).toHaveLength(1);
    expect(bugs[0]!.description).toHaveLength(2800);
    await t.settle();
  });

  it('files a valid report: posts it to the bug channel credited to the submitter and stores the bug', async () => {
    const before = await bugCount();
    const postedTs = '1800009999.000100';
    t.slackApi.enqueue('chat.postMessage', { status: 200, body: { ok: true, channel: TEST_CHANNEL, ts: postedTs } });
    const answer = await submit(
      {
        title: 'Checkout total shows NaN',
        description: 'Add two items, open the cart.\nrequest-id: req-77aa',
        severity: 'high',
        traceId: '4bf92f3577b34da6',
        release: '1A2B3C4D',
      },
      { userId: TEST_USERS.bystander },
    );

    const posts = t.slackApi.callsTo('chat.postMessage');
    expect(posts).toHaveLength(1);
    const post = posts[0]!;
    expect(post.body.channel).toBe(TEST_CHANNEL);
    expect(post.body).not.toHaveProperty('thread_ts');
    expect(String(post.body.text)).toContain(`<@${TEST_USERS.bystander}>`);
    expect(String(post.body.text)).toContain('Checkout total shows NaN');
    const blocksText = JSON.stringify(post.body.blocks);
    expect(blocksText).toContain(`Reported by <@${TEST_USERS.bystander}>`);
    expect(blocksText).toContain('*Severity:* high');
    expect(blocksText).toContain('4bf92f3577b34da6');
    expect(blocksText).toContain('1a2b3c4d');

    expect(await bugCount()).toBe(before + 1);
    const bug = await db.orm.em.fork().findOneOrFail(BugReport, { title: 'Checkout total shows NaN' });
    expect(bug).toMatchObject({
      status: 'open',
      reporterId: TEST_USERS.bystander,
      severity: 'high',
      traceId: '4bf92f3577b34da6',
      releaseSha: '1a2b3c4d',
      // Not in the form, but typed into the description.
      requestId: 'req-77aa',
      description: 'Add two items, open the cart.\nrequest-id: req-77aa',
      channelId: TEST_CHANNEL,
      threadTs: postedTs,
      sourcePermalink: null,
      ref: `BUG-${bug.id}`,
    });
    expect(bug.createdAt.toISOString()).toBe(new Date(1_800_009_999_000).toISOString());
    const events = await db.orm.em.fork().find(BugEvent, { bugId: bug.id });
    expect(events.map((e) => [e.eventType, e.actorId])).toEqual([['bug.created', TEST_USERS.bystander]]);
    expect(events[0]!.metadata).toMatchObject({ source: 'report_modal', severity: 'high' });
    const rows = await db.orm.em.fork().find(BugConversation, { bugId: bug.id });
    expect(rows.map((r) => [r.senderType, r.senderId, r.slackTs])).toEqual([
      ['reporter', TEST_USERS.bystander, bug.threadTs],
    ]);

    // The form turns into a confirmation naming the bug and linking to its thread.
    expect(answer.response_action).toBe('update');
    expect(answer.view).toMatchObject({ type: 'modal' });
    expect(JSON.stringify(answer.view)).toContain(bug.ref);
    expect(JSON.stringify(answer.view)).toContain(permalink(TEST_CHANNEL, bug.threadTs));

    await t.settle();
    const cards = t.slackApi.callsTo('chat.postMessage').slice(1);
    expect(cards).toHaveLength(1);
    expect(cards[0]!.body).toMatchObject({ channel: TEST_CHANNEL, thread_ts: bug.threadTs });
    expect(String(cards[0]!.body.text)).toContain(bug.ref);
    const stored = await db.orm.em.fork().findOneOrFail(BugReport, bug.id);
    expect(stored.cardTs).toBeTruthy();
    expect(stored.cardTs).not.toBe(bug.threadTs);
  });

  it('files one bug when Slack delivers the same submission twice (a slow answer makes people press Report again)', async () => {
    const before = await bugCount();
    const payload = viewSubmission({
      userId: TEST_USERS.reporter,
      values: reportFormValues({ title: 'Pressed twice', description: 'once please' }),
    });
    const [first, second] = await Promise.all([
      sendInteraction(t.baseUrl, payload),
      sendInteraction(t.baseUrl, payload),
    ]);
    const answers = [first.json() as ViewResponse, second.json() as ViewResponse];
    expect(answers.map((a) => a.response_action)).toEqual(['update', 'update']);
    expect(await bugCount()).toBe(before + 1);
    const bug = await db.orm.em.fork().findOneOrFail(BugReport, { title: 'Pressed twice' });
    for (const answer of answers) expect(JSON.stringify(answer.view)).toContain(bug.ref);
    // The report is posted once; the bug card may already be in its thread (the repeat waits for the first).
    expect(t.slackApi.callsTo('chat.postMessage').filter((call) => !call.body.thread_ts)).toHaveLength(1);
    await t.settle();
  });

  it('files a dozen reports submitted at once while Slack is slow to post them, and stores events meanwhile', {
    timeout: 30_000,
  }, async () => {
    const before = await bugCount();
    let posted = 0;
    // Each report post takes 300 ms; cards (thread posts) are answered as usual.
    t.slackApi.on('chat.postMessage', async (call) => {
      if (call.body.thread_ts) return undefined;
      await new Promise((resolve) => setTimeout(resolve, 300));
      posted += 1;
      return {
        status: 200,
        body: { ok: true, channel: TEST_CHANNEL, ts: `1800000900.${String(posted).padStart(6, '0')}` },
      };
    });
    const submissions = Array.from({ length: 12 }, (_, k) =>
      sendInteraction(
        t.baseUrl,
        viewSubmission({
          userId: TEST_USERS.reporter,
          values: reportFormValues({ title: `Submitted together ${k}`, description: 'at once' }),
        }),
      ),
    );
    const report = topLevelMessage({ user: TEST_USERS.reporter, ts: slackTs(t.clock.now()), text: 'Meanwhile' });
    const stalled = new Promise<'stalled'>((resolve) => setTimeout(() => resolve('stalled'), 10_000).unref());
    const answers = await Promise.race([Promise.all([...submissions, sendEvent(t.baseUrl, report)]), stalled]);
    expect(answers).not.toBe('stalled');
    if (answers === 'stalled') return;
    expect(answers.map((answer) => answer.status)).toEqual(Array(13).fill(200));
    expect(answers.slice(0, 12).map((answer) => (answer.json() as ViewResponse).response_action)).toEqual(
      Array(12).fill('update'),
    );
    expect(await bugCount()).toBe(before + 13);
  });

  it('defaults the severity to medium and leaves empty optional fields empty', async () => {
    const answer = await submit({ title: 'Search ignores accents', severity: null });
    expect(answer.response_action).toBe('update');
    const bug = await db.orm.em.fork().findOneOrFail(BugReport, { title: 'Search ignores accents' });
    expect(bug).toMatchObject({
      severity: 'medium',
      traceId: null,
      releaseSha: null,
      requestId: null,
      description: '',
    });
    const post = t.slackApi.callsTo('chat.postMessage')[0]!;
    expect(JSON.stringify(post.body.blocks)).not.toContain('Trace:');
    expect(JSON.stringify(post.body.blocks)).not.toContain('Release:');
    await t.settle();
  });

  it('keeps the form open with the Slack error on the title when the bug channel refuses the post', async () => {
    const before = await bugCount();
    t.slackApi.enqueue('chat.postMessage', { status: 200, body: { ok: false, error: 'not_in_channel' } });
    const answer = await submit({ title: 'Nobody invited the bot', description: 'keep me' });

    expect(answer.response_action).toBe('errors');
    expect(Object.keys(answer.errors!)).toEqual([INPUTS.title.block]);
    expect(answer.errors![INPUTS.title.block]).toContain('not_in_channel');
    expect(answer).not.toHaveProperty('view');
    await t.settle();
    expect(t.slackApi.callsTo('chat.postMessage')).toHaveLength(1);
    expect(t.slackApi.callsTo('chat.delete')).toHaveLength(0);
    expect(await bugCount()).toBe(before);

    // Submitting again once Slack accepts it files the bug.
    const retry = await submit({ title: 'Nobody invited the bot', description: 'keep me' });
    expect(retry.response_action).toBe('update');
    expect(await bugCount()).toBe(before + 1);
    await t.settle();
  });

  it('takes the post back and keeps the form open when saving the bug fails', async () => {
    const before = await bugCount();
    const postedTs = '1800008888.000100';
    t.slackApi.enqueue('chat.postMessage', { status: 200, body: { ok: true, channel: TEST_CHANNEL, ts: postedTs } });
    // The database refuses the bug's row: the post reaches Slack, then the transaction fails.
    const undo = await refuseRowsContaining(db, 'bug_reports', 'title', 'Broken title');
    const answer = await submit({ title: 'Broken title', description: 'keep me' }).finally(undo);

    expect(answer.response_action).toBe('errors');
    expect(Object.keys(answer.errors!)).toEqual([INPUTS.title.block]);
    expect(answer.errors![INPUTS.title.block]).toMatch(/submit again/);
    expect(t.slackApi.callsTo('chat.delete').map((c) => c.body)).toEqual([{ channel: TEST_CHANNEL, ts: postedTs }]);
    await t.settle();
    expect(await bugCount()).toBe(before);
    expect(await db.orm.em.fork().count(SlackNotice, { channelId: TEST_CHANNEL, threadTs: postedTs })).toBe(0);
    expect(t.slackApi.callsTo('chat.postMessage')).toHaveLength(1);
  });

  // Notifications show the top-level text: a title must not become a real @channel mention there.
  it("does not let a title turn into a mention in the post's notification text", async () => {
    const answer = await submit({ title: '<!channel> totals < 0 & wrong' });
    await t.settle();
    expect(answer.response_action).toBe('update');
    const post = t.slackApi.callsTo('chat.postMessage')[0]!;
    // The blocks escape it; the top-level text (what notifications show) must too.
    expect(JSON.stringify(post.body.blocks)).toContain('&lt;!channel&gt; totals &lt; 0 &amp; wrong');
    expect(String(post.body.text)).not.toContain('<!channel>');
    expect(String(post.body.text)).toContain('&lt;!channel&gt; totals &lt; 0 &amp; wrong');
  });
});

describe('the "Report as bug" message shortcut', () => {
  async function openFromMessage(
    message: { ts: string; text: string; user?: string; threadTs?: string },
    triggerId = '3333.4444.shortcut',
  ) {
    const res = await sendInteraction(
      t.baseUrl,
      messageAction({ userId: TEST_USERS.developer, channelId: ORIGIN_CHANNEL, triggerId, message }),
    );
    expect(res.status).toBe(200);
    await t.settle();
    const opens = t.slackApi.callsTo('views.open');
    expect(opens).toHaveLength(1);
    expect(opens[0]!.body.trigger_id).toBe(triggerId);
    return viewOf(opens[0]!);
  }

  const initialValue = (view: { blocks: Record<string, unknown>[] }, blockId: string) =>
    (view.blocks.find((b) => b.block_id === blockId)?.element as { initial_value?: string } | undefined)?.initial_value;

  it('opens the modal prefilled from the message, carrying where it came from', async () => {
    const ts = slackTs(t.clock.now());
    const text =
      '*Export to CSV* fails for <https://example.com/reports/9|report 9>\nIt spins forever. trace_id=abc123def456';
    const view = await openFromMessage({ ts, text, user: TEST_USERS.reporter });

    expect(view).toMatchObject({ type: 'modal', callback_id: VIEWS.reportBug });
    expect(initialValue(view, INPUTS.title.block)).toBe('Export to CSV fails for report 9');
    expect(initialValue(view, INPUTS.description.block)).toBe(
      'Export to CSV fails for report 9\nIt spins forever. trace_id=abc123def456',
    );
    expect(JSON.parse(String(view.private_metadata))).toEqual({
      origin: {
        channelId: ORIGIN_CHANNEL,
        ts,
        threadTs: null,
        permalink: permalink(ORIGIN_CHANNEL, ts),
        authorId: TEST_USERS.reporter,
      },
    });
    expect(JSON.stringify(view.blocks[0])).toContain(permalink(ORIGIN_CHANNEL, ts));
    expect(t.slackApi.callsTo('chat.postMessage')).toHaveLength(0);
  });

  it('files the bug with its source, says where it came from, and tells the original thread', async () => {
    const ts = slackTs(t.clock.now());
    const text = 'Dashboard graphs are empty since this morning';
    const view = await openFromMessage({ ts, text, user: TEST_USERS.reporter });
    t.slackApi.reset();

    const answer = await submit(
      {
        title: initialValue(view, INPUTS.title.block) ?? null,
        description: initialValue(view, INPUTS.description.block) ?? null,
        severity: 'critical',
      },
      { userId: TEST_USERS.developer, privateMetadata: String(view.private_metadata) },
    );
    expect(answer.response_action).toBe('update');

    const bug = await db.orm.em.fork().findOneOrFail(BugReport, { title: text });
    expect(bug).toMatchObject({
      reporterId: TEST_USERS.developer,
      severity: 'critical',
      channelId: TEST_CHANNEL,
      sourcePermalink: permalink(ORIGIN_CHANNEL, ts),
    });
    expect(JSON.stringify(answer.view)).toContain(bug.ref);

    const [post] = t.slackApi.callsTo('chat.postMessage');
    expect(post!.body.channel).toBe(TEST_CHANNEL);
    expect(allText(post!)).toContain(`<@${TEST_USERS.developer}>`);
    const context = JSON.stringify(post!.body.blocks);
    expect(context).toContain(
      `Reported from <${permalink(ORIGIN_CHANNEL, ts)}|a message> by <@${TEST_USERS.reporter}> in <#${ORIGIN_CHANNEL}>.`,
    );
    const [created] = await db.orm.em.fork().find(BugEvent, { bugId: bug.id });
    expect(created!.metadata).toMatchObject({ source: 'message_shortcut', origin: { channelId: ORIGIN_CHANNEL, ts } });

    await t.settle();
    const posts = t.slackApi.callsTo('chat.postMessage');
    const card = posts.find((c) => c.body.channel === TEST_CHANNEL && c.body.thread_ts === bug.threadTs);
    expect(card).toBeDefined();
    const notices = posts.filter((c) => c.body.channel === ORIGIN_CHANNEL);
    expect(notices).toHaveLength(1);
    expect(notices[0]!.body.thread_ts).toBe(ts);
    expect(String(notices[0]!.body.text)).toContain(`Filed as *${bug.ref}*`);
    expect(String(notices[0]!.body.text)).toContain(permalink(TEST_CHANNEL, bug.threadTs));
    expect(posts).toHaveLength(3);
  });

  it('answers in the thread of a reply the shortcut was used on', async () => {
    const threadTs = slackTs(t.clock.now());
    const ts = slackTs(t.clock.now());
    const view = await openFromMessage({
      ts,
      threadTs,
      text: 'Same here: the upload button is greyed out',
      user: TEST_USERS.bystander,
    });
    const origin = (JSON.parse(String(view.private_metadata)) as { origin: Record<string, unknown> }).origin;
    expect(origin).toMatchObject({ ts, threadTs, permalink: permalink(ORIGIN_CHANNEL, ts, threadTs) });
    t.slackApi.reset();

    const answer = await submit(
      { title: 'Upload button greyed out' },
      { userId: TEST_USERS.bystander, privateMetadata: String(view.private_metadata) },
    );
    expect(answer.response_action).toBe('update');
    const bug = await db.orm.em.fork().findOneOrFail(BugReport, { title: 'Upload button greyed out' });
    expect(bug.sourcePermalink).toBe(permalink(ORIGIN_CHANNEL, ts, threadTs));

    await t.settle();
    const notices = t.slackApi.callsTo('chat.postMessage').filter((c) => c.body.channel === ORIGIN_CHANNEL);
    expect(notices).toHaveLength(1);
    expect(notices[0]!.body.thread_ts).toBe(threadTs);
  });

  it('opens an empty title for a message with no text, and the form still asks for one', async () => {
    const view = await openFromMessage({ ts: slackTs(t.clock.now()), text: '' });
    expect(initialValue(view, INPUTS.title.block)).toBeUndefined();
    const origin = (JSON.parse(String(view.private_metadata)) as { origin: Record<string, unknown> }).origin;
    expect(origin.authorId).toBeNull();
    const answer = await submit({ title: null }, { privateMetadata: String(view.private_metadata) });
    expect(answer.response_action).toBe('errors');
    expect(Object.keys(answer.errors!)).toEqual([INPUTS.title.block]);
  });
});
