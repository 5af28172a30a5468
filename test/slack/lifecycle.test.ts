// The bug lifecycle from Slack: slash commands, card buttons, the Resolve modal and thread mentions, through
// signed requests into the running app. Asserts the stored state, the audit events, the ephemeral answers and
// the exact Web API calls (thread notice, card update).
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { BugEvent, BugReport } from '../../src/db/entities/index.ts';
import { ACTIONS, VIEWS } from '../../src/messages/ids.ts';
import { overLimits, textsOf } from '../support/block-kit.ts';
import { useTestDatabase } from '../support/database.ts';
import { buttonPress, resolveFormValues, viewSubmission } from '../support/interaction-payloads.ts';
import { sendEvent, sendInteraction } from '../support/signed-requests.ts';
import { threadReply } from '../support/slack-events.ts';
import { timelineFor, waitForLockWaiters } from '../support/sweep-support.ts';
import { TEST_CHANNEL, TEST_USERS, useTestApp } from '../support/test-app.ts';
import { slackTs } from '../support/test-clock.ts';

const db = useTestDatabase();
const t = useTestApp(db);
const { reporter, developer, developer2, admin, bystander } = TEST_USERS;

// The timeline verbs the sweep scenarios use: a bug reported, commands and button presses on its card.
const { newBug, command, press } = timelineFor(db, t);

const reload = (bug: BugReport) => db.orm.em.fork().findOneOrFail(BugReport, bug.id);
const eventsOf = (bug: BugReport) => db.orm.em.fork().find(BugEvent, { bugId: bug.id }, { orderBy: { id: 'asc' } });
const whispers = () => t.slackApi.callsTo('chat.postEphemeral').map((call) => String(call.body.text));
const threadNotices = (bug: BugReport) =>
  t.slackApi
    .callsTo('chat.postMessage')
    .filter((call) => call.body.thread_ts === bug.threadTs)
    .map((call) => String(call.body.text));

describe('/bugs help', () => {
  it('lists the subcommands, admin ones only to admins, and answers an unknown subcommand with help', async () => {
    const forDeveloper = await command(developer, '');
    expect(forDeveloper.response_type).toBe('ephemeral');
    expect(forDeveloper.text).toContain('/bugs claim <ref>');
    expect(forDeveloper.text).toContain('/bugs list');
    expect(forDeveloper.text).not.toContain('/bugs escalate');

    const forAdmin = await command(admin, 'help');
    expect(forAdmin.text).toContain('/bugs escalate');

    const unknown = await command(developer, 'frobnicate now');
    expect(unknown.text).toContain("I don't know `/bugs frobnicate`");
    expect(unknown.text).toContain('/bugs claim <ref>');
  });
});

