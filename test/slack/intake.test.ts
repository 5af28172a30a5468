// Bug intake and conversation rows, driven the way Slack drives them: signed Events API deliveries into the
// running app, the Web API faked at its HTTP edge, assertions on stored rows and on the exact Slack calls.
import { describe, expect, it } from 'vitest';
import { BugConversation, BugEvent, BugReport, SlackNotice } from '../../src/db/entities/index.ts';
import { tsToDate } from '../../src/domain/slack-refs.ts';
import { useTestDatabase } from '../support/database.ts';
import { FAKE_BOT } from '../support/fake-slack-api.ts';
import { refuseRowsContaining } from '../support/refused-rows.ts';
import { sendEvent } from '../support/signed-requests.ts';
import {
  botMessage,
  channelJoin,
  classicBotMessage,
  fileShare,
  messageChanged,
  messageDeleted,
  threadBroadcast,
  threadReply,
  topLevelMessage,
} from '../support/slack-events.ts';
import { TEST_CHANNEL, TEST_USERS, useTestApp } from '../support/test-app.ts';
import { HOUR, slackTs } from '../support/test-clock.ts';

const db = useTestDatabase();
const t = useTestApp(db);

async function deliver(event: Record<string, unknown>, options: { eventId?: string; retryNum?: number } = {}) {
  const res = await sendEvent(t.baseUrl, event, options);
  expect(res.status).toBe(200);
  await t.settle();
}

async function reportBug(
  text = 'Checkout button does nothing\nSteps: click Pay. trace_id=abc123def456 release 9f8e7d6c',
) {
  const ts = slackTs(t.clock.now());
  await deliver(topLevelMessage({ user: TEST_USERS.reporter, ts, text }));
  const bug = await db.orm.em.fork().findOneOrFail(BugReport, { channelId: TEST_CHANNEL, threadTs: ts });
  return { ts, bug };
}

const rowsOf = (bugId: number) => db.orm.em.fork().find(BugConversation, { bugId }, { orderBy: { id: 'asc' } });

describe('a top-level message in a bug channel', () => {
  it('becomes a bug with a title, telemetry and the reporter, and gets a bug card in its thread', async () => {
    const { ts, bug } = await reportBug();

    expect(bug).toMatchObject({
      title: 'Checkout button does nothing',
      status: 'open',
      reporterId: TEST_USERS.reporter,
      traceId: 'abc123def456',
      releaseSha: '9f8e7d6c',
      ref: `BUG-${bug.id}`,
    });
    expect(bug.createdAt.toISOString()).toBe(tsToDate(ts).toISOString());
    expect(bug.description).toContain('Steps: click Pay');

    const posts = t.slackApi.callsTo('chat.postMessage');
    expect(posts).toHaveLength(1);
    expect(posts[0]!.body).toMatchObject({ channel: TEST_CHANNEL, thread_ts: ts });
    expect(String(posts[0]!.body.text)).toContain(bug.ref);
    const stored = await db.orm.em.fork().findOneOrFail(BugReport, bug.id);
    expect(stored.cardTs).toBeTruthy();

    const events = await db.orm.em.fork().find(BugEvent, { bugId: bug.id });
    expect(events.map((e) => e.eventType)).toEqual(['bug.created']);
  });

  it('is one bug however often Slack delivers it', async () => {
    const ts = slackTs(t.clock.now());
    const event = topLevelMessage({ user: TEST_USERS.reporter, ts, text: 'Search returns 500' });
    await deliver(event, { eventId: 'EvSAME1' });
    await deliver(event, { eventId: 'EvSAME1', retryNum: 1 });
    await deliver(event, { eventId: 'EvSAME1', retryNum: 2 });
    const bugs = await db.orm.em.fork().find(BugReport, { threadTs: ts });
    expect(bugs).toHaveLength(1);
    expect(t.slackApi.callsTo('chat.postMessage')).toHaveLength(1);
  });

  it('is not a bug when a bot posts it, when it is a join, or outside the bug channels', async () => {
    const before = await db.orm.em.fork().count(BugReport);
    await deliver(botMessage({ ts: slackTs(t.clock.now()), own: true, text: 'bugsweep itself' }));
    await deliver(botMessage({ ts: slackTs(t.clock.now()), text: 'another app' }));
    await deliver(classicBotMessage({ ts: slackTs(t.clock.now()) }));
    await deliver(channelJoin({ user: TEST_USERS.bystander, ts: slackTs(t.clock.now()) }));
    await deliver(topLevelMessage({ user: TEST_USERS.reporter, ts: slackTs(t.clock.now()), channel: 'CRANDOM' }));
    expect(await db.orm.em.fork().count(BugReport)).toBe(before);
    expect(t.slackApi.callsTo('chat.postMessage')).toHaveLength(0);
  });

  it('takes a file share with no text as a bug titled by the file', async () => {
    const ts = slackTs(t.clock.now());
    await deliver(fileShare({ user: TEST_USERS.reporter, ts, fileName: 'broken-layout.png' }));
    const bug = await db.orm.em.fork().findOneOrFail(BugReport, { threadTs: ts });
    expect(bug.title).toBe('broken-layout.png');
  });
});

