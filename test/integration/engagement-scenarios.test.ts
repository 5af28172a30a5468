// ENGAGEMENT_EXEMPT through the real app (issue 16): reactions on a bug's root message (reaction_added and
// reaction_removed events) and bystanders saying they are affected too are counted as they come in, each person
// once; a bug past the threshold is not warned or closed for silence and its card says how many it affects.
import { beforeEach, describe, expect, it } from 'vitest';
import type { BugReport } from '../../src/db/entities/index.ts';
import { useTestDatabase } from '../support/database.ts';
import { threadReply } from '../support/slack-events.ts';
import { NO_COUNTS, reload, resetSweepWorld, textOf, timelineFor } from '../support/sweep-support.ts';
import { TEST_CHANNEL, TEST_USERS, useTestApp } from '../support/test-app.ts';
import { slackTs } from '../support/test-clock.ts';

const { reporter, developer, bystander } = TEST_USERS;
const OTHERS = ['UOTHER1', 'UOTHER2', 'UOTHER3'] as const;

const db = useTestDatabase();
const t = useTestApp(db, { ENGAGEMENT_EXEMPT: 'reactions>=2, reporters>=3' });
beforeEach(() => resetSweepWorld(db, t));

const timeline = timelineFor(db, t);
const { deliver, sweepAt } = timeline;
const newBug = () => timeline.newBug('Checkout fails with ECONNRESET');

function reaction(added: boolean, user: string, bug: BugReport, name = 'eyes', ts = bug.threadTs) {
  return {
    type: added ? 'reaction_added' : 'reaction_removed',
    user,
    reaction: name,
    item: { type: 'message', channel: TEST_CHANNEL, ts },
    item_user: reporter,
    event_ts: slackTs(t.clock.now()),
  };
}

const cardUpdates = (bug: BugReport) => t.slackApi.callsTo('chat.update').filter((call) => call.body.ts === bug.cardTs);

describe('ENGAGEMENT_EXEMPT', () => {
  it('reactions added and removed: distinct people, not the reporter, each once', async () => {
    const bug = await newBug();
    await deliver(reaction(true, reporter, bug, 'pray')); // the reporter's own does not count
    await deliver(reaction(true, OTHERS[0], bug, 'eyes'));
    await deliver(reaction(true, OTHERS[0], bug, '+1')); // the same person again
    await deliver(reaction(true, OTHERS[0], bug, '+1')); // the same event delivered twice
    expect((await reload(db, bug)).reactors).toBe(1);
    // A reaction to another message of the thread is not the bug's.
    await deliver(reaction(true, OTHERS[1], bug, 'eyes', slackTs(t.clock.now())));
    expect((await reload(db, bug)).reactors).toBe(1);
    expect(cardUpdates(bug).some((call) => JSON.stringify(call.body.blocks).includes('Affects'))).toBe(false);

    await deliver(reaction(true, OTHERS[1], bug, 'eyes'));
    expect((await reload(db, bug)).reactors).toBe(2);
    const card = cardUpdates(bug).at(-1)!;
    expect(JSON.stringify(card.body.blocks)).toContain('Affects 1 person · 2 reacted; not auto-closed');

    // Exempt: four days of silence and more bring no warning.
    expect(await sweepAt('2026-11-28T10:00:00Z')).toEqual(NO_COUNTS);
    expect(await sweepAt('2026-12-05T10:00:00Z')).toEqual(NO_COUNTS);
    expect(t.slackApi.callsTo('chat.postMessage')).toEqual([]);

    // One of the two takes one reaction back: still reacting. Then the other: below the threshold, warned again.
    await deliver(reaction(false, OTHERS[0], bug, 'eyes'));
    expect((await reload(db, bug)).reactors).toBe(2);
    await deliver(reaction(false, OTHERS[0], bug, '+1'));
    expect((await reload(db, bug)).reactors).toBe(1);
    expect(JSON.stringify(cardUpdates(bug).at(-1)!.body.blocks)).not.toContain('Affects');
    expect(await sweepAt('2026-12-05T11:00:00Z')).toEqual({ ...NO_COUNTS, warned: 1 });
  });

  it('bystanders saying they are affected too count once each; other replies do not', async () => {
    const bug = await newBug();
    const say = async (user: string, text: string) => {
      t.clock.set(new Date(t.clock.now().getTime() + 60_000));
      await deliver(threadReply({ user, ts: slackTs(t.clock.now()), threadTs: bug.threadTs, text }));
    };
    await say(bystander, 'same here');
    await say(bystander, '+1, still happening to me too'); // the same person again
    await say(OTHERS[0], '+1 for fixing the docs'); // endorses something else
    await say(OTHERS[1], 'is anyone else seeing this too?'); // asks about others
    await say(developer, 'me too'); // a developer is no bystander
    expect((await reload(db, bug)).affectedReporters).toBe(1);
    expect(await sweepAt('2026-11-28T12:00:00Z')).toEqual({ ...NO_COUNTS, warned: 1 });
    t.slackApi.reset();

    // A second bystander, quoting the same error: three people now, exempt.
    await say(OTHERS[2], 'I get ECONNRESET at checkout as well');
    expect((await reload(db, bug)).affectedReporters).toBe(2);
    expect(JSON.stringify(cardUpdates(bug).at(-1)!.body.blocks)).toContain('Affects 3 people');
    // The pending warning stays, but nothing closes it: the bug is exempt.
    expect(await sweepAt('2026-11-30T12:00:00Z')).toEqual(NO_COUNTS);
    expect(t.slackApi.callsTo('chat.postMessage').map(textOf)).toEqual([]);
    expect((await reload(db, bug)).status).toBe('open');
  });
});