describe('claiming', () => {
  it('a developer claims with /bugs claim: state, event, answer, thread notice and card update', async () => {
    const bug = await newBug();
    const answer = await command(developer, `claim ${bug.ref}`);
    expect(answer.text).toContain(`you claimed`);
    expect(answer.text).toContain(bug.ref);

    const stored = await reload(bug);
    expect(stored).toMatchObject({ status: 'in_progress', claimantId: developer });
    expect(stored.claimedAt?.toISOString()).toBe(t.clock.now().toISOString());
    const events = await eventsOf(bug);
    expect(events.at(-1)).toMatchObject({
      eventType: 'bug.claimed',
      actorId: developer,
      actorKind: 'user',
      metadata: { from: 'open', to: 'in_progress' },
    });

    expect(threadNotices(bug)).toEqual([expect.stringContaining(`<@${developer}> claimed *${bug.ref}*`)]);
    const updates = t.slackApi.callsTo('chat.update');
    expect(updates).toHaveLength(1);
    expect(updates[0]!.body).toMatchObject({ channel: TEST_CHANNEL, ts: bug.cardTs });
    expect(JSON.stringify(updates[0]!.body.blocks)).toContain(`<@${developer}>`);
  });

  it('accepts a thread permalink as the ref', async () => {
    const bug = await newBug();
    const link = `https://example.slack.com/archives/${bug.channelId}/p${bug.threadTs.replace('.', '')}`;
    await command(developer, `claim ${link}`);
    expect((await reload(bug)).claimantId).toBe(developer);
  });

  it('refuses someone who is not a developer, politely and without changing anything', async () => {
    const bug = await newBug();
    const answer = await command(bystander, `claim ${bug.ref}`);
    expect(answer.text).toContain('Only developers can claim');
    expect((await reload(bug)).status).toBe('open');
    expect(t.slackApi.callsTo('chat.postMessage')).toHaveLength(0);
  });

  it('names the ref it could not find, and asks for one when none is given', async () => {
    expect((await command(developer, 'claim BUG-99999')).text).toContain('I could not find a bug for `BUG-99999`');
    expect((await command(developer, 'claim')).text).toContain('Which bug?');
    expect((await command(developer, 'claim pizza')).text).toContain('`pizza` is not a bug reference');
  });

  it('two developers pressing Claim at the same moment: exactly one wins, the other is told who has it', async () => {
    const bug = await newBug();
    const payload = (userId: string) =>
      buttonPress({
        userId,
        actionId: ACTIONS.claim,
        value: String(bug.id),
        channelId: bug.channelId,
        messageTs: bug.cardTs!,
        threadTs: bug.threadTs,
      });
    // Make "the same moment" exact: hold the bug row so both claims read version N and then queue up on
    // their writes; let go once both are waiting. The second write finds the version moved on.
    const blocker = new pg.Client({ connectionString: db.url });
    await blocker.connect();
    try {
      await blocker.query('begin');
      await blocker.query('select id from bug_reports where id = $1 for update', [bug.id]);
      const results = Promise.all([
        sendInteraction(t.baseUrl, payload(developer)),
        sendInteraction(t.baseUrl, payload(developer2)),
      ]);
      await waitForLockWaiters(blocker, 2);
      await blocker.query('commit');
      expect((await results).map((r) => r.status)).toEqual([200, 200]);
    } finally {
      await blocker.end();
    }
    await t.settle();

    const stored = await reload(bug);
    expect([developer, developer2]).toContain(stored.claimantId);
    const loser = stored.claimantId === developer ? developer2 : developer;
    const claims = (await eventsOf(bug)).filter((e) => e.eventType === 'bug.claimed');
    expect(claims).toHaveLength(1);
    const ephemerals = t.slackApi.callsTo('chat.postEphemeral');
    expect(ephemerals).toHaveLength(1);
    expect(ephemerals[0]!.body).toMatchObject({ user: loser, channel: bug.channelId, thread_ts: bug.threadTs });
    expect(String(ephemerals[0]!.body.text)).toContain(`already claimed by <@${stored.claimantId}>`);
    expect(threadNotices(bug).filter((text) => text.includes('claimed'))).toHaveLength(1);
  });

  it('a button on a stale card acts on the bug as it is now', async () => {
    const bug = await newBug();
    await command(developer, `claim ${bug.ref}`);
    await command(developer, `close ${bug.ref}`); // not an admin or the reporter: refused
    await db.orm.em.fork().nativeUpdate(BugReport, { id: bug.id }, { status: 'resolved', resolvedAt: t.clock.now() });
    t.slackApi.reset();
    await press(developer2, ACTIONS.claim, bug); // the card still showed "Claim"
    expect(whispers()).toEqual([expect.stringContaining(`${bug.ref} is resolved. Reopen it first`)]);
    expect((await reload(bug)).status).toBe('resolved');
  });
});

