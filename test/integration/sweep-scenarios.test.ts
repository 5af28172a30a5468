// The sweep as people live it: each test is a timeline of reporter, developer, bystander and bot messages in a
// bug thread, the sweep's warnings and reminders, replies after them, Keep open presses, claims and releases.
// Bugs and replies come in as signed Slack events into the running app; the sweep is called directly at the
// moments the timeline names (the clock only moves by hand); then the outbox is drained. Each test asserts the
// exact notices (chat.postMessage / chat.update to the fake Web API), the transitions and the bug_events rows.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BugConversation, BugReport } from '../../src/db/entities/index.ts';
import { ACTIONS } from '../../src/messages/ids.ts';
import { performBugAction } from '../../src/services/bug-lifecycle.ts';
import { useTestDatabase } from '../support/database.ts';
import { createBug } from '../support/factories.ts';
import type { RecordedCall } from '../support/fake-slack-api.ts';
import { botMessage, classicBotMessage, messageDeleted, threadReply } from '../support/slack-events.ts';
import {
  adminSweep,
  createReplica,
  eventsOf,
  eventTypesOf,
  fallbackTextOf,
  keepOpenButtonOf,
  NO_COUNTS,
  noticesOf,
  postedTsOf,
  type Replica,
  ran,
  reload,
  resetSweepWorld,
  textOf,
  timelineFor,
} from '../support/sweep-support.ts';
import { TEST_CHANNEL, TEST_USERS, useTestApp } from '../support/test-app.ts';
import { at, DAY, HOUR, MINUTE, plus, START, slackTs } from '../support/test-clock.ts';

const { reporter, developer, developer2, admin, bystander } = TEST_USERS;

// Words a released claim's notice must never use about the claimant.
const BLAMING =
  /\b(fail\w*|blame\w*|fault|neglect\w*|abandon\w*|ignor\w*|lazy|forgot\w*|unresponsive|inactive|slack(ed|ing))\b/i;

const db = useTestDatabase();
const t = useTestApp(db);
const { deliver, newBug, replyAt, sweepAt, command, pressKeepOpen, posts, updates } = timelineFor(db, t);

beforeEach(() => resetSweepWorld(db, t));

/** A bug reported at START and warned by the sweep of Sat 28 Nov 10:00; it would close on Sun 29 Nov 10:00. */
async function warnedBug(title = 'Invoice PDF is blank') {
  const bug = await newBug(title);
  expect(await sweepAt('2026-11-28T10:00:00Z')).toEqual({ ...NO_COUNTS, warned: 1 });
  const stored = await reload(db, bug);
  expect(stored.autoCloseAt?.toISOString()).toBe('2026-11-29T10:00:00.000Z');
  const warningTs = await postedTsOf(db, stored.warningNoticeId);
  t.slackApi.reset();
  return { bug: stored, warningTs };
}

/** A bug reported at START, warned on Sat 28 Nov 10:00 and auto-closed on Sun 29 Nov 10:00. */
async function autoClosedBug(title = 'Search box loses focus') {
  const { bug } = await warnedBug(title);
  expect(await sweepAt('2026-11-29T10:00:00Z')).toEqual({ ...NO_COUNTS, closed: 1 });
  const stored = await reload(db, bug);
  expect(stored).toMatchObject({ status: 'closed', closeReason: 'inactivity' });
  expect(stored.closedAt?.toISOString()).toBe('2026-11-29T10:00:00.000Z');
  t.slackApi.reset();
  return stored;
}

describe('a quiet bug', () => {
  it('is left alone, then warned once in its thread with a concrete close time and Keep open, then closed at that time', async () => {
    t.clock.set('2026-11-24T09:20:00Z');
    const bug = await newBug('Cart total is wrong');

    // Up to AUTO_CLOSE_AFTER − AUTO_CLOSE_WARNING (4 days) of quiet, the sweep does nothing at all.
    for (const moment of [
      '2026-11-24T10:00:00Z',
      '2026-11-26T09:00:00Z',
      '2026-11-28T09:00:00Z',
      '2026-11-28T09:20:00Z',
    ]) {
      expect(await sweepAt(moment)).toEqual(NO_COUNTS);
    }
    expect(t.slackApi.calls).toEqual([]);
    expect(await eventTypesOf(db, bug)).toEqual(['bug.created']);

    // Past it: one warning in the thread, naming the reporter and the close time: the first hourly sweep at or
    // after max(last activity + 5d = Sun 09:20, warned + 1d = Sun 09:30), so Sun 29 Nov 10:00.
    expect(await sweepAt('2026-11-28T09:30:00Z')).toEqual({ ...NO_COUNTS, warned: 1 });
    const warnings = posts();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.body).toMatchObject({ channel: TEST_CHANNEL, thread_ts: bug.threadTs });
    const warningText = fallbackTextOf(warnings[0]!);
    expect(warningText).toContain(`<@${reporter}>`);
    expect(warningText).toContain(`*${bug.ref}* has been quiet since Tue 24 Nov, 09:20 UTC`);
    expect(warningText).toContain('It will be closed on *Sun 29 Nov, 10:00 UTC* unless someone replies here');
    expect(keepOpenButtonOf(warnings[0]!)).toMatchObject({
      action_id: ACTIONS.keepOpen,
      value: String(bug.id),
      text: { text: 'Keep open' },
    });
    expect(updates()).toEqual([]); // the card does not change for a warning

    let stored = await reload(db, bug);
    expect(stored.status).toBe('open');
    expect(stored.warnedAt?.toISOString()).toBe('2026-11-28T09:30:00.000Z');
    expect(stored.autoCloseAt?.toISOString()).toBe('2026-11-29T10:00:00.000Z');
    const warned = (await eventsOf(db, bug)).at(-1)!;
    expect(warned).toMatchObject({
      eventType: 'bug.warned',
      actorId: null,
      actorKind: 'system',
      metadata: {
        closesAt: '2026-11-29T10:00:00.000Z',
        lastActivityAt: '2026-11-24T09:20:00.000Z',
        idleMs: 4 * DAY + 10 * MINUTE,
        thresholdMs: 5 * DAY,
        warningMs: DAY,
      },
    });
    expect(warned.createdAt.toISOString()).toBe('2026-11-28T09:30:00.000Z');

    // Another run at the same moment, and the sweeps before the stated time: no second warning, no close.
    t.slackApi.reset();
    for (const moment of [
      '2026-11-28T09:30:00Z',
      '2026-11-28T10:00:00Z',
      '2026-11-29T09:00:00Z',
      '2026-11-29T09:59:59Z',
    ]) {
      expect(await sweepAt(moment)).toEqual(NO_COUNTS);
    }
    expect(t.slackApi.calls).toEqual([]);
    expect(await eventTypesOf(db, bug)).toEqual(['bug.created', 'bug.warned']);

    // At the stated time it is closed, with a notice in the thread and the card updated.
    expect(await sweepAt('2026-11-29T10:00:00Z')).toEqual({ ...NO_COUNTS, closed: 1 });
    stored = await reload(db, bug);
    expect(stored).toMatchObject({
      status: 'closed',
      closeReason: 'inactivity',
      warnedAt: null,
      autoCloseAt: null,
      warningNoticeId: null,
    });
    expect(stored.closedAt?.toISOString()).toBe('2026-11-29T10:00:00.000Z');
    const closed = (await eventsOf(db, bug)).at(-1)!;
    expect(closed).toMatchObject({
      eventType: 'bug.auto_closed',
      actorId: null,
      actorKind: 'system',
      metadata: {
        from: 'open',
        to: 'closed',
        idleMs: 5 * DAY + 40 * MINUTE,
        thresholdMs: 5 * DAY,
        lastActivityAt: '2026-11-24T09:20:00.000Z',
        warningVisibleSince: '2026-11-28T09:30:00.000Z',
      },
    });

    const notices = posts();
    expect(notices).toHaveLength(1);
    expect(notices[0]!.body).toMatchObject({ channel: TEST_CHANNEL, thread_ts: bug.threadTs });
    expect(fallbackTextOf(notices[0]!)).toContain(
      `Closed *${bug.ref}* after 5d without a word from the reporter or a developer (last on Tue 24 Nov, 09:20 UTC)`,
    );
    expect(fallbackTextOf(notices[0]!)).toContain('reply here before Sun 13 Dec, 10:00 UTC and it reopens by itself');
    const cards = updates();
    expect(cards).toHaveLength(1);
    expect(cards[0]!.body).toMatchObject({ channel: TEST_CHANNEL, ts: bug.cardTs });
    expect(textOf(cards[0]!)).toContain(`${bug.ref}: Cart total is wrong (Closed)`);
    expect(JSON.stringify(cards[0]!.body.blocks)).toContain(ACTIONS.reopen);

    // Closed bugs are not swept again.
    t.slackApi.reset();
    expect(await sweepAt('2026-12-05T10:00:00Z')).toEqual(NO_COUNTS);
    expect(t.slackApi.calls).toEqual([]);
  });

  it("a claimed bug's warning names the claimant too", async () => {
    const bug = await newBug('Checkout spinner never stops');
    await command(developer, `claim ${bug.ref}`);
    t.slackApi.reset();

    expect(await sweepAt('2026-11-28T10:00:00Z')).toEqual({ ...NO_COUNTS, warned: 1 });
    const warnings = posts(bug);
    expect(warnings).toHaveLength(1);
    expect(fallbackTextOf(warnings[0]!)).toContain(
      `<@${reporter}> <@${developer}> *${bug.ref}* has been quiet since Tue 24 Nov, 09:00 UTC`,
    );
    expect(fallbackTextOf(warnings[0]!)).toContain('It will be closed on *Sun 29 Nov, 10:00 UTC*');
  });
});

