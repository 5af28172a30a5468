// The admin controls of the sweep from Slack: /bugs stale (preview), /bugs release (orphaned claims through a
// confirmation modal) and /bugs sweep run|pause|resume|status, through signed requests into the running app.
// Asserts the ephemeral answers, the modal, the response_url summaries, the stored state and the audit trail.
import { beforeEach, describe, expect, it } from 'vitest';
import { BugEvent, BugReport, SlackNotice, SweepRun, SweepState } from '../../src/db/entities/index.ts';
import { VIEWS } from '../../src/messages/ids.ts';
import { asFallback, plainTimesIn } from '../support/block-kit.ts';
import { useTestDatabase } from '../support/database.ts';
import { type BugOverrides, createBug } from '../support/factories.ts';
import { viewSubmission } from '../support/interaction-payloads.ts';
import { timelineFor } from '../support/sweep-support.ts';
import { TEST_USERS, useTestApp } from '../support/test-app.ts';
import { DAY, HOUR } from '../support/test-clock.ts';

const db = useTestDatabase();
const t = useTestApp(db);
const { developer, developer2, admin, bystander } = TEST_USERS;
const START = '2026-11-24T09:00:00Z'; // a Tuesday

type Answer = { response_type?: string; text?: string; blocks?: unknown[] };

const ago = (ms: number) => new Date(t.clock.now().getTime() - ms);
const em = () => db.orm.em.fork();
const reload = (bug: BugReport) => em().findOneOrFail(BugReport, bug.id);
const eventsOf = (bug: BugReport) => em().find(BugEvent, { bugId: bug.id }, { orderBy: { id: 'asc' } });
const postsIn = (bug: BugReport) =>
  t.slackApi
    .callsTo('chat.postMessage')
    .filter((call) => call.body.thread_ts === bug.threadTs)
    .map((call) => asFallback(String(call.body.text)));
const sweepState = () => em().findOneOrFail(SweepState, { id: 1 });
const runs = () => em().find(SweepRun, {}, { orderBy: { id: 'asc' } });

/** Every row the sweep could write, counted: a read-only command must leave all of them as they were. */
async function footprint() {
  const fork = em();
  return {
    events: await fork.count(BugEvent, {}),
    notices: await fork.count(SlackNotice, {}),
    runs: await fork.count(SweepRun, {}),
    bugs: (await fork.find(BugReport, {}, { orderBy: { id: 'asc' } })).map((bug) => ({ ...bug })),
  };
}

const bug = (overrides: BugOverrides = {}) =>
  createBug(em(), { createdAt: ago(30 * DAY), lastActivityAt: ago(HOUR), ...overrides });

/** A bug the sweep warned at `warnedAt`, its warning visible in the thread since then, naming `autoCloseAt`. */
async function warnedBug(overrides: BugOverrides, warning: { warnedAt: Date; autoCloseAt: Date }): Promise<BugReport> {
  const created = await bug(overrides);
  const fork = em();
  const notice = fork.create(SlackNotice, {
    bugId: created.id,
    purpose: 'warning',
    channelId: created.channelId,
    threadTs: created.threadTs,
    payload: { text: 'earlier warning' },
    dedupeKey: null,
    status: 'sent',
    attempts: 1,
    nextAttemptAt: warning.warnedAt,
    leaseUntil: null,
    lastError: null,
    resultTs: '1700000000.999999',
    createdAt: warning.warnedAt,
    sentAt: warning.warnedAt,
  });
  await fork.flush();
  await fork.nativeUpdate(
    BugReport,
    { id: created.id },
    { warnedAt: warning.warnedAt, warningNoticeId: notice.id, autoCloseAt: warning.autoCloseAt },
  );
  return reload(created);
}

const { commandResponse, interact, replyAt } = timelineFor(db, t);

async function slash(userId: string, text: string, extra: { triggerId?: string; responseUrl?: string } = {}) {
  const res = await commandResponse(userId, text, extra);
  return { raw: res.text, answer: (res.text ? res.json() : {}) as Answer };
}