describe('releasing', () => {
  it('the claimant releases their own claim; another developer may not; an admin may release anyone', async () => {
    const bug = await newBug();
    await command(developer, `claim ${bug.ref}`);

    const refused = await command(developer2, `release ${bug.ref}`);
    expect(refused.text).toContain(`claimed by <@${developer}>; only they or an admin can release it`);
    expect((await reload(bug)).claimantId).toBe(developer);

    await press(developer, ACTIONS.release, bug);
    let stored = await reload(bug);
    expect(stored).toMatchObject({ status: 'open', claimantId: null });
    expect((await eventsOf(bug)).at(-1)).toMatchObject({
      eventType: 'bug.released',
      actorId: developer,
      metadata: { previousClaimant: developer },
    });

    await command(developer2, `claim ${bug.ref}`);
    const byAdmin = await command(admin, `release ${bug.ref}`);
    expect(byAdmin.text).toContain('back in the queue');
    stored = await reload(bug);
    expect(stored).toMatchObject({ status: 'open', claimantId: null });
    expect((await eventsOf(bug)).at(-1)).toMatchObject({
      eventType: 'bug.released',
      actorKind: 'admin',
      metadata: { previousClaimant: developer2 },
    });
  });
});

describe('resolving', () => {
  it('the Resolve button opens the modal; a missing note or a bad link is an inline error; a good one resolves', async () => {
    const bug = await newBug();
    await press(developer, ACTIONS.resolve, bug);
    const opened = t.slackApi.callsTo('views.open');
    expect(opened).toHaveLength(1);
    const modal = opened[0]!.body.view as { callback_id: string; private_metadata: string };
    expect(modal.callback_id).toBe(VIEWS.resolveBug);

    const submit = (note: string | null, link: string | null) =>
      sendInteraction(
        t.baseUrl,
        viewSubmission({
          userId: developer,
          callbackId: VIEWS.resolveBug,
          privateMetadata: modal.private_metadata,
          values: resolveFormValues(note, link),
        }),
      );

    const noNote = await submit(null, null);
    expect(noNote.json()).toMatchObject({
      response_action: 'errors',
      errors: { resolution_note_block: expect.stringContaining('what fixed it') },
    });
    const badLink = await submit('null check', 'not a link');
    expect(badLink.json()).toMatchObject({
      response_action: 'errors',
      errors: { resolution_link_block: expect.stringContaining('commit SHA') },
    });
    expect((await reload(bug)).status).toBe('open');

    const ok = await submit('Guarded the null total', 'https://git.example.com/shop/pull/42');
    expect(ok.status).toBe(200);
    expect(ok.text).toBe('');
    await t.settle();
    const stored = await reload(bug);
    expect(stored.status).toBe('resolved');
    expect(stored.resolvedAt).toBeTruthy();
    expect((await eventsOf(bug)).at(-1)).toMatchObject({
      eventType: 'bug.resolved',
      actorId: developer,
      metadata: {
        from: 'open',
        to: 'resolved',
        resolutionNote: 'Guarded the null total',
        resolutionLink: 'https://git.example.com/shop/pull/42',
      },
    });
    const notice = threadNotices(bug).find((text) => text.includes('resolved'));
    expect(notice).toContain('Guarded the null total');
    expect(notice).toContain('https://git.example.com/shop/pull/42');
  });

  it('/bugs resolve <ref> opens the same modal with the words after the ref as the note', async () => {
    const bug = await newBug();
    await command(developer, `resolve ${bug.ref} fixed in 1a2b3c4`);
    const view = t.slackApi.callsTo('views.open')[0]!.body.view as { callback_id: string };
    expect(view.callback_id).toBe(VIEWS.resolveBug);
    expect(JSON.stringify(view)).toContain('fixed in 1a2b3c4');
  });

  it('a reporter cannot resolve, but can withdraw (close) their own bug; a bystander can do neither', async () => {
    const bug = await newBug();
    expect((await command(reporter, `close ${bug.ref}`)).text).toContain('closed as withdrawn');
    const stored = await reload(bug);
    expect(stored).toMatchObject({ status: 'closed', closeReason: 'withdrawn' });
    expect((await eventsOf(bug)).at(-1)).toMatchObject({ eventType: 'bug.withdrawn', actorId: reporter });

    const other = await newBug();
    expect((await command(bystander, `close ${other.ref}`)).text).toContain('Only the reporter');
    expect((await reload(other)).status).toBe('open');
  });
});