describe('who keeps a bug open', () => {
  it('a person saying an agent’s fix is still broken does, as a reopen does: the clock starts again then', async () => {
    const bug = await newBug('Cart total is wrong');
    const agent = { name: 'fixer', scopes: ['read', 'write'] as const };
    t.clock.set('2026-11-24T10:00:00Z');
    const resolved = await performBugAction(t.bugsweep.ctx, {
      bugId: bug.id,
      action: 'resolve',
      actorId: `agent:${agent.name}`,
      agent: { name: agent.name, scopes: [...agent.scopes] },
    });
    expect(resolved.ok).toBe(true);
    expect((await reload(db, bug)).status).toBe('awaiting_verification');
    // Four days on, the reporter tries the fix and says it does not work.
    t.clock.set('2026-11-28T08:00:00Z');
    const broken = await performBugAction(t.bugsweep.ctx, { bugId: bug.id, action: 'still_broken', actorId: reporter });
    expect(broken.ok).toBe(true);
    await t.settle();
    const stored = await reload(db, bug);
    expect(stored.status).toBe('open');
    expect(stored.lastActivityAt.toISOString()).toBe('2026-11-28T08:00:00.000Z');
    // Not warned at the slot that would have warned a bug quiet since its report, but four days after the press.
    expect(await sweepAt('2026-11-28T10:00:00Z')).toEqual(NO_COUNTS);
    expect(await sweepAt('2026-12-02T09:00:00Z')).toEqual({ ...NO_COUNTS, warned: 1 });
  });

  it('bystander replies and bot posts (other apps and bugsweep itself) never do, before or after the warning', async () => {
    const bug = await newBug('Avatar upload fails');
    await replyAt('2026-11-26T09:00:00Z', bystander, bug, '+1 same here');
    await deliver(
      botMessage({ ts: slackTs(at('2026-11-26T10:00:00Z')), threadTs: bug.threadTs, text: 'Deploy finished' }),
    );
    await deliver(
      classicBotMessage({ ts: slackTs(at('2026-11-27T09:00:00Z')), threadTs: bug.threadTs, text: 'Build #41 failed' }),
    );
    await deliver(
      botMessage({
        ts: slackTs(at('2026-11-27T10:00:00Z')),
        threadTs: bug.threadTs,
        own: true,
        text: 'bugsweep says hi',
      }),
    );

    const rows = await db.orm.em.fork().find(BugConversation, { bugId: bug.id }, { orderBy: { id: 'asc' } });
    expect(rows.map((row) => row.senderType)).toEqual(['reporter', 'other', 'bot', 'bot', 'bot']);
    expect((await reload(db, bug)).lastActivityAt.toISOString()).toBe(START.toISOString());

    // Quiet since the report as far as the sweep is concerned.
    expect(await sweepAt('2026-11-28T10:00:00Z')).toEqual({ ...NO_COUNTS, warned: 1 });
    expect((await eventsOf(db, bug)).at(-1)!.metadata).toMatchObject({ lastActivityAt: START.toISOString() });
    const warningTs = await postedTsOf(db, (await reload(db, bug)).warningNoticeId);

    // After the warning: bugsweep's own warning echoed back as an event, a bystander, another app.
    t.slackApi.reset();
    await deliver(botMessage({ ts: warningTs, threadTs: bug.threadTs, own: true, text: 'It will be closed on ...' }));
    await replyAt('2026-11-28T12:00:00Z', bystander, bug, 'still seeing this too');
    await deliver(
      botMessage({ ts: slackTs(at('2026-11-28T13:00:00Z')), threadTs: bug.threadTs, text: 'Deploy finished' }),
    );
    expect(updates()).toEqual([]); // the warning stands
    expect(await eventTypesOf(db, bug)).toEqual(['bug.created', 'bug.warned']);

    expect(await sweepAt('2026-11-29T10:00:00Z')).toEqual({ ...NO_COUNTS, closed: 1 });
    expect(await reload(db, bug)).toMatchObject({ status: 'closed', closeReason: 'inactivity' });
    expect(await eventTypesOf(db, bug)).toEqual(['bug.created', 'bug.warned', 'bug.auto_closed']);
  });

  it("a reporter reply after a developer one counts from the reporter's time; an older reply arriving late does not move it back", async () => {
    const bug = await newBug('Export is slow');
    await replyAt('2026-11-25T09:00:00Z', developer, bug, 'can you share the file?');
    await replyAt('2026-11-26T09:00:00Z', reporter, bug, 'attached, 40 MB');
    // A developer message written before the reporter's, delivered after it.
    t.clock.set('2026-11-26T09:30:00Z');
    await deliver(
      threadReply({
        user: developer,
        ts: slackTs(at('2026-11-25T21:00:00Z')),
        threadTs: bug.threadTs,
        text: 'late delivery',
      }),
    );
    expect((await reload(db, bug)).lastActivityAt.toISOString()).toBe('2026-11-26T09:00:00.000Z');

    // Four days after the reporter's reply, not after the developer's.
    expect(await sweepAt('2026-11-29T10:00:00Z')).toEqual(NO_COUNTS);
    expect(await sweepAt('2026-11-30T09:00:00Z')).toEqual(NO_COUNTS);
    expect(await sweepAt('2026-11-30T10:00:00Z')).toEqual({ ...NO_COUNTS, warned: 1 });
    const warning = posts(bug);
    expect(warning).toHaveLength(1);
    expect(fallbackTextOf(warning[0]!)).toContain('has been quiet since Thu 26 Nov, 09:00 UTC');
    expect(fallbackTextOf(warning[0]!)).toContain('It will be closed on *Tue 1 Dec, 10:00 UTC*');
    expect((await eventsOf(db, bug)).at(-1)).toMatchObject({
      eventType: 'bug.warned',
      metadata: { lastActivityAt: '2026-11-26T09:00:00.000Z' },
    });
  });

  it('a deleted reply no longer counts', async () => {
    const bug = await newBug('Notifications arrive twice');
    const replyTs = await replyAt('2026-11-26T09:00:00Z', reporter, bug, 'any update?');
    expect((await reload(db, bug)).lastActivityAt.toISOString()).toBe('2026-11-26T09:00:00.000Z');

    t.clock.set('2026-11-26T11:00:00Z');
    await deliver(messageDeleted({ ts: replyTs, user: reporter, deletedAt: slackTs(t.clock.now()) }));
    expect((await reload(db, bug)).lastActivityAt.toISOString()).toBe(START.toISOString());

    // Warned four days after the report, as if the reply had never been written.
    expect(await sweepAt('2026-11-28T10:00:00Z')).toEqual({ ...NO_COUNTS, warned: 1 });
    expect(fallbackTextOf(posts(bug)[0]!)).toContain('has been quiet since Tue 24 Nov, 09:00 UTC');
  });
});