describe('replies in a bug thread', () => {
  it('are stored once each with who said them', async () => {
    const { ts: threadTs, bug } = await reportBug('Login loops forever');
    t.slackApi.reset();
    const reply = (user: string, text: string) => ({ user, text, ts: slackTs(t.clock.now()), threadTs });
    await deliver(threadReply(reply(TEST_USERS.reporter, 'still broken')));
    await deliver(threadReply(reply(TEST_USERS.developer, 'looking')));
    await deliver(threadReply(reply(TEST_USERS.bystander, '+1 same here')));
    await deliver(botMessage({ ts: slackTs(t.clock.now()), threadTs, text: 'CI bot says hi' }));
    await deliver(botMessage({ ts: slackTs(t.clock.now()), threadTs, own: true, text: 'bugsweep card' }));
    await deliver(threadBroadcast(reply(TEST_USERS.developer, 'fixed on staging')));
    await deliver(fileShare({ ...reply(TEST_USERS.reporter, 'here is a screenshot'), fileName: 'shot.png' }));

    const rows = await rowsOf(bug.id);
    expect(rows.map((r) => [r.senderType, r.senderId])).toEqual([
      ['reporter', TEST_USERS.reporter], // the thread's first message
      ['reporter', TEST_USERS.reporter],
      ['developer', TEST_USERS.developer],
      ['other', TEST_USERS.bystander],
      ['bot', 'UOTHERAPP'],
      ['bot', FAKE_BOT.botUserId],
      ['developer', TEST_USERS.developer],
      ['reporter', TEST_USERS.reporter],
    ]);
    expect(rows.at(-1)!.metadata).toMatchObject({ subtype: 'file_share', files: ['shot.png'] });
    // Storing replies posts nothing.
    expect(t.slackApi.callsTo('chat.postMessage')).toHaveLength(0);
  });

  it('leave exactly one row when the same reply is delivered twice or retried', async () => {
    const { ts: threadTs, bug } = await reportBug('Avatar upload fails');
    const event = threadReply({ user: TEST_USERS.developer, ts: slackTs(t.clock.now()), threadTs, text: 'on it' });
    await deliver(event, { eventId: 'EvDUP1' });
    await deliver(event, { eventId: 'EvDUP2' });
    await deliver(event, { eventId: 'EvDUP1', retryNum: 1 });
    const rows = await rowsOf(bug.id);
    expect(rows.filter((r) => r.text === 'on it')).toHaveLength(1);
  });

  it('move the activity clock only for the reporter and developers', async () => {
    const created = t.clock.now();
    const { ts: threadTs, bug } = await reportBug('Export is slow');
    const later = new Date(created.getTime() + 5 * HOUR);
    await deliver(threadReply({ user: TEST_USERS.bystander, ts: slackTs(later), threadTs }));
    await deliver(botMessage({ ts: slackTs(later), threadTs }));
    let stored = await db.orm.em.fork().findOneOrFail(BugReport, bug.id);
    expect(stored.lastActivityAt.getTime()).toBe(bug.createdAt.getTime());

    const devTime = new Date(created.getTime() + 7 * HOUR);
    await deliver(threadReply({ user: TEST_USERS.developer, ts: slackTs(devTime), threadTs }));
    stored = await db.orm.em.fork().findOneOrFail(BugReport, bug.id);
    expect(Math.floor(stored.lastActivityAt.getTime() / 1000)).toBe(Math.floor(devTime.getTime() / 1000));
  });

  it('count the claimant as a developer', async () => {
    const { ts: threadTs, bug } = await reportBug('PDF export blank');
    await db.orm.em
      .fork()
      .nativeUpdate(
        BugReport,
        { id: bug.id },
        { status: 'in_progress', claimantId: TEST_USERS.bystander, claimedAt: t.clock.now() },
      );
    await deliver(
      threadReply({ user: TEST_USERS.bystander, ts: slackTs(t.clock.now()), threadTs, text: 'claimant here' }),
    );
    const rows = await rowsOf(bug.id);
    expect(rows.find((r) => r.text === 'claimant here')?.senderType).toBe('developer');
  });

  it('are ignored in threads that are not bug threads', async () => {
    const before = await db.orm.em.fork().count(BugConversation);
    await deliver(
      threadReply({ user: TEST_USERS.developer, ts: slackTs(t.clock.now()), threadTs: '1700000000.999999' }),
    );
    expect(await db.orm.em.fork().count(BugConversation)).toBe(before);
  });
});