describe('reopening, escalating and closing by hand', () => {
  it('the reporter reopens a resolved bug with the card button; a bystander may not', async () => {
    const bug = await newBug();
    await db.orm.em.fork().nativeUpdate(BugReport, { id: bug.id }, { status: 'resolved', resolvedAt: t.clock.now() });

    await press(bystander, ACTIONS.reopen, bug);
    expect(whispers()).toEqual([expect.stringContaining('Only the reporter or a developer can reopen')]);
    expect((await reload(bug)).status).toBe('resolved');

    await press(reporter, ACTIONS.reopen, bug);
    const stored = await reload(bug);
    expect(stored).toMatchObject({ status: 'open', resolvedAt: null });
    expect((await eventsOf(bug)).at(-1)).toMatchObject({
      eventType: 'bug.reopened',
      actorId: reporter,
      metadata: { from: 'resolved', to: 'open' },
    });
  });

  it('only admins escalate (others get a polite refusal) and close by hand', async () => {
    const bug = await newBug();
    const refused = await command(developer, `escalate ${bug.ref}`);
    expect(refused.text).toContain('is for bugsweep admins');
    expect((await reload(bug)).status).toBe('open');

    expect((await command(admin, `escalate ${bug.ref} customer-facing outage`)).text).toContain('escalated');
    expect(await reload(bug)).toMatchObject({ status: 'escalated' });
    expect((await eventsOf(bug)).at(-1)).toMatchObject({
      eventType: 'bug.escalated',
      actorKind: 'admin',
      metadata: { reason: 'customer-facing outage' },
    });

    expect((await command(admin, `close ${bug.ref} duplicate of the payment outage`)).text).toContain('is closed');
    expect(await reload(bug)).toMatchObject({ status: 'closed', closeReason: 'manual' });
    expect((await eventsOf(bug)).at(-1)).toMatchObject({
      eventType: 'bug.closed',
      actorKind: 'admin',
      metadata: { from: 'escalated', to: 'closed' },
    });
  });
});

describe('acting from inside a bug thread', () => {
  it('"@bugsweep claim" in the thread claims that bug; outside a bug thread it explains', async () => {
    const bug = await newBug();
    const mention = (text: string, threadTs: string | undefined) => ({
      type: 'app_mention',
      user: developer,
      text,
      ts: slackTs(t.clock.now()),
      ...(threadTs ? { thread_ts: threadTs } : {}),
      channel: TEST_CHANNEL,
      event_ts: slackTs(t.clock.now()),
    });
    await sendEvent(t.baseUrl, mention('<@UBUGSWEEP> claim', bug.threadTs));
    await t.settle();
    expect(await reload(bug)).toMatchObject({ status: 'in_progress', claimantId: developer });

    await sendEvent(t.baseUrl, mention('<@UBUGSWEEP> resolve', bug.threadTs));
    await t.settle();
    expect(whispers().at(-1)).toContain('Add a line on what fixed it');

    await sendEvent(t.baseUrl, mention('<@UBUGSWEEP> resolve retry loop fixed 1a2b3c4d', bug.threadTs));
    await t.settle();
    expect((await eventsOf(bug)).at(-1)).toMatchObject({
      eventType: 'bug.resolved',
      metadata: { resolutionNote: 'retry loop fixed', resolutionLink: '1a2b3c4d' },
    });

    await sendEvent(t.baseUrl, mention('<@UBUGSWEEP> claim', '1700000000.424242'));
    await t.settle();
    expect(whispers().at(-1)).toContain('This is not a bug thread');
  });
});