describe('a reply after the warning', () => {
  it.each([
    ['reporter', reporter],
    ['developer', developer],
  ])(
    'from the %s clears it: the warning is edited in place, no close at the old time, a new warning before any later close',
    async (_who, user) => {
      const { bug, warningTs } = await warnedBug();

      await replyAt('2026-11-28T15:00:00Z', user, bug, 'still broken on 4.2');
      expect(posts()).toEqual([]);
      const edits = updates();
      expect(edits).toHaveLength(1);
      expect(edits[0]!.body).toMatchObject({ channel: TEST_CHANNEL, ts: warningTs });
      expect(fallbackTextOf(edits[0]!)).toContain(
        `~Inactivity warning for *${bug.ref}*~ No longer applies: <@${user}> replied on Sat 28 Nov, 15:00 UTC`,
      );
      expect(JSON.stringify(edits[0]!.body.blocks)).not.toContain(ACTIONS.keepOpen);

      const cleared = (await eventsOf(db, bug)).at(-1)!;
      expect(cleared).toMatchObject({
        eventType: 'bug.warning_cleared',
        actorId: user,
        actorKind: 'user',
        metadata: { why: 'reply' },
      });
      let stored = await reload(db, bug);
      expect(stored).toMatchObject({ status: 'open', warnedAt: null, autoCloseAt: null, warningNoticeId: null });
      expect(stored.lastActivityAt.toISOString()).toBe('2026-11-28T15:00:00.000Z');

      // The old close time passes quietly.
      t.slackApi.reset();
      expect(await sweepAt('2026-11-29T10:00:00Z')).toEqual(NO_COUNTS);
      expect(await sweepAt('2026-12-02T15:00:00Z')).toEqual(NO_COUNTS);
      expect(t.slackApi.calls).toEqual([]);
      expect((await reload(db, bug)).status).toBe('open');

      // Four quiet days after the reply: a new warning, with a new time; the close waits for it.
      expect(await sweepAt('2026-12-02T16:00:00Z')).toEqual({ ...NO_COUNTS, warned: 1 });
      const second = posts(bug);
      expect(second).toHaveLength(1);
      expect(fallbackTextOf(second[0]!)).toContain('has been quiet since Sat 28 Nov, 15:00 UTC');
      expect(fallbackTextOf(second[0]!)).toContain('It will be closed on *Thu 3 Dec, 16:00 UTC*');
      expect(await sweepAt('2026-12-03T15:00:00Z')).toEqual(NO_COUNTS);
      expect(await sweepAt('2026-12-03T16:00:00Z')).toEqual({ ...NO_COUNTS, closed: 1 });
      stored = await reload(db, bug);
      expect(stored).toMatchObject({ status: 'closed', closeReason: 'inactivity' });
      expect(await eventTypesOf(db, bug)).toEqual([
        'bug.created',
        'bug.warned',
        'bug.warning_cleared',
        'bug.warned',
        'bug.auto_closed',
      ]);
    },
  );
});