/** The answer, its text read as a client without date tokens shows it, after checking each time it states is one. */
async function answerTo(userId: string, text: string): Promise<Answer> {
  const { answer } = await slash(userId, text);
  if (typeof answer.text !== 'string') return answer;
  expect(plainTimesIn(answer.text)).toEqual([]);
  return { ...answer, text: asFallback(answer.text) };
}

/** The preview's sections by title ("Stale", "Would be warned now", ...), each as its bullet lines. */
function sectionsOf(text: string): Record<string, string[]> {
  const sections: Record<string, string[]> = {};
  for (const part of text.split('\n\n')) {
    const title = /^\*([^*]+)\* \((\d+)\)/.exec(part);
    if (!title) continue;
    const lines = part.split('\n').slice(1);
    expect(lines).toHaveLength(Number(title[2]));
    sections[title[1]!] = lines;
  }
  return sections;
}

const linked = (b: BugReport) => `|*${b.ref}*>`;

beforeEach(async () => {
  await t.settle();
  t.clock.set(START);
  await em().execute(
    // The outbox first: the notifier's background loop reads slack_notices, then bug_reports; locking in the
    // same order keeps the truncate from deadlocking with it.
    'truncate slack_notices, slack_channel_pacing, slack_method_pacing, bug_events, bug_conversations, bug_reports, sweep_runs cascade',
  );
  await em().nativeUpdate(SweepState, { id: 1 }, { paused: false, pausedBy: null, pausedAt: null, pauseNote: null });
  t.slackApi.reset();
});

