// AUTO_CLOSE_POLICY=waiting-on-reporter and DEVELOPER_NUDGE_AFTER (issue 16), timeline by timeline through the real
// app: bugs and replies come in as signed Slack events, the sweep runs at the moments named (the clock moves only
// by hand), the outbox is drained, and the exact notices, edits, cards and bug_events are asserted.
import { beforeEach, describe, expect, it } from 'vitest';
import { BugReport } from '../../src/db/entities/index.ts';
import { slackMoment } from '../../src/messages/date-token.ts';
import { ACTIONS } from '../../src/messages/ids.ts';
import type { AgentIdentity } from '../../src/services/api-tokens.ts';
import { performBugAction } from '../../src/services/bug-lifecycle.ts';
import { useTestDatabase } from '../support/database.ts';
import { messageDeleted } from '../support/slack-events.ts';
import {
  adminSweep,
  createReplica,
  eventsOf,
  eventTypesOf,
  NO_COUNTS,
  postedTsOf,
  reload,
  resetSweepWorld,
  textOf,
  timelineFor,
} from '../support/sweep-support.ts';
import { TEST_USERS, useTestApp } from '../support/test-app.ts';
import { START, slackTs } from '../support/test-clock.ts';

const { reporter, developer, developer2, bystander } = TEST_USERS;
const moment = (iso: string) => slackMoment(new Date(iso), 'UTC');

const NONE = { ...NO_COUNTS, nudged: 0 };

const db = useTestDatabase();
const t = useTestApp(db, { AUTO_CLOSE_POLICY: 'waiting-on-reporter' });
const { deliver, newBug, replyAt, runAt, command, press, pressKeepOpen, posts, updates } = timelineFor(db, t);
/** A sweep at `at`: its counts and how many bugs it nudged developers about. */
const sweepAt = async (at: string) => {
  const result = await runAt(at);
  return { ...result.counts, nudged: result.nudged ?? 0 };
};

beforeEach(() => resetSweepWorld(db, t));