describe('never closing a bug nobody was warned about', () => {
  it('a bug idle for 20 days (downtime) is warned first; no close while the warning is not in the thread; then only after a whole warning period', async () => {
    const bug = await createBug(db.orm.em.fork(), {
      title: 'Forgotten during the outage',
      createdAt: plus(START, -20 * DAY),
    });
    // Slack fails (HTTP 500) every post of a warning until it recovers.
    let failures = 0;
    const failWarnings = (call: RecordedCall) => {
      if (!textOf(call).includes('It will be closed on')) return undefined;
      failures += 1;
      return { status: 500, body: { ok: false, error: 'internal_error' } };
    };
    t.slackApi.on('chat.postMessage', failWarnings);

    expect(await sweepAt(START)).toEqual({ ...NO_COUNTS, warned: 1 });
    expect(failures).toBe(1);
    let stored = await reload(db, bug);
    expect(stored.status).toBe('open');
    expect(stored.autoCloseAt?.toISOString()).toBe('2026-11-25T09:00:00.000Z');
    const [warning] = await noticesOf(db, { bugId: bug.id, purpose: 'warning' });
    expect(warning).toMatchObject({ status: 'pending', attempts: 1, lastError: 'http_500', sentAt: null });
    expect(await eventTypesOf(db, bug)).toEqual(['bug.warned']);

    // Well past the time the warning named, it is still not in the thread: no close, however long.
    for (const moment of ['2026-11-25T09:00:00Z', '2026-11-25T10:00:00Z', '2026-11-27T11:00:00Z']) {
      expect(await sweepAt(moment)).toEqual(NO_COUNTS);
    }
    stored = await reload(db, bug);
    expect(stored.status).toBe('open');
    expect(await eventTypesOf(db, bug)).toEqual(['bug.warned']);
    expect(
      t.slackApi.callsTo('chat.postMessage').filter((call) => !textOf(call).includes('It will be closed on')),
    ).toEqual([]);

    // Slack recovers at 12:00: the warning reaches the thread, once.
    t.slackApi.reset();
    t.clock.set('2026-11-27T12:00:00Z');
    await t.settle();
    const delivered = posts(bug);
    expect(delivered).toHaveLength(1);
    expect(textOf(delivered[0]!)).toContain('It will be closed on');
    const [sent] = await noticesOf(db, { bugId: bug.id, purpose: 'warning' });
    expect(sent!.status).toBe('sent');
    expect(sent!.sentAt?.toISOString()).toBe('2026-11-27T12:00:00.000Z');

    // It closes only once the warning has been visible for the whole warning period.
    expect(await sweepAt('2026-11-28T11:00:00Z')).toEqual(NO_COUNTS);
    expect((await reload(db, bug)).status).toBe('open');
    expect(await sweepAt('2026-11-28T12:00:00Z')).toEqual({ ...NO_COUNTS, closed: 1 });
    expect((await eventsOf(db, bug)).at(-1)).toMatchObject({
      eventType: 'bug.auto_closed',
      metadata: {
        warningVisibleSince: '2026-11-27T12:00:00.000Z',
        thresholdMs: 5 * DAY,
        lastActivityAt: plus(START, -20 * DAY).toISOString(),
      },
    });
  });

  it('a warning Slack refused for good does not count: no close at its time; the bug is warned again once it can be', async () => {
    const bug = await createBug(db.orm.em.fork(), {
      title: 'Posted in a channel the bot left',
      createdAt: plus(START, -10 * DAY),
    });
    // The bot was removed from the channel: every post there is refused, for good.
    t.slackApi.on('chat.postMessage', () => ({ status: 200, body: { ok: false, error: 'not_in_channel' } }));
    expect(await sweepAt(START)).toEqual({ ...NO_COUNTS, warned: 1 });
    const [refused] = await noticesOf(db, { bugId: bug.id, purpose: 'warning' });
    expect(refused).toMatchObject({ status: 'failed', lastError: 'not_in_channel' });

    // The bot is back. At the time the refused warning named, the sweep warns again instead of closing.
    t.slackApi.reset();
    expect(await sweepAt('2026-11-25T09:00:00Z')).toEqual({ ...NO_COUNTS, warned: 1 });
    const warnings = posts(bug);
    expect(warnings).toHaveLength(1);
    expect(fallbackTextOf(warnings[0]!)).toContain('It will be closed on *Thu 26 Nov, 09:00 UTC*');
    expect((await reload(db, bug)).status).toBe('open');

    // Closed only a whole warning period after the warning people could see.
    expect(await sweepAt('2026-11-26T08:00:00Z')).toEqual(NO_COUNTS);
    expect(await sweepAt('2026-11-26T09:00:00Z')).toEqual({ ...NO_COUNTS, closed: 1 });
    expect(await eventTypesOf(db, bug)).toEqual(['bug.warned', 'bug.warned', 'bug.auto_closed']);
    expect((await eventsOf(db, bug)).at(-1)!.metadata).toMatchObject({
      warningVisibleSince: '2026-11-25T09:00:00.000Z',
    });
  });

  it('a restart with a longer AUTO_CLOSE_AFTER does not close early what the old setting had warned about', async () => {
    const em = db.orm.em.fork();
    const warnedEarlier = await createBug(em, { title: 'Warned under 5d', createdAt: START });
    const quieter = await createBug(em, { title: 'Not yet warned', createdAt: plus(START, 12 * HOUR) });
    expect(await sweepAt('2026-11-28T10:00:00Z')).toEqual({ ...NO_COUNTS, warned: 1 });
    expect((await reload(db, warnedEarlier)).autoCloseAt?.toISOString()).toBe('2026-11-29T10:00:00.000Z');

    // bugsweep restarts with AUTO_CLOSE_AFTER=10d (same database, Slack and clock).
    const restarted = await createReplica(t, db, { env: { AUTO_CLOSE_AFTER: '10d' }, clock: t.clock });
    try {
      const sweepRestartedAt = async (moment: string) => {
        t.clock.set(moment);
        const result = ran(await adminSweep(restarted.ctx));
        await restarted.ctx.notifier.drain();
        await t.settle();
        return result.counts;
      };
      t.slackApi.reset();
      // The time the old warning named passes: under the new setting the bug has not been idle long enough.
      for (const moment of ['2026-11-29T10:00:00Z', '2026-12-01T10:00:00Z', '2026-12-03T09:00:00Z']) {
        expect(await sweepRestartedAt(moment)).toEqual(NO_COUNTS);
      }
      expect(t.slackApi.calls).toEqual([]);
      expect((await reload(db, warnedEarlier)).status).toBe('open');

      // The other bug is warned only past 10d − 1d of quiet, with a time from the new setting.
      expect(await sweepRestartedAt('2026-12-03T21:00:00Z')).toEqual(NO_COUNTS);
      expect(await sweepRestartedAt('2026-12-03T22:00:00Z')).toEqual({ ...NO_COUNTS, warned: 1 });
      expect((await eventsOf(db, quieter)).at(-1)).toMatchObject({
        eventType: 'bug.warned',
        metadata: { thresholdMs: 10 * DAY, closesAt: '2026-12-04T22:00:00.000Z' },
      });

      // The early-warned bug closes at the first sweep after 10 days of quiet, not before.
      expect(await sweepRestartedAt('2026-12-04T09:00:00Z')).toEqual(NO_COUNTS);
      expect(await sweepRestartedAt('2026-12-04T10:00:00Z')).toEqual({ ...NO_COUNTS, closed: 1 });
      expect((await eventsOf(db, warnedEarlier)).at(-1)).toMatchObject({
        eventType: 'bug.auto_closed',
        metadata: { thresholdMs: 10 * DAY, idleMs: 10 * DAY + HOUR },
      });
      expect((await reload(db, quieter)).status).toBe('open');
    } finally {
      await restarted.close();
    }
  });
});