describe('/bugs stale', () => {
  it('shows an admin what the next sweep would warn, close, remind and release, and changes nothing', async () => {
    const warnSoon = await bug({ title: 'Almost stale', lastActivityAt: ago(4 * DAY + 12 * HOUR) });
    const staleUnwarned = await bug({ title: 'Stale, never warned', lastActivityAt: ago(6 * DAY) });
    const dueToClose = await warnedBug(
      { title: 'Warned two days ago', lastActivityAt: ago(8 * DAY) },
      { warnedAt: ago(2 * DAY), autoCloseAt: ago(DAY) },
    );
    const inWarning = await warnedBug(
      { title: 'Warned this morning', lastActivityAt: ago(7 * DAY) },
      { warnedAt: ago(3 * HOUR), autoCloseAt: ago(3 * HOUR - DAY) },
    );
    const fresh = await bug({ title: 'Fresh' });
    const escalated = await bug({ title: 'Escalated long ago', status: 'escalated', lastActivityAt: ago(40 * DAY) });
    const toRemind = await bug({
      title: 'Quiet claim',
      status: 'in_progress',
      claimantId: developer,
      claimedAt: ago(6 * DAY),
    });
    const toRelease = await bug({
      title: 'Orphaned claim',
      status: 'in_progress',
      claimantId: developer2,
      claimedAt: ago(9 * DAY),
    });
    const activeClaim = await bug({
      title: 'Active claim',
      status: 'in_progress',
      claimantId: developer,
      claimedAt: ago(DAY),
    });
    const before = await footprint();

    const answer = await answerTo(admin, 'stale');
    expect(answer.response_type).toBe('ephemeral');
    const text = answer.text!;
    expect(text).toContain('*What the next sweep would do* (as of Tue 24 Nov, 09:00 UTC)');
    expect(text).not.toContain('paused');
    const sections = sectionsOf(text);
    expect(Object.keys(sections)).toEqual([
      'Stale',
      'Would be warned now',
      'Would be closed now',
      'Claims to remind',
      'Claims to release',
    ]);

    // Stale: past AUTO_CLOSE_AFTER (5d), oldest first, with quiet time and the last activity.
    expect(sections.Stale).toEqual([
      expect.stringContaining(linked(dueToClose)),
      expect.stringContaining(linked(inWarning)),
      expect.stringContaining(linked(staleUnwarned)),
    ]);
    expect(sections.Stale![0]).toContain(
      'Warned two days ago, quiet 8d (last from reporter/developer Mon 16 Nov, 09:00 UTC)',
    );
    expect(sections.Stale![1]).toContain(
      'quiet 7d (last from reporter/developer Tue 17 Nov, 09:00 UTC); warned; the warning period is running, closes Wed 25 Nov, 06:00 UTC',
    );
    expect(sections.Stale![2]).toContain(
      'Stale, never warned, quiet 6d (last from reporter/developer Wed 18 Nov, 09:00 UTC)',
    );

    // Warned now: a full warning period (1d) away, on the hourly schedule.
    expect(sections['Would be warned now']).toEqual([
      expect.stringContaining(
        `${linked(staleUnwarned)} quiet 6d (last from reporter/developer Wed 18 Nov, 09:00 UTC); would close Wed 25 Nov, 09:00 UTC`,
      ),
      expect.stringContaining(
        `${linked(warnSoon)} quiet 4d 12h (last from reporter/developer Thu 19 Nov, 21:00 UTC); would close Wed 25 Nov, 09:00 UTC`,
      ),
    ]);
    expect(sections['Would be closed now']).toEqual([expect.stringContaining(`${linked(dueToClose)} quiet 8d`)]);
    expect(sections['Claims to remind']).toEqual([
      expect.stringContaining(`${linked(toRemind)} <@${developer}> quiet 6d; released Wed 25 Nov, 10:00 UTC`),
    ]);
    expect(sections['Claims to release']).toEqual([
      expect.stringContaining(`${linked(toRelease)} <@${developer2}> quiet 9d`),
    ]);

    for (const untouched of [fresh, escalated, activeClaim]) expect(text).not.toContain(linked(untouched));

    // A preview only: no events, no notices, no runs, no bug changed, nothing said in any thread.
    expect(await footprint()).toEqual(before);
    expect(t.slackApi.callsTo('chat.postMessage')).toHaveLength(0);
    expect(t.slackApi.callsTo('chat.update')).toHaveLength(0);
  });

  it('says so when nothing is stale and every claim is active', async () => {
    await bug({ title: 'Fresh' });
    await bug({ status: 'in_progress', claimantId: developer, claimedAt: ago(2 * DAY) });
    const text = (await answerTo(admin, 'stale')).text!;
    expect(text).toContain('Nothing is stale, and every claim is active.');
    expect(sectionsOf(text)).toEqual({});
  });

  it('mentions that the sweep is paused', async () => {
    await answerTo(admin, 'sweep pause');
    expect((await answerTo(admin, 'stale')).text).toContain(
      'The sweep is paused: scheduled runs do nothing until `/bugs sweep resume`.',
    );
  });

  it('politely refuses anyone who is not an admin, without listing anything', async () => {
    const stale = await bug({ lastActivityAt: ago(10 * DAY) });
    for (const who of [developer, bystander]) {
      const answer = await answerTo(who, 'stale');
      expect(answer.response_type).toBe('ephemeral');
      expect(answer.text).toBe(
        'Sorry, `/bugs stale` is for bugsweep admins. Ask one of them if something needs doing.',
      );
      expect(answer.text).not.toContain(stale.ref);
    }
  });
});