describe('AUTO_CLOSE_POLICY=waiting-on-reporter', () => {
  it('a developer asked last: the reporter is warned with what is awaited, then the bug is closed', async () => {
    const bug = await newBug();
    expect((await reload(db, bug)).turn).toBe('developers');
    await replyAt('2026-11-24T10:00:00Z', developer, bug, 'Can you send the steps to reproduce?');
    let stored = await reload(db, bug);
    expect(stored.turn).toBe('reporter');
    expect(stored.turnSince.toISOString()).toBe('2026-11-24T10:00:00.000Z');
    // The card says whose turn it is now.
    const cards = updates(bug.cardTs!);
    expect(cards).toHaveLength(1);
    expect(JSON.stringify(cards[0]!.body.blocks)).toContain('Waiting on the reporter');
    // A bystander's "+1" changes nothing.
    await replyAt('2026-11-24T11:00:00Z', bystander, bug, '+1');
    expect((await reload(db, bug)).turn).toBe('reporter');
    t.slackApi.reset();

    expect(await sweepAt('2026-11-28T10:00:00Z')).toEqual(NONE);
    expect(await sweepAt('2026-11-28T11:00:00Z')).toEqual({ ...NONE, warned: 1 });
    const warnings = posts(bug);
    expect(warnings).toHaveLength(1);
    expect(textOf(warnings[0]!)).toContain(
      `<@${reporter}>, <@${developer}> asked “Can you send the steps to reproduce?” on ${moment('2026-11-24T10:00:00Z')}; ` +
        `*${bug.ref}* closes on *${moment('2026-11-29T11:00:00Z')}* unless you reply.`,
    );
    stored = await reload(db, bug);
    expect(stored.autoCloseAt?.toISOString()).toBe('2026-11-29T11:00:00.000Z');

    expect(await sweepAt('2026-11-29T10:00:00Z')).toEqual(NONE);
    expect(await sweepAt('2026-11-29T11:00:00Z')).toEqual({ ...NONE, closed: 1 });
    expect(await reload(db, bug)).toMatchObject({ status: 'closed', closeReason: 'inactivity' });
  });

  it('the reporter asked last: nudged once, never closed; closed once a developer answers and the reporter goes quiet', async () => {
    const bug = await newBug();
    // Exactly DEVELOPER_NUDGE_AFTER (2d) is not past it.
    expect(await sweepAt('2026-11-26T09:00:00Z')).toEqual(NONE);
    expect(t.slackApi.calls).toEqual([]);
    expect(await sweepAt('2026-11-26T10:00:00Z')).toEqual({ ...NONE, nudged: 1 });
    const nudges = posts(bug);
    expect(nudges).toHaveLength(1);
    expect(textOf(nudges[0]!)).toBe(
      `:bell: <@${developer}> <@${developer2}>, *${bug.ref}* is waiting on developers: <@${reporter}> has had no answer ` +
        `since ${moment('2026-11-24T09:00:00Z')}. bugsweep does not close a bug while it waits on you; a reply here is all it takes.`,
    );
    const nudged = (await eventsOf(db, bug)).at(-1)!;
    expect(nudged).toMatchObject({
      eventType: 'bug.developers_nudged',
      actorKind: 'system',
      metadata: { audience: 'developers', waitingSince: '2026-11-24T09:00:00.000Z', thresholdMs: 2 * 86_400_000 },
    });
    const stored = await reload(db, bug);
    const nudgeTs = await postedTsOf(db, stored.nudgeNoticeId);
    t.slackApi.reset();

    // One nudge per turn, and never a warning or a close while it waits on developers, however long.
    for (const at of ['2026-11-26T11:00:00Z', '2026-11-30T09:00:00Z', '2026-12-05T10:00:00Z']) {
      expect(await sweepAt(at)).toEqual(NONE);
    }
    expect(t.slackApi.calls).toEqual([]);
    // The reporter adding more keeps it the developers' turn: no second nudge.
    await replyAt('2026-12-05T11:00:00Z', reporter, bug, 'still broken');
    expect(await sweepAt('2026-12-08T11:00:00Z')).toEqual(NONE);
    t.slackApi.reset();

    // A developer answers: the nudge is withdrawn (edited in place), the turn is the reporter's.
    await replyAt('2026-12-08T12:00:00Z', developer, bug, 'Which browser?');
    const edits = updates(nudgeTs);
    expect(edits).toHaveLength(1);
    expect(textOf(edits[0]!)).toBe(
      `:white_check_mark: ~Nudge for *${bug.ref}*~ No longer applies: a developer answered on ${moment('2026-12-08T12:00:00Z')}.`,
    );
    expect(JSON.stringify(updates(bug.cardTs!)[0]!.body.blocks)).toContain('Waiting on the reporter');
    expect((await eventTypesOf(db, bug)).slice(-1)).toEqual(['bug.nudge_withdrawn']);
    expect(await reload(db, bug)).toMatchObject({ turn: 'reporter', nudgedAt: null, nudgeNoticeId: null });

    // The reporter goes quiet: warned after 4d, closed after 5d.
    expect(await sweepAt('2026-12-12T13:00:00Z')).toEqual({ ...NONE, warned: 1 });
    expect(await sweepAt('2026-12-13T13:00:00Z')).toEqual({ ...NONE, closed: 1 });
    expect(await eventTypesOf(db, bug)).toEqual([
      'bug.created',
      'bug.developers_nudged',
      'bug.nudge_withdrawn',
      'bug.warned',
      'bug.auto_closed',
    ]);
  });

  it("a claimed bug's nudge mentions the claimant; a new developers' turn is nudged again", async () => {
    const bug = await newBug();
    await command(developer, `claim ${bug.ref}`);
    t.slackApi.reset();
    expect(await sweepAt('2026-11-26T10:00:00Z')).toEqual({ ...NONE, nudged: 1 });
    expect(textOf(posts(bug)[0]!)).toMatch(new RegExp(`^:bell: <@${developer}>, \\*${bug.ref}\\* is waiting`));

    // The claimant answers, the reporter replies: the developers' turn starts again, and is nudged 2d later.
    await replyAt('2026-11-27T09:00:00Z', developer, bug, 'Fixed on staging, can you check?');
    await replyAt('2026-11-27T10:00:00Z', reporter, bug, 'Still broken for me');
    expect((await reload(db, bug)).turnSince.toISOString()).toBe('2026-11-27T10:00:00.000Z');
    t.slackApi.reset();
    expect(await sweepAt('2026-11-29T10:00:00Z')).toEqual(NONE);
    expect(await sweepAt('2026-11-29T11:00:00Z')).toEqual({ ...NONE, nudged: 1 });
    expect(textOf(posts(bug)[0]!)).toContain(`since ${moment('2026-11-27T10:00:00Z')}`);
  });

  it('deleting the developer answer gives the turn back to developers', async () => {
    const bug = await newBug();
    const answer = await replyAt('2026-11-24T10:00:00Z', developer, bug, 'Steps please?');
    expect((await reload(db, bug)).turn).toBe('reporter');
    await deliver(
      messageDeleted({ ts: answer, user: developer, deletedAt: slackTs(new Date('2026-11-24T11:00:00Z')) }),
    );
    const stored = await reload(db, bug);
    expect(stored.turn).toBe('developers');
    expect(stored.turnSince.toISOString()).toBe(START.toISOString());
  });

  it('a deleted developer answer gives the turn back to developers on the card too', async () => {
    const bug = await newBug();
    const answer = await replyAt('2026-11-24T10:00:00Z', developer, bug, 'Steps please?');
    expect(JSON.stringify(updates(bug.cardTs!).at(-1)!.body.blocks)).toContain('Waiting on the reporter');
    t.slackApi.reset();
    await deliver(
      messageDeleted({ ts: answer, user: developer, deletedAt: slackTs(new Date('2026-11-24T11:00:00Z')) }),
    );
    const cards = updates(bug.cardTs!);
    expect(cards).toHaveLength(1);
    expect(JSON.stringify(cards[0]!.body.blocks)).toContain('Waiting on developers');
  });

  it('a bug whose thread is still being read back after an outage is not nudged until it is read', async () => {
    const bug = await newBug();
    // A developer may have answered in a reply the bot could not store yet (thread-catch-up.ts).
    await db.orm.em.fork().nativeUpdate(BugReport, { id: bug.id }, { catchUpDueAt: new Date('2026-11-26T09:30:00Z') });
    expect(await sweepAt('2026-11-26T10:00:00Z')).toEqual(NONE);
    expect(posts(bug)).toEqual([]);
    await db.orm.em.fork().nativeUpdate(BugReport, { id: bug.id }, { catchUpDueAt: null });
    expect(await sweepAt('2026-11-26T11:00:00Z')).toEqual({ ...NONE, nudged: 1 });
  });

  it('two replicas sweeping at once nudge a bug once', async () => {
    const bug = await newBug();
    const replica = await createReplica(t, db, { env: { AUTO_CLOSE_POLICY: 'waiting-on-reporter' }, ownOrm: true });
    try {
      t.clock.set('2026-11-26T10:00:00Z');
      replica.clock.set('2026-11-26T10:00:00Z');
      await Promise.all([adminSweep(t.bugsweep.ctx), adminSweep(replica.ctx)]);
      await Promise.all([adminSweep(t.bugsweep.ctx), adminSweep(replica.ctx)]);
      await replica.ctx.notifier.drain();
      await t.settle();
      expect(posts(bug)).toHaveLength(1);
      expect((await eventTypesOf(db, bug)).filter((type) => type === 'bug.developers_nudged')).toHaveLength(1);
    } finally {
      await replica.close();
    }
  });

  describe('a reopen hands the turn to developers', () => {
    /** `/bugs <words>` at `at` (the clock moves there). */
    const commandAt = async (at: string, user: string, words: string) => {
      t.clock.set(at);
      return command(user, words);
    };
    /** A developer resolves the bug at `at` (what the resolve modal's submission does). */
    const resolveAt = async (at: string, bug: BugReport, note: string) => {
      t.clock.set(at);
      const outcome = await performBugAction(t.bugsweep.ctx, {
        bugId: bug.id,
        action: 'resolve',
        actorId: developer,
        details: { note },
      });
      expect(outcome.ok).toBe(true);
      await t.settle();
    };

    it('a developer says it is fixed, the reporter reopens without a word: never warned or closed, nudged, then the reporter’s turn once a developer answers', async () => {
      const bug = await newBug();
      await replyAt('2026-11-24T10:00:00Z', developer, bug, 'Fixed in 2.3');
      await resolveAt('2026-11-24T11:00:00Z', bug, 'Fixed in 2.3');
      expect(await reload(db, bug)).toMatchObject({ status: 'resolved', turn: 'reporter' });
      t.slackApi.reset();

      await commandAt('2026-11-25T09:00:00Z', reporter, `reopen ${bug.ref}`);
      const stored = await reload(db, bug);
      expect(stored).toMatchObject({ status: 'open', turn: 'developers', nudgedAt: null });
      expect(stored.turnSince.toISOString()).toBe('2026-11-25T09:00:00.000Z');
      // The card says so.
      expect(JSON.stringify(updates(bug.cardTs!).at(-1)!.body.blocks)).toContain('Waiting on developers');
      t.slackApi.reset();

      // Nudged DEVELOPER_NUDGE_AFTER (2d) after the reopen, once; never warned or closed, however long.
      expect(await sweepAt('2026-11-27T09:00:00Z')).toEqual(NONE);
      expect(await sweepAt('2026-11-27T10:00:00Z')).toEqual({ ...NONE, nudged: 1 });
      const nudges = posts(bug);
      expect(nudges).toHaveLength(1);
      expect(textOf(nudges[0]!)).toContain(
        `is waiting on developers: <@${reporter}> has had no answer since ${moment('2026-11-25T09:00:00Z')}`,
      );
      for (const at of ['2026-11-29T10:00:00Z', '2026-11-30T10:00:00Z', '2026-12-05T10:00:00Z']) {
        expect(await sweepAt(at)).toEqual(NONE);
      }
      expect(posts(bug).filter((call) => textOf(call).includes('closes'))).toEqual([]);
      expect(await reload(db, bug)).toMatchObject({ status: 'open', warnedAt: null });

      // A developer answers: the reporter's turn again, the nudge withdrawn; the reporter's silence now closes it.
      await replyAt('2026-12-05T11:00:00Z', developer, bug, 'Which version are you on?');
      expect(await reload(db, bug)).toMatchObject({ turn: 'reporter', nudgedAt: null });
      t.slackApi.reset();
      expect(await sweepAt('2026-12-09T12:00:00Z')).toEqual({ ...NONE, warned: 1 });
      expect(textOf(posts(bug)[0]!)).toContain(
        `<@${reporter}>, <@${developer}> asked “Which version are you on?” on ${moment('2026-12-05T11:00:00Z')}`,
      );
      expect(await sweepAt('2026-12-10T12:00:00Z')).toEqual({ ...NONE, closed: 1 });
      expect((await eventTypesOf(db, bug)).filter((type) => type !== 'bug.created')).toEqual([
        'bug.resolved',
        'bug.reopened',
        'bug.developers_nudged',
        'bug.nudge_withdrawn',
        'bug.warned',
        'bug.auto_closed',
      ]);
    });

    it('a bug nudged, resolved and reopened with the card’s button is nudged again, once', async () => {
      const bug = await newBug();
      expect(await sweepAt('2026-11-26T10:00:00Z')).toEqual({ ...NONE, nudged: 1 });
      await resolveAt('2026-11-26T12:00:00Z', bug, 'Fixed in 2.3');
      t.clock.set('2026-11-27T09:00:00Z');
      await press(reporter, ACTIONS.reopen, bug);
      const stored = await reload(db, bug);
      expect(stored).toMatchObject({ status: 'open', turn: 'developers', nudgedAt: null, nudgeNoticeId: null });
      expect(stored.turnSince.toISOString()).toBe('2026-11-27T09:00:00.000Z');
      t.slackApi.reset();

      expect(await sweepAt('2026-11-29T09:00:00Z')).toEqual(NONE);
      expect(await sweepAt('2026-11-29T10:00:00Z')).toEqual({ ...NONE, nudged: 1 });
      expect(textOf(posts(bug)[0]!)).toContain(`since ${moment('2026-11-27T09:00:00Z')}`);
      for (const at of ['2026-11-29T11:00:00Z', '2026-12-02T10:00:00Z']) expect(await sweepAt(at)).toEqual(NONE);
      expect(posts(bug)).toHaveLength(1);
      expect((await eventTypesOf(db, bug)).filter((type) => type === 'bug.developers_nudged')).toHaveLength(2);
    });

    it('an agent’s fix the reporter says is still broken, and an agent’s reopen through the API, are developers’ turns', async () => {
      const agent: AgentIdentity = { name: 'fixer', scopes: ['read', 'write'] };
      const act = async (at: string, bug: BugReport, action: 'resolve' | 'still_broken' | 'reopen', actor = agent) => {
        t.clock.set(at);
        const outcome = await performBugAction(t.bugsweep.ctx, {
          bugId: bug.id,
          action,
          actorId: action === 'still_broken' ? reporter : `agent:${actor.name}`,
          ...(action === 'still_broken' ? {} : { agent: actor }),
        });
        expect(outcome.ok).toBe(true);
        await t.settle();
      };
      const verifying = await newBug('Cart total is wrong');
      const reopened = await newBug('Search loses focus');
      await replyAt('2026-11-24T09:30:00Z', developer, reopened, 'Fixed in 2.3');
      await replyAt('2026-11-24T10:00:00Z', developer, verifying, 'An agent is on it, try again in an hour');
      await act('2026-11-24T11:00:00Z', verifying, 'resolve');
      expect(await reload(db, verifying)).toMatchObject({ status: 'awaiting_verification', turn: 'reporter' });
      await act('2026-11-24T12:00:00Z', verifying, 'still_broken');
      const broken = await reload(db, verifying);
      expect(broken).toMatchObject({ status: 'open', turn: 'developers' });
      expect(broken.turnSince.toISOString()).toBe('2026-11-24T12:00:00.000Z');

      await resolveAt('2026-11-24T12:10:00Z', reopened, 'Fixed in 2.3');
      await act('2026-11-24T12:30:00Z', reopened, 'reopen', { name: 'triage', scopes: ['read', 'write', 'admin'] });
      const again = await reload(db, reopened);
      expect(again).toMatchObject({ status: 'open', turn: 'developers' });
      expect(again.turnSince.toISOString()).toBe('2026-11-24T12:30:00.000Z');

      expect(await sweepAt('2026-11-28T13:00:00Z')).toEqual({ ...NONE, nudged: 2 });
      expect(await sweepAt('2026-11-30T13:00:00Z')).toEqual(NONE);
    });

    it('a bug split out as not a duplicate is the developers’ turn; its canonical bug’s turn is not touched', async () => {
      const canonical = await newBug('Checkout crashes');
      const duplicate = await newBug('Checkout crashes on submit');
      await replyAt('2026-11-24T10:00:00Z', developer, canonical, 'Which card did you use?');
      await replyAt('2026-11-24T10:30:00Z', developer, duplicate, 'Same as the other one, I think');
      await commandAt('2026-11-24T11:00:00Z', developer, `merge ${duplicate.ref} into ${canonical.ref}`);
      expect(await reload(db, duplicate)).toMatchObject({
        status: 'closed',
        duplicateOfId: canonical.id,
        turn: 'reporter',
      });
      await commandAt('2026-11-24T12:00:00Z', reporter, `split ${duplicate.ref}`);
      const split = await reload(db, duplicate);
      expect(split).toMatchObject({ status: 'open', duplicateOfId: null, turn: 'developers' });
      expect(split.turnSince.toISOString()).toBe('2026-11-24T12:00:00.000Z');
      const other = await reload(db, canonical);
      expect(other.turn).toBe('reporter');
      expect(other.turnSince.toISOString()).toBe('2026-11-24T10:00:00.000Z');
    });

    it('deleting a message after a reopen does not undo it', async () => {
      const bug = await newBug();
      const details = await replyAt('2026-11-24T09:30:00Z', reporter, bug, 'It happens on Safari too');
      await replyAt('2026-11-24T10:00:00Z', developer, bug, 'Fixed in 2.3');
      await resolveAt('2026-11-24T11:00:00Z', bug, 'Fixed in 2.3');
      await commandAt('2026-11-24T12:00:00Z', reporter, `reopen ${bug.ref}`);
      // The reporter's earlier reply is deleted: the turn is recomputed from the thread, and the reopen still counts.
      await deliver(
        messageDeleted({ ts: details, user: reporter, deletedAt: slackTs(new Date('2026-11-24T13:00:00Z')) }),
      );
      const stored = await reload(db, bug);
      expect(stored.turn).toBe('developers');
      expect(stored.turnSince.toISOString()).toBe('2026-11-24T12:00:00.000Z');
      t.slackApi.reset();
      expect(await sweepAt('2026-11-26T13:00:00Z')).toEqual({ ...NONE, nudged: 1 });
      expect(await sweepAt('2026-11-29T13:00:00Z')).toEqual(NONE);
    });

    it('the bot’s own reopen: on a Keep open press the developers’ turn, on a developer’s reply the reporter’s', async () => {
      const pressed = await newBug('Cart total is wrong');
      const replied = await newBug('Search loses focus');
      for (const bug of [pressed, replied]) await replyAt('2026-11-24T10:00:00Z', developer, bug, 'Steps please?');
      expect(await sweepAt('2026-11-28T11:00:00Z')).toEqual({ ...NONE, warned: 2 });
      const warningTs = await postedTsOf(db, (await reload(db, pressed)).warningNoticeId);
      expect(await sweepAt('2026-11-29T11:00:00Z')).toEqual({ ...NONE, closed: 2 });

      // Keep open on the old warning reopens it (REOPEN_WITHIN): nobody has answered since, it waits on developers.
      t.clock.set('2026-11-30T09:00:00Z');
      await pressKeepOpen(reporter, pressed, warningTs);
      const kept = await reload(db, pressed);
      expect(kept).toMatchObject({ status: 'open', turn: 'developers' });
      expect(kept.turnSince.toISOString()).toBe('2026-11-30T09:00:00.000Z');
      // A developer's reply reopens the other: it asks the reporter, so it is the reporter's turn from that reply.
      await replyAt('2026-11-30T09:30:00Z', developer, replied, 'Did 2.4 fix it for you?');
      const answered = await reload(db, replied);
      expect(answered).toMatchObject({ status: 'open', turn: 'reporter' });
      expect(answered.turnSince.toISOString()).toBe('2026-11-30T09:30:00.000Z');

      expect(await sweepAt('2026-12-02T09:30:00Z')).toEqual({ ...NONE, nudged: 1 });
      expect(await sweepAt('2026-12-04T10:00:00Z')).toEqual({ ...NONE, warned: 1 });
      expect((await reload(db, replied)).warnedAt).not.toBeNull();
    });
  });
});