describe('Keep open', () => {
  it.each([
    ['the reporter', reporter],
    ['a developer', developer],
  ])('pressed by %s restarts the clock and withdraws the warning in place', async (_who, user) => {
    const { bug, warningTs } = await warnedBug();

    t.clock.set('2026-11-28T14:00:00Z');
    await pressKeepOpen(user, bug, warningTs);
    expect(t.slackApi.callsTo('chat.postEphemeral')).toEqual([]);
    expect(posts()).toEqual([]);
    const edits = updates();
    expect(edits).toHaveLength(1);
    expect(edits[0]!.body).toMatchObject({ channel: TEST_CHANNEL, ts: warningTs });
    expect(fallbackTextOf(edits[0]!)).toContain(
      `No longer applies: <@${user}> asked to keep it open on Sat 28 Nov, 14:00 UTC`,
    );

    const events = await eventsOf(db, bug);
    expect(events.slice(-2).map((e) => [e.eventType, e.actorId, e.actorKind])).toEqual([
      ['bug.kept_open', user, 'user'],
      ['bug.warning_cleared', user, 'user'],
    ]);
    expect(events.at(-1)!.metadata).toEqual({ why: 'keep_open' });
    const stored = await reload(db, bug);
    expect(stored).toMatchObject({ status: 'open', warnedAt: null, autoCloseAt: null });
    expect(stored.lastActivityAt.toISOString()).toBe('2026-11-28T14:00:00.000Z');

    // No close at the old time; the next warning comes four days after the press.
    t.slackApi.reset();
    expect(await sweepAt('2026-11-29T10:00:00Z')).toEqual(NO_COUNTS);
    expect(await sweepAt('2026-12-02T14:00:00Z')).toEqual(NO_COUNTS);
    expect(t.slackApi.calls).toEqual([]);
    expect(await sweepAt('2026-12-02T15:00:00Z')).toEqual({ ...NO_COUNTS, warned: 1 });
  });

  it('pressed by a bystander: they are told politely who can, and nothing changes', async () => {
    const { bug, warningTs } = await warnedBug();

    t.clock.set('2026-11-28T14:00:00Z');
    await pressKeepOpen(bystander, bug, warningTs);
    const whispers = t.slackApi.callsTo('chat.postEphemeral');
    expect(whispers).toHaveLength(1);
    expect(whispers[0]!.body).toMatchObject({ channel: TEST_CHANNEL, user: bystander, thread_ts: bug.threadTs });
    expect(textOf(whispers[0]!)).toContain(
      `Thanks! Only <@${reporter}> or a developer can keep ${bug.ref} open; a reply from one of them in the thread works too.`,
    );
    expect(posts()).toEqual([]);
    expect(updates()).toEqual([]);
    expect(await eventTypesOf(db, bug)).toEqual(['bug.created', 'bug.warned']);
    const stored = await reload(db, bug);
    expect(stored.warnedAt?.toISOString()).toBe('2026-11-28T10:00:00.000Z');
    expect(stored.lastActivityAt.toISOString()).toBe(START.toISOString());

    // The warning stands: closed at the time it named.
    expect(await sweepAt('2026-11-29T10:00:00Z')).toEqual({ ...NO_COUNTS, closed: 1 });
  });
});

describe('auto-reopen', () => {
  it.each([
    ['reporter', reporter],
    ['developer', developer],
  ])(
    'a %s reply within REOPEN_WITHIN reopens an auto-closed bug, with a notice and the card updated',
    async (_who, user) => {
      const bug = await autoClosedBug();

      await replyAt('2026-12-05T12:00:00Z', user, bug, 'this is back on 4.3');
      const stored = await reload(db, bug);
      expect(stored).toMatchObject({ status: 'open', closeReason: null, closedAt: null, claimantId: null });
      expect(stored.lastActivityAt.toISOString()).toBe('2026-12-05T12:00:00.000Z');
      const reopened = (await eventsOf(db, bug)).at(-1)!;
      expect(reopened).toMatchObject({
        eventType: 'bug.auto_reopened',
        actorId: user,
        actorKind: 'user',
        metadata: { from: 'closed', to: 'open', closedAt: '2026-11-29T10:00:00.000Z', reopenWithinMs: 14 * DAY },
      });
      const notices = posts();
      expect(notices).toHaveLength(1);
      expect(notices[0]!.body).toMatchObject({ channel: TEST_CHANNEL, thread_ts: bug.threadTs });
      expect(textOf(notices[0]!)).toContain(`<@${user}> replied, so *${bug.ref}* is open again and back in the queue.`);
      const cards = updates(bug.cardTs!);
      expect(cards).toHaveLength(1);
      expect(textOf(cards[0]!)).toContain('(Open)');

      // Its inactivity clock starts from the reply: swept again like any open bug.
      t.slackApi.reset();
      expect(await sweepAt('2026-12-09T12:00:00Z')).toEqual(NO_COUNTS);
      expect(await sweepAt('2026-12-09T13:00:00Z')).toEqual({ ...NO_COUNTS, warned: 1 });
    },
  );

  it('Keep open pressed on the old warning after the close works like a reply: it reopens within REOPEN_WITHIN, later it points to Reopen', async () => {
    const soon = await newBug('Invoice PDF is blank');
    const late = await newBug('Tooltip flickers');
    expect(await sweepAt('2026-11-28T10:00:00Z')).toEqual({ ...NO_COUNTS, warned: 2 });
    expect(await sweepAt('2026-11-29T10:00:00Z')).toEqual({ ...NO_COUNTS, closed: 2 });
    // The close cleared the bugs' pointers to their warnings; the warning messages are still in the threads.
    const warningOf = async (bug: BugReport) => {
      const rows = await db.orm.em
        .fork()
        .execute<{ id: string }[]>(`select id from slack_notices where bug_id = ? and purpose = 'warning'`, [bug.id]);
      return postedTsOf(db, Number(rows[0]!.id));
    };
    t.slackApi.reset();

    t.clock.set('2026-11-30T08:00:00Z');
    await pressKeepOpen(reporter, soon, await warningOf(soon));
    expect(await reload(db, soon)).toMatchObject({ status: 'open', closeReason: null });
    expect((await eventTypesOf(db, soon)).slice(-2)).toEqual(['bug.kept_open', 'bug.auto_reopened']);
    expect(t.slackApi.callsTo('chat.postEphemeral')).toEqual([]);

    t.clock.set('2026-12-14T10:00:00Z');
    await pressKeepOpen(reporter, late, await warningOf(late));
    expect(await reload(db, late)).toMatchObject({ status: 'closed', closeReason: 'inactivity' });
    const whispers = t.slackApi.callsTo('chat.postEphemeral');
    expect(whispers).toHaveLength(1);
    expect(textOf(whispers[0]!)).toContain(`${late.ref} is closed; press Reopen on its card if it still matters.`);
  });

  it('a bystander reply never reopens it, and after REOPEN_WITHIN neither does the reporter (who is offered a follow-up)', async () => {
    const bug = await autoClosedBug();

    await replyAt('2026-11-30T09:00:00Z', bystander, bug, 'I have this too!');
    expect(await reload(db, bug)).toMatchObject({ status: 'closed', closeReason: 'inactivity' });

    // REOPEN_WITHIN (14d) after the close was Sun 13 Dec 10:00.
    await replyAt('2026-12-13T10:01:00Z', reporter, bug, 'still broken, sorry for the silence');
    await replyAt('2026-12-14T09:00:00Z', developer, bug, 'looking again');
    expect(await reload(db, bug)).toMatchObject({ status: 'closed', closeReason: 'inactivity' });
    // Nothing in the thread; each late replier is privately offered "Open a follow-up" (late-replies.test.ts).
    expect(t.slackApi.calls.map((call) => [call.method, call.body.user])).toEqual([
      ['chat.postEphemeral', reporter],
      ['chat.postEphemeral', developer],
    ]);
    expect(await eventTypesOf(db, bug)).toEqual(['bug.created', 'bug.warned', 'bug.auto_closed']);
  });
});

