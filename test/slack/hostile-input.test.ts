// Input that Slack would never send, delivered the way an attacker with a valid signature (or a broken proxy)
// could: malformed ids are dropped with a warning and a 200 and write nothing; text carrying NUL characters,
// which PostgreSQL cannot store, is stored with U+FFFD in their place instead of being acked and lost.
import { describe, expect, it } from 'vitest';
import { BugConversation, BugReport } from '../../src/db/entities/index.ts';
import { useTestDatabase } from '../support/database.ts';
import { reportFormValues, viewSubmission } from '../support/interaction-payloads.ts';
import { sendEvent, sendInteraction } from '../support/signed-requests.ts';
import { messageChanged, threadReply, topLevelMessage, tsAt } from '../support/slack-events.ts';
import { TEST_CHANNEL, TEST_USERS, useTestApp } from '../support/test-app.ts';

const db = useTestDatabase();
const t = useTestApp(db);

const HOSTILE_USERS: unknown[] = [
  '1.5',
  '12345',
  true,
  {},
  ['U0REPORTER1'],
  `U${'A'.repeat(99_999)}`,
  'x'.repeat(100_000),
  "'; drop table bug_reports;--",
  1.5,
  12345,
];

async function deliver(event: Record<string, unknown>) {
  const res = await sendEvent(t.baseUrl, event);
  expect(res.status).toBe(200);
  await t.settle();
}

const count = async () => {
  const em = db.orm.em.fork();
  return { bugs: await em.count(BugReport, {}), rows: await em.count(BugConversation, {}) };
};

const dropWarnings = () => t.logs.filter((line) => line.msg === 'message event dropped: it is not what Slack sends');

describe('malformed Slack ids', () => {
  it.each(HOSTILE_USERS.map((user) => [JSON.stringify(user).slice(0, 40), user]))(
    'a top-level message whose user is %s is dropped with a warning, writing nothing',
    async (_name, user) => {
      const before = await count();
      const warnings = dropWarnings().length;
      await deliver({ ...topLevelMessage({ user: TEST_USERS.reporter, ts: tsAt(t.clock.now()) }), user });
      expect(await count()).toEqual(before);
      expect(dropWarnings()).toHaveLength(warnings + 1);
      expect(t.slackApi.callsTo('chat.postMessage')).toEqual([]);
    },
  );

  it('a reply in a bug thread with a malformed user, channel, ts or thread_ts is dropped, writing nothing', async () => {
    const root = tsAt(t.clock.now());
    await deliver(topLevelMessage({ user: TEST_USERS.reporter, ts: root, text: 'Checkout is broken' }));
    const before = await count();
    expect(before.bugs).toBeGreaterThan(0);
    const reply = () => threadReply({ user: TEST_USERS.developer, ts: tsAt(t.clock.now()), threadTs: root });
    const warnings = dropWarnings().length;
    await deliver({ ...reply(), user: "'; drop table bug_conversations;--" });
    await deliver({ ...reply(), user: ['U0REPORTER1'] });
    await deliver({ ...reply(), channel: `${TEST_CHANNEL}'; --` });
    await deliver({ ...reply(), ts: '1.5e9' });
    await deliver({ ...reply(), thread_ts: { ts: root } });
    await deliver({ ...reply(), bot_id: 42 });
    await deliver({ ...reply(), text: { blocks: [] } });
    expect(await count()).toEqual(before);
    expect(dropWarnings()).toHaveLength(warnings + 7);
  });

  it('keeps the offending value out of the log line', async () => {
    const marker = 'Z'.repeat(5_000);
    await deliver({ ...topLevelMessage({ user: TEST_USERS.reporter, ts: tsAt(t.clock.now()) }), user: marker });
    expect(JSON.stringify(t.logs)).not.toContain(marker);
  });
});

describe('NUL characters', () => {
  it('a report and a reply with NUL characters are stored, with U+FFFD in their place', async () => {
    const root = tsAt(t.clock.now());
    await deliver(topLevelMessage({ user: TEST_USERS.reporter, ts: root, text: 'Export\u0000 fails\nsee \u0000 log' }));
    const bug = await db.orm.em.fork().findOneOrFail(BugReport, { channelId: TEST_CHANNEL, threadTs: root });
    expect(bug.title).toBe('Export\uFFFD fails');
    expect(bug.description).toBe('Export\uFFFD fails\nsee \uFFFD log');

    const replyTs = tsAt(t.clock.now());
    await deliver(
      threadReply({ user: TEST_USERS.developer, ts: replyTs, threadTs: root, text: 'looking\u0000 into it' }),
    );
    const reply = await db.orm.em.fork().findOneOrFail(BugConversation, { channelId: TEST_CHANNEL, slackTs: replyTs });
    expect(reply.text).toBe('looking\uFFFD into it');
    expect(reply.senderType).toBe('developer');

    await deliver(
      messageChanged({
        ts: replyTs,
        threadTs: root,
        user: TEST_USERS.developer,
        before: 'looking\u0000 into it',
        after: 'fixed\u0000 on staging',
        editedAt: tsAt(t.clock.now()),
      }),
    );
    const edited = await db.orm.em.fork().findOneOrFail(BugConversation, { channelId: TEST_CHANNEL, slackTs: replyTs });
    expect(edited.text).toBe('fixed\uFFFD on staging');
  });

  it('a report modal with NUL characters in its fields is filed, with U+FFFD in their place', async () => {
    const res = await sendInteraction(
      t.baseUrl,
      viewSubmission({
        userId: TEST_USERS.reporter,
        values: reportFormValues({
          title: 'Login\u0000 loops',
          description: 'After SSO\u0000 it loops',
          severity: 'high',
        }),
      }),
    );
    expect(res.status).toBe(200);
    expect((res.json() as { response_action: string }).response_action).toBe('update');
    await t.settle();
    const bug = await db.orm.em.fork().findOneOrFail(BugReport, { title: 'Login\uFFFD loops' });
    expect(bug.description).toBe('After SSO\uFFFD it loops');
  });
});