describe('/bugs release (orphaned claims)', () => {
  async function claims() {
    return {
      orphan1: await bug({
        title: 'Checkout spinner',
        status: 'in_progress',
        claimantId: developer,
        claimedAt: ago(8 * DAY),
      }),
      orphan2: await bug({
        title: 'Search <b>typo</b>',
        status: 'in_progress',
        claimantId: developer2,
        claimedAt: ago(20 * DAY),
        claimantLastActivityAt: ago(10 * DAY),
      }),
      active: await bug({ title: 'Active', status: 'in_progress', claimantId: developer, claimedAt: ago(2 * DAY) }),
      remindOnly: await bug({
        title: 'Quiet, not yet orphaned',
        status: 'in_progress',
        claimantId: developer2,
        claimedAt: ago(6 * DAY),
      }),
      escalated: await bug({
        title: 'Escalated and claimed',
        status: 'escalated',
        claimantId: developer,
        claimedAt: ago(30 * DAY),
      }),
      unclaimed: await bug({ title: 'Open' }),
    };
  }

  async function openModal(triggerId = 'trigger.release.1') {
    const { raw } = await slash(admin, 'release', { triggerId });
    expect(raw).toBe('');
    const opened = t.slackApi.callsTo('views.open');
    expect(opened).toHaveLength(1);
    expect(opened[0]!.body.trigger_id).toBe(triggerId);
    return opened[0]!.body.view as {
      callback_id: string;
      private_metadata: string;
      blocks: unknown[];
      submit: { text: string };
    };
  }

  const confirm = (userId: string, privateMetadata: string) =>
    interact(viewSubmission({ userId, callbackId: VIEWS.releaseClaims, privateMetadata, values: {} }));

  it('lists the quiet claims in a confirmation modal, kindly; confirming releases them at once', async () => {
    const { orphan1, orphan2, active, remindOnly, escalated, unclaimed } = await claims();
    const view = await openModal();
    expect(view.callback_id).toBe(VIEWS.releaseClaims);
    expect(view.submit.text).toBe('Release 2');
    const shown = JSON.stringify(view.blocks);
    expect(shown).toContain(`*${orphan2.ref}* Search &lt;b&gt;typo&lt;/b&gt;: <@${developer2}>, quiet for 10d`);
    expect(shown).toContain(`*${orphan1.ref}* Checkout spinner: <@${developer}>, quiet for 8d`);
    for (const other of [active, remindOnly, escalated, unclaimed]) expect(shown).not.toContain(`*${other.ref}*`);
    expect(shown).toContain('nobody is blamed');
    expect(shown).toMatch(/fresh eyes/);
    expect(shown).not.toMatch(/abandon|neglect|lazy|fail|ignored/i);
    // Opening the modal changes nothing yet.
    expect((await reload(orphan1)).claimantId).toBe(developer);
    expect(await em().count(BugEvent, {})).toBe(0);

    const res = await confirm(admin, view.private_metadata);
    expect(res.status).toBe(200);
    const done = res.json() as { response_action: string; view: { blocks: unknown[]; title: { text: string } } };
    expect(done.response_action).toBe('update');
    expect(JSON.stringify(done.view.blocks)).toContain('2 claims released back to the queue');
    expect(JSON.stringify(done.view.blocks)).not.toContain('Left alone');

    for (const [released, claimant] of [
      [orphan1, developer],
      [orphan2, developer2],
    ] as const) {
      expect(await reload(released)).toMatchObject({
        status: 'open',
        claimantId: null,
        claimedAt: null,
        claimantLastActivityAt: null,
      });
      const events = await eventsOf(released);
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        eventType: 'claim.timeout_released',
        actorKind: 'admin',
        actorId: admin,
        metadata: { from: 'in_progress', to: 'open', claimant },
      });
    }
    for (const untouched of [active, remindOnly, escalated]) {
      const stored = await reload(untouched);
      expect(stored.claimantId).toBe(untouched.claimantId);
      expect(stored.status).toBe(untouched.status);
    }

    await t.settle();
    for (const [released, claimant, idle] of [
      [orphan1, developer, '8d'],
      [orphan2, developer2, '10d'],
    ] as const) {
      const notices = postsIn(released).filter((text) => text.includes('back to the queue'));
      expect(notices).toEqual([
        `:seedling: <@${admin}> moved *${released.ref}* back to the queue: it has been quiet for ${idle}, and fresh eyes might help. ` +
          `Thank you <@${claimant}> for the time you put in; you are welcome to claim it again any time.`,
      ]);
    }
    expect(postsIn(active)).toEqual([]);
  });

  it('leaves alone a claim whose claimant spoke up between the list and the confirmation', async () => {
    const { orphan1, orphan2 } = await claims();
    const view = await openModal();

    await replyAt(new Date(t.clock.now().getTime() + 10 * 60_000), developer2, orphan2, 'still on it, PR soon');
    expect((await reload(orphan2)).claimantLastActivityAt?.toISOString()).toBe(t.clock.now().toISOString());

    const done = (await confirm(admin, view.private_metadata)).json() as {
      response_action: string;
      view: { blocks: unknown[] };
    };
    expect(done.response_action).toBe('update');
    const said = JSON.stringify(done.view.blocks);
    expect(said).toContain('1 claim released back to the queue');
    expect(said).toContain(`Left alone: ${orphan2.ref} (the claimant has been active since)`);

    expect(await reload(orphan1)).toMatchObject({ status: 'open', claimantId: null });
    expect(await reload(orphan2)).toMatchObject({ status: 'in_progress', claimantId: developer2 });
    expect((await eventsOf(orphan2)).map((e) => e.eventType)).not.toContain('claim.timeout_released');
    await t.settle();
    expect(postsIn(orphan2).filter((text) => text.includes('back to the queue'))).toEqual([]);
  });

  it('a submission from someone who is not an admin is refused and releases nothing', async () => {
    const { orphan1 } = await claims();
    const view = await openModal();
    const done = (await confirm(developer, view.private_metadata)).json() as {
      response_action: string;
      view: { blocks: unknown[] };
    };
    expect(done.response_action).toBe('update');
    expect(JSON.stringify(done.view.blocks)).toContain(
      'releasing claims is for bugsweep admins, so nothing was released',
    );
    expect(JSON.stringify(done.view.blocks)).not.toContain('claims released back to the queue');
    expect(await reload(orphan1)).toMatchObject({ status: 'in_progress', claimantId: developer });
    expect(await em().count(BugEvent, {})).toBe(0);
  });

  it('an admin releasing a reminded claim by ref: the reminder is not edited to say the claim stays', async () => {
    const quietClaim = await bug({
      title: 'Reminded claim',
      status: 'in_progress',
      claimantId: developer,
      claimedAt: ago(6 * DAY),
    });
    await slash(admin, 'sweep run', { responseUrl: `${t.slackApi.url}response/remind` });
    const reminder = await em().findOneOrFail(SlackNotice, { bugId: quietClaim.id, purpose: 'reminder' });
    expect(reminder.status).toBe('sent');
    t.slackApi.reset();

    t.clock.advance(HOUR);
    expect((await answerTo(admin, `release ${quietClaim.ref}`)).text).toContain('is back in the queue');
    expect(await reload(quietClaim)).toMatchObject({ status: 'open', claimantId: null, remindedAt: null });
    expect(postsIn(quietClaim)).toContainEqual(
      expect.stringContaining(`released <@${developer}>'s claim on *${quietClaim.ref}*; it is back in the queue`),
    );
    // The reminder said "it goes back to the queue on ..."; whatever it is edited to, it must not now claim the opposite.
    const reminderEdits = t.slackApi
      .callsTo('chat.update')
      .filter((call) => call.body.ts === reminder.resultTs)
      .map((call) => String(call.body.text));
    for (const edit of reminderEdits) expect(edit).not.toContain('the claim stays');
  });

  it('with no orphaned claims, says so in an ephemeral answer and opens no modal', async () => {
    await bug({ status: 'in_progress', claimantId: developer, claimedAt: ago(6 * DAY) });
    const { answer } = await slash(admin, 'release');
    expect(answer.response_type).toBe('ephemeral');
    expect(answer.text).toContain('No orphaned claims: every claim has seen its claimant recently.');
    expect(t.slackApi.callsTo('views.open')).toHaveLength(0);
  });

  it('a non-admin without a ref is asked which bug, and sees no modal', async () => {
    await claims();
    const { answer } = await slash(developer, 'release');
    expect(answer.response_type).toBe('ephemeral');
    expect(answer.text).toContain('Which bug? `/bugs release BUG-42` gives your claim back.');
    expect(t.slackApi.callsTo('views.open')).toHaveLength(0);
  });
});