describe('claims', () => {
  it('a quiet claimant gets one gentle reminder; their reply keeps the claim; other developers do not; then a kind release', async () => {
    const bug = await newBug('Refund email has wrong amount');
    await command(developer, `claim ${bug.ref}`);
    expect(await reload(db, bug)).toMatchObject({ status: 'in_progress', claimantId: developer });
    // The reporter keeps the bug itself alive while the claimant says nothing.
    await replyAt('2026-11-27T09:00:00Z', reporter, bug, 'any news?');
    t.slackApi.reset();

    // Nothing until CLAIM_RELEASE_AFTER − CLAIM_REMINDER (5 days) of the claimant's quiet.
    expect(await sweepAt('2026-11-29T08:00:00Z')).toEqual(NO_COUNTS);
    expect(await sweepAt('2026-11-29T10:00:00Z')).toEqual({ ...NO_COUNTS, reminded: 1 });
    const reminders = posts(bug);
    expect(reminders).toHaveLength(1);
    const reminderText = fallbackTextOf(reminders[0]!);
    expect(reminderText).toContain(
      `<@${developer}>, a gentle nudge on *${bug.ref}*: it has been quiet since Tue 24 Nov, 09:00 UTC`,
    );
    expect(reminderText).toContain('a quick update here keeps your claim');
    // Released once the claimant has been quiet for longer than 7 days: the first sweep after Tue 1 Dec 09:00.
    expect(reminderText).toContain('goes back to the queue on Tue 1 Dec, 10:00 UTC');
    expect((await eventsOf(db, bug)).at(-1)).toMatchObject({
      eventType: 'claim.reminded',
      actorId: null,
      actorKind: 'system',
      metadata: {
        claimant: developer,
        quietSince: START.toISOString(),
        releaseAt: '2026-12-01T10:00:00.000Z',
        thresholdMs: 7 * DAY,
      },
    });
    const reminderTs = await postedTsOf(db, (await reload(db, bug)).reminderNoticeId);

    // Not twice.
    t.slackApi.reset();
    expect(await sweepAt('2026-11-29T10:00:00Z')).toEqual(NO_COUNTS);
    expect(await sweepAt('2026-11-29T15:00:00Z')).toEqual(NO_COUNTS);
    expect(t.slackApi.calls).toEqual([]);

    // The claimant speaks up: the reminder is edited in place and the claim clock restarts from the reply.
    await replyAt('2026-11-30T09:20:00Z', developer, bug, 'still on it, PR tomorrow');
    const edits = updates();
    expect(edits).toHaveLength(1);
    expect(edits[0]!.body).toMatchObject({ channel: TEST_CHANNEL, ts: reminderTs });
    expect(fallbackTextOf(edits[0]!)).toContain(
      `~Reminder for *${bug.ref}*~ Thanks for the update on Mon 30 Nov, 09:20 UTC; the claim stays.`,
    );
    let stored = await reload(db, bug);
    expect(stored).toMatchObject({
      status: 'in_progress',
      claimantId: developer,
      remindedAt: null,
      reminderNoticeId: null,
    });
    expect(stored.claimantLastActivityAt?.toISOString()).toBe('2026-11-30T09:20:00.000Z');

    // The old release time passes with the claim kept.
    t.slackApi.reset();
    expect(await sweepAt('2026-12-01T09:00:00Z')).toEqual(NO_COUNTS);
    expect(await sweepAt('2026-12-01T10:00:00Z')).toEqual(NO_COUNTS);

    // Another developer's reply keeps the bug alive, not the claim.
    await replyAt('2026-12-03T09:00:00Z', developer2, bug, 'any luck with the PR?');
    stored = await reload(db, bug);
    expect(stored.lastActivityAt.toISOString()).toBe('2026-12-03T09:00:00.000Z');
    expect(stored.claimantLastActivityAt?.toISOString()).toBe('2026-11-30T09:20:00.000Z');

    // A new quiet stretch, a new reminder (five days after the claimant's reply).
    expect(await sweepAt('2026-12-05T09:00:00Z')).toEqual(NO_COUNTS);
    expect(await sweepAt('2026-12-05T10:00:00Z')).toEqual({ ...NO_COUNTS, reminded: 1 });
    expect(fallbackTextOf(posts(bug).at(-1)!)).toContain('goes back to the queue on Mon 7 Dec, 10:00 UTC');
    const secondReminderTs = await postedTsOf(db, (await reload(db, bug)).reminderNoticeId);
    await replyAt('2026-12-06T09:00:00Z', reporter, bug, 'we are losing refunds on this');
    t.slackApi.reset();

    // At CLAIM_RELEASE_AFTER (the time the reminder named) the claim goes back to the queue, kindly.
    expect(await sweepAt('2026-12-07T09:00:00Z')).toEqual(NO_COUNTS);
    expect(await sweepAt('2026-12-07T10:00:00Z')).toEqual({ ...NO_COUNTS, released: 1 });
    stored = await reload(db, bug);
    expect(stored).toMatchObject({
      status: 'open',
      claimantId: null,
      claimedAt: null,
      claimantLastActivityAt: null,
      remindedAt: null,
    });
    const released = (await eventsOf(db, bug)).at(-1)!;
    expect(released).toMatchObject({
      eventType: 'claim.timeout_released',
      actorId: null,
      actorKind: 'system',
      metadata: {
        from: 'in_progress',
        to: 'open',
        claimant: developer,
        quietSince: '2026-11-30T09:20:00.000Z',
        idleMs: 7 * DAY + 40 * MINUTE,
        daysIdle: 7,
        thresholdMs: 7 * DAY,
      },
    });
    const notices = posts(bug);
    expect(notices).toHaveLength(1);
    const releaseText = textOf(notices[0]!);
    expect(releaseText).toContain(`*${bug.ref}* is back in the queue`);
    expect(releaseText).toContain('fresh eyes');
    expect(releaseText).toContain(`Thank you <@${developer}> for the time you put in`);
    expect(releaseText).not.toMatch(BLAMING);
    const cards = updates(bug.cardTs!);
    expect(cards).toHaveLength(1);
    expect(JSON.stringify(cards[0]!.body.blocks)).toContain('_nobody yet_');
    // The reminder still open in the thread is edited to say it no longer applies.
    const reminderEdits = updates(secondReminderTs);
    expect(reminderEdits).toHaveLength(1);
    expect(textOf(reminderEdits[0]!)).toContain(
      `~Reminder for *${bug.ref}*~ No longer applies: the claim was released.`,
    );
    expect(await eventTypesOf(db, bug)).toEqual(
      expect.arrayContaining(['bug.claimed', 'claim.reminded', 'claim.reminded', 'claim.timeout_released']),
    );
    expect((await eventTypesOf(db, bug)).filter((type) => type === 'claim.reminded')).toHaveLength(2);
    expect((await eventTypesOf(db, bug)).filter((type) => type.startsWith('bug.warn'))).toEqual([]);
  });

  it('a bug quiet on both counts is warned and its claimant reminded in one run; the close withdraws the reminder', async () => {
    const bug = await newBug('Session expires too early');
    await command(developer, `claim ${bug.ref}`);
    await replyAt('2026-11-25T09:00:00Z', reporter, bug, 'happens every 10 minutes');
    t.slackApi.reset();

    // Four days after the reporter, five after the claim: one warning (naming both) and one reminder.
    expect(await sweepAt('2026-11-29T10:00:00Z')).toEqual({ ...NO_COUNTS, warned: 1, reminded: 1 });
    const notices = posts(bug);
    expect(notices).toHaveLength(2);
    expect(fallbackTextOf(notices[0]!)).toContain(
      `<@${reporter}> <@${developer}> *${bug.ref}* has been quiet since Wed 25 Nov, 09:00 UTC`,
    );
    expect(textOf(notices[1]!)).toContain(`<@${developer}>, a gentle nudge on *${bug.ref}*`);
    const reminderTs = await postedTsOf(db, (await reload(db, bug)).reminderNoticeId);

    // Nobody says anything: closed at the warning's time; the reminder no longer applies.
    t.slackApi.reset();
    expect(await sweepAt('2026-11-30T10:00:00Z')).toEqual({ ...NO_COUNTS, closed: 1 });
    const stored = await reload(db, bug);
    expect(stored).toMatchObject({
      status: 'closed',
      closeReason: 'inactivity',
      remindedAt: null,
      reminderNoticeId: null,
    });
    const reminderEdits = updates(reminderTs);
    expect(reminderEdits).toHaveLength(1);
    expect(textOf(reminderEdits[0]!)).toContain('No longer applies');
    expect((await eventTypesOf(db, bug)).slice(-3)).toEqual(['bug.warned', 'claim.reminded', 'bug.auto_closed']);

    // A closed bug's claim is never released by the sweep.
    expect(await sweepAt('2026-12-05T10:00:00Z')).toEqual(NO_COUNTS);
  });

  it('the claim is released at the time the reminder named, also when the claim began exactly on a sweep slot', async () => {
    // Claimed at 09:00:00 sharp: 7 days later is a sweep slot, but the claim is not yet quiet for *longer* than
    // CLAIM_RELEASE_AFTER there; the reminder names the sweep after it, and that is when the release happens.
    const bug = await newBug('Coupon field rejects lowercase');
    await command(developer, `claim ${bug.ref}`);
    await replyAt('2026-11-27T09:00:00Z', reporter, bug, 'any news?');
    expect(await sweepAt('2026-11-29T10:00:00Z')).toEqual({ ...NO_COUNTS, reminded: 1 });
    expect(fallbackTextOf(posts(bug).at(-1)!)).toContain('goes back to the queue on Tue 1 Dec, 10:00 UTC');
    await replyAt('2026-11-30T09:00:00Z', reporter, bug, 'still there');

    expect(await sweepAt('2026-12-01T09:00:00Z')).toEqual(NO_COUNTS);
    expect(await sweepAt('2026-12-01T10:00:00Z')).toEqual({ ...NO_COUNTS, released: 1 });
  });

  it('a restart with a shorter CLAIM_RELEASE_AFTER does not release a claim before the time its reminder named', async () => {
    const bug = await newBug('Export button greyed out');
    await command(developer, `claim ${bug.ref}`);
    await replyAt('2026-11-27T09:00:00Z', reporter, bug, 'any news?');
    expect(await sweepAt('2026-11-29T10:00:00Z')).toEqual({ ...NO_COUNTS, reminded: 1 });
    expect(fallbackTextOf(posts(bug).at(-1)!)).toContain('goes back to the queue on Tue 1 Dec, 10:00 UTC');
    await replyAt('2026-11-30T09:00:00Z', reporter, bug, 'still there');

    // bugsweep restarts with CLAIM_RELEASE_AFTER=5d: by the new setting the claim is overdue already.
    const restarted = await createReplica(t, db, { env: { CLAIM_RELEASE_AFTER: '5d' }, clock: t.clock });
    try {
      const sweepRestartedAt = async (moment: string) => {
        t.clock.set(moment);
        const result = ran(await adminSweep(restarted.ctx));
        await restarted.ctx.notifier.drain();
        await t.settle();
        return result.counts;
      };
      expect(await sweepRestartedAt('2026-11-30T10:00:00Z')).toEqual(NO_COUNTS);
      expect(await sweepRestartedAt('2026-12-01T09:00:00Z')).toEqual(NO_COUNTS);
      expect((await reload(db, bug)).claimantId).toBe(developer);
      expect(await sweepRestartedAt('2026-12-01T10:00:00Z')).toEqual({ ...NO_COUNTS, released: 1 });
    } finally {
      await restarted.close();
    }
  });

  it("the claimant's Keep open press keeps the claim alive, also after someone deletes a message in the thread", async () => {
    const bug = await newBug('Dark mode toggle resets');
    await command(developer, `claim ${bug.ref}`);
    expect(await sweepAt('2026-11-28T10:00:00Z')).toEqual({ ...NO_COUNTS, warned: 1 });
    const { warningNoticeId } = await reload(db, bug);
    const warningTs = await postedTsOf(db, warningNoticeId);

    // The claimant presses Keep open on the warning: a sign of life for the bug and for the claim.
    t.clock.set('2026-11-28T11:00:00Z');
    await pressKeepOpen(developer, bug, warningTs);
    let stored = await reload(db, bug);
    expect(stored.lastActivityAt.toISOString()).toBe('2026-11-28T11:00:00.000Z');
    expect(stored.claimantLastActivityAt?.toISOString()).toBe('2026-11-28T11:00:00.000Z');

    // The reporter posts something and deletes it again.
    const replyTs = await replyAt('2026-11-28T12:00:00Z', reporter, bug, 'wrong thread, sorry');
    t.clock.set('2026-11-28T12:05:00Z');
    await deliver(messageDeleted({ ts: replyTs, user: reporter, deletedAt: slackTs(t.clock.now()) }));
    stored = await reload(db, bug);
    expect(stored.lastActivityAt.toISOString()).toBe('2026-11-28T11:00:00.000Z');
    expect(stored.claimantLastActivityAt?.toISOString()).toBe('2026-11-28T11:00:00.000Z');

    // So no reminder the next day: the claimant was active yesterday.
    t.slackApi.reset();
    expect(await sweepAt('2026-11-29T10:00:00Z')).toEqual(NO_COUNTS);
  });
});