describe('/bugs list', () => {
  it('lists open, mine, claimed and all bugs with status, claimant, quiet time and a thread link', async () => {
    const mine = await newBug('Mine: broken filter');
    const claimedByOther = await newBug('Claimed by the other dev');
    const done = await newBug('Already resolved');
    await command(developer, `claim ${mine.ref}`);
    await command(developer2, `claim ${claimedByOther.ref}`);
    await db.orm.em.fork().nativeUpdate(BugReport, { id: done.id }, { status: 'resolved' });
    // A reply from the reporter two hours later: the list counts quiet time from it.
    await sendEvent(
      t.baseUrl,
      threadReply({
        user: reporter,
        ts: slackTs(new Date(t.clock.now().getTime() - 2 * 3_600_000)),
        threadTs: mine.threadTs,
      }),
    );
    t.clock.advance(3 * 3_600_000);

    const open = (await command(developer, 'list')).text!;
    expect(open).toContain(mine.ref);
    expect(open).toContain(claimedByOther.ref);
    expect(open).not.toContain(done.ref);
    expect(open).toContain(
      `<https://example.slack.com/archives/${TEST_CHANNEL}/p${mine.threadTs.replace('.', '')}|*${mine.ref}*>`,
    );
    expect(open).toContain(`In progress · <@${developer}> · last reply from reporter/developer 3h ago`);

    const mineOnly = (await command(developer, 'list mine')).text!;
    expect(mineOnly).toContain(mine.ref);
    expect(mineOnly).not.toContain(claimedByOther.ref);

    const all = (await command(developer, 'list all')).text!;
    expect(all).toContain(done.ref);

    expect((await command(developer, 'list everything')).text).toContain(
      'I can list `open`, `mine`, `claimed` or `all`',
    );
  });
});

describe('long notes and reasons', () => {
  const sectionTexts = (call: { body: Record<string, unknown> }) =>
    textsOf((call.body.blocks ?? []) as unknown[]).filter(Boolean);

  it('a 5,000-character "@bugsweep resolve" note reaches Slack as a notice it accepts, and is stored whole', async () => {
    const bug = await newBug();
    await command(developer, `claim ${bug.ref}`);
    t.slackApi.reset();
    const note = `${'the retry loop never gave up & kept <going> '.repeat(115)}`.trim();
    expect(note.length).toBeGreaterThan(5000);
    await sendEvent(t.baseUrl, {
      type: 'app_mention',
      user: developer,
      text: `<@UBUGSWEEP> resolve ${note} 1a2b3c4d`,
      ts: slackTs(t.clock.now()),
      thread_ts: bug.threadTs,
      channel: TEST_CHANNEL,
      event_ts: slackTs(t.clock.now()),
    });
    await t.settle();

    expect((await reload(bug)).status).toBe('resolved');
    expect((await eventsOf(bug)).at(-1)).toMatchObject({
      eventType: 'bug.resolved',
      metadata: { resolutionNote: note, resolutionLink: '1a2b3c4d' },
    });
    const [notice] = t.slackApi.callsTo('chat.postMessage').filter((call) => call.body.thread_ts === bug.threadTs);
    expect(overLimits(notice!.body)).toEqual([]);
    const [text] = sectionTexts(notice!);
    expect(text).toContain('&lt;going&gt;');
    expect(text).toContain('…\nFix: `1a2b3c4d`');
    expect(text!.endsWith(`<@${reporter}>, if it is not fixed for you, press *Reopen* on the card.`)).toBe(true);
  });

  it('a 5,000-character escalate or close reason reaches Slack as a notice it accepts', async () => {
    const bug = await newBug();
    const reason = 'x'.repeat(5000);
    await command(admin, `escalate ${bug.ref} ${reason}`);
    await command(admin, `close ${bug.ref} ${reason}`);
    expect((await reload(bug)).status).toBe('closed');
    const notices = t.slackApi.callsTo('chat.postMessage').filter((call) => call.body.thread_ts === bug.threadTs);
    expect(notices).toHaveLength(2);
    for (const notice of notices) expect(overLimits(notice.body)).toEqual([]);
    expect(sectionTexts(notices[0]!)[0]).toMatch(/x…\sbugsweep will not auto-close it\.$/);
    expect(sectionTexts(notices[1]!)[0]).toMatch(/^:lock: <@UADMIN> closed \*BUG-\d+\*: x+…$/);
  });
});