describe('edits and deletions', () => {
  it('an edit updates the stored text and marks it edited, without counting as activity', async () => {
    const { ts: threadTs, bug } = await reportBug('Dark mode colours wrong');
    const replyAt = new Date(t.clock.now().getTime() + HOUR);
    const replyTs = slackTs(replyAt);
    await deliver(threadReply({ user: TEST_USERS.reporter, ts: replyTs, threadTs, text: 'it is the header' }));
    const activityBefore = (await db.orm.em.fork().findOneOrFail(BugReport, bug.id)).lastActivityAt;

    const editTs = slackTs(new Date(replyAt.getTime() + 10 * HOUR));
    const edit = messageChanged({
      ts: replyTs,
      threadTs,
      user: TEST_USERS.reporter,
      before: 'it is the header',
      after: 'it is the footer',
      editedAt: editTs,
    });
    await deliver(edit);
    await deliver(edit, { retryNum: 1 });

    const row = await db.orm.em.fork().findOneOrFail(BugConversation, { channelId: TEST_CHANNEL, slackTs: replyTs });
    expect(row.text).toBe('it is the footer');
    expect(row.editedAt?.toISOString()).toBe(tsToDate(editTs).toISOString());
    const stored = await db.orm.em.fork().findOneOrFail(BugReport, bug.id);
    expect(stored.lastActivityAt.toISOString()).toBe(activityBefore.toISOString());
  });

  it('editing the first message updates the bug description', async () => {
    const { ts, bug } = await reportBug('Typo in invoice');
    await deliver(
      messageChanged({
        ts,
        user: TEST_USERS.reporter,
        before: 'Typo in invoice',
        after: 'Typo in invoice footer: "Totl"',
        editedAt: slackTs(t.clock.now()),
      }),
    );
    const stored = await db.orm.em.fork().findOneOrFail(BugReport, bug.id);
    expect(stored.description).toBe('Typo in invoice footer: "Totl"');
  });

  it('a deleted message is marked deleted and no longer counts as activity', async () => {
    const { ts: threadTs, bug } = await reportBug('Notifications arrive twice');
    const replyTs = slackTs(new Date(t.clock.now().getTime() + 3 * HOUR));
    await deliver(threadReply({ user: TEST_USERS.reporter, ts: replyTs, threadTs, text: 'any update?' }));
    expect((await db.orm.em.fork().findOneOrFail(BugReport, bug.id)).lastActivityAt.getTime()).toBeGreaterThan(
      bug.createdAt.getTime(),
    );

    await deliver(messageDeleted({ ts: replyTs, user: TEST_USERS.reporter, deletedAt: slackTs(t.clock.now()) }));
    const row = await db.orm.em.fork().findOneOrFail(BugConversation, { channelId: TEST_CHANNEL, slackTs: replyTs });
    expect(row.deletedAt).toBeTruthy();
    const stored = await db.orm.em.fork().findOneOrFail(BugReport, bug.id);
    expect(stored.lastActivityAt.toISOString()).toBe(bug.createdAt.toISOString());
  });
});

describe('a failing handler', () => {
  it('is logged, leaves nothing half-written, and the app keeps serving', async () => {
    const { ts: threadTs, bug } = await reportBug('Handler failure test');
    // The database refusing the reply's row makes the transaction fail part-way.
    const undo = await refuseRowsContaining(db, 'bug_conversations', 'text', 'refused by the database');
    try {
      // Not stored, so not acknowledged: Slack is told to deliver it again (issue 12).
      const res = await sendEvent(
        t.baseUrl,
        threadReply({
          user: TEST_USERS.reporter,
          ts: slackTs(t.clock.now()),
          threadTs,
          text: 'refused by the database',
        }),
        { eventId: 'EvBROKEN1' },
      );
      expect(res.status).toBe(500);
      await t.settle();
    } finally {
      await undo();
    }
    const rows = await rowsOf(bug.id);
    expect(rows).toHaveLength(1);
    expect(await db.orm.em.fork().count(SlackNotice, { bugId: bug.id, purpose: 'thread_notice' })).toBe(0);
    expect(t.logs).toContainEqual(
      expect.objectContaining({ msg: 'handling a message event failed', bugId: bug.id, eventId: 'EvBROKEN1' }),
    );
    const health = await fetch(`${t.baseUrl}/healthz`);
    expect(health.status).toBe(200);
    await deliver(threadReply({ user: TEST_USERS.reporter, ts: slackTs(t.clock.now()), threadTs, text: 'fine now' }));
    expect(await rowsOf(bug.id)).toHaveLength(2);
  });
});