describe('bugs the sweep leaves alone', () => {
  it('resolved, closed and escalated bugs are never warned, closed or released; an escalated bug keeps its quiet claimant', async () => {
    const em = db.orm.em.fork();
    const longAgo = plus(START, -30 * DAY);
    const resolved = await createBug(em, { title: 'Resolved long ago', status: 'resolved', createdAt: longAgo });
    const closed = await createBug(em, { title: 'Closed by hand', status: 'closed', createdAt: longAgo });
    const escalated = await createBug(em, {
      title: 'Escalated',
      status: 'escalated',
      createdAt: longAgo,
      claimantId: developer,
      claimedAt: longAgo,
    });
    const unclaimedEscalated = await createBug(em, {
      title: 'Escalated, nobody on it',
      status: 'escalated',
      createdAt: longAgo,
    });

    for (const moment of [START, plus(START, 10 * DAY), plus(START, 40 * DAY)]) {
      expect(await sweepAt(moment)).toEqual(NO_COUNTS);
    }
    expect(t.slackApi.calls).toEqual([]);
    for (const bug of [resolved, closed, escalated, unclaimedEscalated]) {
      expect(await eventsOf(db, bug)).toEqual([]);
      expect(await noticesOf(db, { bugId: bug.id })).toEqual([]);
    }
    expect(await reload(db, resolved)).toMatchObject({ status: 'resolved', warnedAt: null });
    expect(await reload(db, closed)).toMatchObject({ status: 'closed', warnedAt: null });
    expect(await reload(db, escalated)).toMatchObject({ status: 'escalated', claimantId: developer, remindedAt: null });
    expect(await reload(db, unclaimedEscalated)).toMatchObject({ status: 'escalated' });
  });

  it('a warned bug that is escalated or resolved meanwhile is not closed at the time its warning named', async () => {
    const toEscalate = await newBug('Payments down for EU cards');
    const toResolve = await newBug('Typo on the pricing page');
    expect(await sweepAt('2026-11-28T10:00:00Z')).toEqual({ ...NO_COUNTS, warned: 2 });
    const warningTs = await postedTsOf(db, (await reload(db, toEscalate)).warningNoticeId);

    t.clock.set('2026-11-28T16:00:00Z');
    await command(admin, `escalate ${toEscalate.ref} customer-facing outage`);
    await command(developer, `claim ${toEscalate.ref}`);
    expect(await reload(db, toEscalate)).toMatchObject({ status: 'escalated', claimantId: developer, warnedAt: null });
    expect(fallbackTextOf(updates(warningTs)[0]!)).toContain(
      'No longer applies: its status changed on Sat 28 Nov, 16:00 UTC',
    );
    await db.orm.em
      .fork()
      .nativeUpdate(BugReport, { id: toResolve.id }, { status: 'resolved', resolvedAt: t.clock.now() });
    t.slackApi.reset();

    // Long past the named time and past every threshold: no close, no warning, no reminder, no release.
    for (const moment of ['2026-11-29T10:00:00Z', '2026-12-10T10:00:00Z', '2027-01-10T10:00:00Z']) {
      expect(await sweepAt(moment)).toEqual(NO_COUNTS);
    }
    expect(t.slackApi.calls).toEqual([]);
    expect(await reload(db, toEscalate)).toMatchObject({ status: 'escalated', claimantId: developer });
    expect(await reload(db, toResolve)).toMatchObject({ status: 'resolved' });
  });
});

