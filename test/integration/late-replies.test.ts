// Late replies through the real app (issue 16): a reporter's or developer's reply in the thread of a bug closed longer
// ago than REOPEN_WITHIN is answered once, privately, with "Open a follow-up"; pressing it (twice) files one
// follow-up in the same channel as a new thread, prefilled with the reply and linked on both cards.
import { beforeEach, describe, expect, it } from 'vitest';
import { BugReport } from '../../src/db/entities/index.ts';
import { ACTIONS } from '../../src/messages/ids.ts';
import { useTestDatabase } from '../support/database.ts';
import { buttonPress } from '../support/interaction-payloads.ts';
import { sendEvent, sendInteraction } from '../support/signed-requests.ts';
import { threadReply, topLevelMessage } from '../support/slack-events.ts';
import { reload, resetSweepWorld, textOf } from '../support/sweep-support.ts';
import { TEST_CHANNEL, TEST_USERS, useTestApp } from '../support/test-app.ts';
import { DAY, plus, START, slackTs } from '../support/test-clock.ts';

const { reporter, developer, bystander } = TEST_USERS;

const db = useTestDatabase();
const t = useTestApp(db);
beforeEach(() => resetSweepWorld(db, t));

async function deliver(event: Record<string, unknown>) {
  const res = await sendEvent(t.baseUrl, event);
  expect(res.status).toBe(200);
  await t.settle();
}

/** A bug reported at START and closed by hand a day later. */
async function closedBug(): Promise<BugReport> {
  const ts = slackTs(START);
  await deliver(topLevelMessage({ user: reporter, ts, text: 'Invoices show the wrong VAT' }));
  const em = db.orm.em.fork();
  const bug = await em.findOneOrFail(BugReport, { threadTs: ts });
  await em.nativeUpdate(
    BugReport,
    { id: bug.id },
    { status: 'closed', closeReason: 'manual', closedAt: plus(START, DAY) },
  );
  t.slackApi.reset();
  return reload(db, bug);
}

async function replyAt(moment: Date, user: string, bug: BugReport, text: string): Promise<string> {
  t.clock.set(moment);
  const ts = slackTs(moment);
  await deliver(threadReply({ user, ts, threadTs: bug.threadTs, text }));
  return ts;
}

const ephemerals = () => t.slackApi.callsTo('chat.postEphemeral');
const followUpButton = (call: { body: Record<string, unknown> }) =>
  (call.body.blocks as { type: string; elements?: { action_id: string; value: string }[] }[])
    .flatMap((block) => block.elements ?? [])
    .find((element) => element.action_id === ACTIONS.openFollowUp);

describe('a late reply', () => {
  it('within REOPEN_WITHIN of a manual close, or from a bystander, is answered by nothing', async () => {
    const bug = await closedBug();
    await replyAt(plus(START, 10 * DAY), reporter, bug, 'still broken');
    await replyAt(plus(START, 20 * DAY), bystander, bug, 'me too');
    expect(ephemerals()).toEqual([]);
  });

  it('is offered a follow-up once per person; pressing twice files one follow-up, linked on both cards', async () => {
    const bug = await closedBug();
    const late = plus(START, 16 * DAY); // closed on day 1; REOPEN_WITHIN is 14d
    const replyTs = await replyAt(late, reporter, bug, 'Still wrong on the December invoices');
    await replyAt(plus(late, 60_000), reporter, bug, 'any news?');
    const offers = ephemerals();
    expect(offers).toHaveLength(1);
    expect(offers[0]!.body).toMatchObject({ channel: TEST_CHANNEL, user: reporter, thread_ts: bug.threadTs });
    expect(textOf(offers[0]!)).toContain(`*${bug.ref}* was closed a while ago`);
    expect(followUpButton(offers[0]!)).toMatchObject({ value: `${bug.id}:${replyTs}` });
    expect(await reload(db, bug)).toMatchObject({ status: 'closed' });
    // A developer replying late is offered one too.
    await replyAt(plus(late, 120_000), developer, bug, 'hm');
    expect(ephemerals().map((call) => call.body.user)).toEqual([reporter, developer]);
    t.slackApi.reset();

    const press = () =>
      sendInteraction(
        t.baseUrl,
        buttonPress({
          userId: reporter,
          actionId: ACTIONS.openFollowUp,
          value: `${bug.id}:${replyTs}`,
          channelId: TEST_CHANNEL,
          messageTs: replyTs,
          threadTs: bug.threadTs,
        }),
      );
    const [first, second] = await Promise.all([press(), press()]);
    expect([first.status, second.status]).toEqual([200, 200]);
    await t.settle();

    const followUps = await db.orm.em.fork().find(BugReport, { followUpOf: bug.id });
    expect(followUps).toHaveLength(1);
    const followUp = followUps[0]!;
    expect(followUp).toMatchObject({ channelId: TEST_CHANNEL, reporterId: reporter, status: 'open' });
    expect(followUp.title).toBe(`Follow-up of ${bug.ref}: Still wrong on the December invoices`);
    expect(followUp.description).toContain('Still wrong on the December invoices');
    // One new thread in the same channel (the report post), and its card.
    const roots = t.slackApi.callsTo('chat.postMessage').filter((call) => !call.body.thread_ts);
    expect(roots).toHaveLength(1);
    expect(roots[0]!.body.channel).toBe(TEST_CHANNEL);
    const cards = [...t.slackApi.callsTo('chat.postMessage'), ...t.slackApi.callsTo('chat.update')].map((call) =>
      JSON.stringify(call.body.blocks),
    );
    expect(cards.some((blocks) => blocks.includes(`Follow-up of *${bug.ref}*`))).toBe(true);
    expect(cards.some((blocks) => blocks.includes(`Followed up in *${followUp.ref}*`))).toBe(true);
    // Each press is answered privately: one filed, one pointing at it.
    const answers = ephemerals().map(textOf).sort();
    expect(answers).toHaveLength(2);
    expect(answers.join('\n')).toContain(`Filed *${followUp.ref}* as a follow-up of *${bug.ref}*`);
    expect(answers.join('\n')).toContain(`*${bug.ref}* already has a follow-up: *${followUp.ref}*`);
  });
});