describe('/bugs sweep', () => {
  const responseUrl = (name: string) => `${t.slackApi.url}response/${name}`;
  const responses = (name: string) =>
    t.slackApi.callsTo(`response/${name}`).map((call) => call.body as { text?: string; response_type?: string });

  /** One bug that a sweep would warn and one claim it would release. */
  async function work() {
    return {
      stale: await bug({ title: 'Stale', lastActivityAt: ago(6 * DAY) }),
      orphan: await bug({
        title: 'Orphaned claim',
        status: 'in_progress',
        claimantId: developer,
        claimedAt: ago(9 * DAY),
      }),
    };
  }

  it('status: the next run time, and no runs yet; a bare `/bugs sweep` is the status', async () => {
    const text = (await answerTo(admin, 'sweep status')).text!;
    // The test app runs no schedule, so no replica beats (test/slack/sweep-heartbeat.test.ts has the running case).
    expect(text).toContain(':warning: *No replica has run the schedule for two slots*');
    expect(text).toContain('Next scheduled run: Tue 24 Nov, 10:00 UTC (`0 * * * *`, UTC).');
    expect(text).toContain('_No runs yet._');
    expect((await answerTo(admin, 'sweep')).text).toBe(text);

    t.clock.set('2026-11-24T09:30:00Z');
    expect((await answerTo(admin, 'sweep status')).text).toContain('Next scheduled run: Tue 24 Nov, 10:00 UTC');
    // Exactly on a slot, that run is the one happening now: the next is an hour later.
    t.clock.set('2026-11-24T10:00:00Z');
    expect((await answerTo(admin, 'sweep status')).text).toContain('Next scheduled run: Tue 24 Nov, 11:00 UTC');
  });

  it('pause stores who and why, status shows it, resume clears it', async () => {
    const paused = await answerTo(admin, 'sweep pause deploy freeze');
    expect(paused.response_type).toBe('ephemeral');
    expect(paused.text).toBe('Paused: scheduled sweeps do nothing until `/bugs sweep resume`. Note: deploy freeze');
    const state = await sweepState();
    expect(state).toMatchObject({ paused: true, pausedBy: admin, pauseNote: 'deploy freeze' });
    expect(state.pausedAt?.toISOString()).toBe(t.clock.now().toISOString());
    // The note is the admin's words, never a mention of the whole channel.
    expect((await answerTo(admin, 'sweep pause <!channel> & co')).text).toBe(
      'Paused: scheduled sweeps do nothing until `/bugs sweep resume`. Note: &lt;!channel&gt; &amp; co',
    );
    await answerTo(admin, 'sweep pause deploy freeze');

    const status = (await answerTo(admin, 'sweep status')).text!;
    expect(status).toContain(`:double_vertical_bar: *Paused* by <@${admin}> on Tue 24 Nov, 09:00 UTC: deploy freeze`);
    expect(status).toContain('Next scheduled run: Tue 24 Nov, 10:00 UTC (`0 * * * *`, UTC), skipped while paused.');
    expect(status).not.toContain('Running on schedule');

    t.clock.advance(HOUR);
    expect((await answerTo(admin, 'sweep resume')).text).toBe('Resumed: the sweep runs on its schedule again.');
    expect(await sweepState()).toMatchObject({ paused: false, pausedBy: null, pausedAt: null, pauseNote: null });
    const resumed = (await answerTo(admin, 'sweep status')).text!;
    expect(resumed).toContain('*No replica has run the schedule for two slots*');
    expect(resumed).not.toContain('Paused');
  });

  it('run dry: acked at once, then the summary goes to the response_url; nothing changes', async () => {
    const { stale, orphan } = await work();
    const before = await footprint();

    const { answer } = await slash(admin, 'sweep run dry', { responseUrl: responseUrl('run1') });
    expect(answer).toEqual({ response_type: 'ephemeral', text: 'Dry run started; I will tell you what it would do.' });
    expect(responses('run1')).toEqual([
      expect.objectContaining({
        response_type: 'ephemeral',
        text: 'Dry run (nothing changed, nothing posted): would have warned 1 · closed 0 · reminded 0 · released 1.',
      }),
    ]);

    const after = await footprint();
    expect(after.bugs).toEqual(before.bugs);
    expect(after.events).toBe(0);
    expect(after.notices).toBe(0);
    expect(postsIn(stale)).toEqual([]);
    expect(postsIn(orphan)).toEqual([]);
    // The dry run itself is on record.
    expect(await runs()).toEqual([
      expect.objectContaining({
        trigger: 'admin',
        triggeredBy: admin,
        dryRun: true,
        status: 'completed',
        warned: 1,
        closed: 0,
        reminded: 0,
        released: 1,
      }),
    ]);
  });

  it('run: really acts, says so in the summary, and is recorded with who asked', async () => {
    const { stale, orphan } = await work();

    const { answer } = await slash(admin, 'sweep run', { responseUrl: responseUrl('run2') });
    expect(answer).toEqual({ response_type: 'ephemeral', text: 'Sweep started; I will tell you when it is done.' });
    expect(responses('run2')).toEqual([
      expect.objectContaining({ text: 'Sweep done: warned 1 · closed 0 · reminded 0 · released 1.' }),
    ]);

    const warned = await reload(stale);
    expect(warned.warnedAt?.toISOString()).toBe(t.clock.now().toISOString());
    expect(warned.autoCloseAt?.toISOString()).toBe('2026-11-25T09:00:00.000Z');
    expect((await eventsOf(stale)).map((e) => e.eventType)).toEqual(['bug.warned']);
    expect(postsIn(stale)).toEqual([
      expect.stringContaining(
        `*${stale.ref}* has been quiet since Wed 18 Nov, 09:00 UTC. It will be closed on *Wed 25 Nov, 09:00 UTC*`,
      ),
    ]);

    expect(await reload(orphan)).toMatchObject({ status: 'open', claimantId: null });
    expect((await eventsOf(orphan)).at(-1)).toMatchObject({
      eventType: 'claim.timeout_released',
      actorKind: 'system',
      actorId: null,
    });

    const recorded = await runs();
    expect(recorded).toEqual([
      expect.objectContaining({
        trigger: 'admin',
        triggeredBy: admin,
        dryRun: false,
        status: 'completed',
        warned: 1,
        released: 1,
        slotKey: null,
      }),
    ]);
    expect(recorded[0]!.details).toMatchObject({ items: [`warned:${stale.ref}`, `released:${orphan.ref}`] });

    // A second run straight away has nothing left to do: the warning period is running.
    t.clock.advance(HOUR);
    await slash(admin, 'sweep run', { responseUrl: responseUrl('run3') });
    expect(responses('run3')).toEqual([
      expect.objectContaining({ text: 'Sweep done: warned 0 · closed 0 · reminded 0 · released 0.' }),
    ]);

    const status = (await answerTo(admin, 'sweep status')).text!;
    expect(status).toContain('*Last runs*');
    const lines = status.split('\n').filter((line) => line.startsWith('• '));
    expect(lines).toEqual([
      `• Tue 24 Nov, 10:00 UTC · admin <@${admin}> · completed: warned 0 · closed 0 · reminded 0 · released 0`,
      `• Tue 24 Nov, 09:00 UTC · admin <@${admin}> · completed: warned 1 · closed 0 · reminded 0 · released 1`,
    ]);
  });

  it('the status lists dry runs as such', async () => {
    await work();
    await slash(admin, 'sweep run dry', { responseUrl: responseUrl('run4') });
    const status = (await answerTo(admin, 'sweep status')).text!;
    expect(status).toContain(
      `• Tue 24 Nov, 09:00 UTC · admin <@${admin}> · dry run · completed: warned 1 · closed 0 · reminded 0 · released 1`,
    );
  });

  it('answers an unknown verb with the usage', async () => {
    const answer = await answerTo(admin, 'sweep frob');
    expect(answer.response_type).toBe('ephemeral');
    expect(answer.text).toBe(
      'I know `/bugs sweep run [dry]`, `/bugs sweep cancel`, `/bugs sweep pause [note]`, `/bugs sweep resume`, `/bugs sweep status` or `/bugs sweep schedule [<cron> [timezone]|reset]`.',
    );
  });

  it('refuses non-admins for every verb, and nothing runs or changes', async () => {
    await work();
    const before = await footprint();
    for (const verb of ['status', 'run', 'run dry', 'pause stop it', 'resume']) {
      const { answer } = await slash(developer, `sweep ${verb}`, { responseUrl: responseUrl('nope') });
      expect(answer.text).toBe(
        'Sorry, `/bugs sweep` is for bugsweep admins. Ask one of them if something needs doing.',
      );
    }
    expect(responses('nope')).toEqual([]);
    expect(await footprint()).toEqual(before);
    expect(await sweepState()).toMatchObject({ paused: false, pausedBy: null });
  });
});