describe('with AUTO_CLOSE_WARNING=0 and CLAIM_REMINDER=0', () => {
  // bugsweep restarted with these settings on the same database, Slack and clock; replies still come in
  // through the running app.
  let restarted: Replica;
  beforeEach(async () => {
    restarted = await createReplica(t, db, { env: { AUTO_CLOSE_WARNING: '0', CLAIM_REMINDER: '0' }, clock: t.clock });
  });
  afterEach(() => restarted.close());

  async function sweepRestartedAt(moment: string) {
    t.clock.set(moment);
    const result = ran(await adminSweep(restarted.ctx));
    await restarted.ctx.notifier.drain();
    await t.settle();
    return result.counts;
  }

  it('a stale bug is closed without a warning, once it has been quiet for longer than AUTO_CLOSE_AFTER', async () => {
    const bug = await newBug('Header overlaps the logo');
    for (const moment of ['2026-11-28T10:00:00Z', '2026-11-29T09:00:00Z']) {
      expect(await sweepRestartedAt(moment)).toEqual(NO_COUNTS);
    }
    expect(t.slackApi.calls).toEqual([]);

    expect(await sweepRestartedAt('2026-11-29T10:00:00Z')).toEqual({ ...NO_COUNTS, closed: 1 });
    expect(await reload(db, bug)).toMatchObject({ status: 'closed', closeReason: 'inactivity' });
    expect(await eventTypesOf(db, bug)).toEqual(['bug.created', 'bug.auto_closed']);
    expect((await eventsOf(db, bug)).at(-1)!.metadata).toMatchObject({
      idleMs: 5 * DAY + HOUR,
      thresholdMs: 5 * DAY,
      warningVisibleSince: null,
    });
    expect(await noticesOf(db, { bugId: bug.id, purpose: 'warning' })).toEqual([]);
    const notices = posts(bug);
    expect(notices).toHaveLength(1);
    expect(textOf(notices[0]!)).toContain(`Closed *${bug.ref}* after 5d 1h`);
    expect(keepOpenButtonOf(notices[0]!)).toBeUndefined();
    expect(updates(bug.cardTs!)).toHaveLength(1);
  });

  it('a quiet claim is released without a reminder, once the claimant has been quiet for longer than CLAIM_RELEASE_AFTER', async () => {
    const bug = await newBug('Filters forget the date range');
    t.clock.set('2026-11-24T09:20:00Z');
    await command(developer, `claim ${bug.ref}`);
    await replyAt('2026-11-27T09:00:00Z', reporter, bug);
    await replyAt('2026-11-30T09:00:00Z', developer2, bug);
    t.slackApi.reset();

    for (const moment of ['2026-11-29T10:00:00Z', '2026-11-30T10:00:00Z', '2026-12-01T09:00:00Z']) {
      expect(await sweepRestartedAt(moment)).toEqual(NO_COUNTS);
    }
    expect(t.slackApi.calls).toEqual([]);
    expect(await sweepRestartedAt('2026-12-01T10:00:00Z')).toEqual({ ...NO_COUNTS, released: 1 });
    expect(await reload(db, bug)).toMatchObject({ status: 'open', claimantId: null });
    const types = await eventTypesOf(db, bug);
    expect(types).not.toContain('claim.reminded');
    expect(types.at(-1)).toBe('claim.timeout_released');
    const notices = posts(bug);
    expect(notices).toHaveLength(1);
    expect(textOf(notices[0]!)).toContain('fresh eyes');
  });
});
