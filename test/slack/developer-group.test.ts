// With DEVELOPER_USERGROUP, developers are whoever Slack says is in the group. When Slack cannot say (an outage
// at start-up), replies are stored as best known and looked at again once the group loads: a developer's reply
// is never lost as "other". Slack's Web API is intercepted by nock.
import { describe, expect, it } from 'vitest';
import { BugConversation, BugReport } from '../../src/db/entities/index.ts';
import { useTestDatabase } from '../support/database.ts';
import { sendEvent } from '../support/signed-requests.ts';
import { threadReply, topLevelMessage } from '../support/slack-events.ts';
import { TEST_CHANNEL, TEST_USERS, useTestApp } from '../support/test-app.ts';
import { HOUR, slackTs } from '../support/test-clock.ts';

const db = useTestDatabase();
const t = useTestApp(
  db,
  { DEVELOPER_USERGROUP: 'S0DEVS' },
  { developers: { refreshMs: 600_000, retryMs: 60_000 }, slackApi: 'nock' },
);
const GROUP_MEMBER = 'UGROUPDEV';

describe('developers from the user group', () => {
  it('counts a group member as a developer; a reply stored during a Slack outage is recounted once the group loads', async () => {
    t.slackApi.enqueue('usergroups.users.list', { status: 500, body: { ok: false, error: 'internal_error' } });
    const rootTs = slackTs(t.clock.now());
    await sendEvent(t.baseUrl, topLevelMessage({ user: TEST_USERS.reporter, ts: rootTs, text: 'Search is empty' }));
    await t.settle();
    const bug = await db.orm.em.fork().findOneOrFail(BugReport, { channelId: TEST_CHANNEL, threadTs: rootTs });

    const replyAt = new Date(t.clock.now().getTime() + 2 * HOUR);
    const replyTs = slackTs(replyAt);
    await sendEvent(
      t.baseUrl,
      threadReply({ user: GROUP_MEMBER, ts: replyTs, threadTs: rootTs, text: 'looking into it' }),
    );
    await t.settle();
    let row = await db.orm.em.fork().findOneOrFail(BugConversation, { channelId: TEST_CHANNEL, slackTs: replyTs });
    expect(row.senderType).toBe('other');
    expect(row.metadata).toMatchObject({ developersUnknown: true });
    expect((await db.orm.em.fork().findOneOrFail(BugReport, bug.id)).lastActivityAt.toISOString()).toBe(
      bug.createdAt.toISOString(),
    );

    // Slack is back: the next reply after the retry period loads the group, and the earlier reply is recounted.
    t.slackApi.on('usergroups.users.list', { status: 200, body: { ok: true, users: [GROUP_MEMBER] } });
    t.clock.advance(61_000);
    await sendEvent(
      t.baseUrl,
      threadReply({ user: TEST_USERS.bystander, ts: slackTs(t.clock.now()), threadTs: rootTs, text: '+1' }),
    );
    await t.settle();

    row = await db.orm.em.fork().findOneOrFail(BugConversation, { channelId: TEST_CHANNEL, slackTs: replyTs });
    expect(row.senderType).toBe('developer');
    expect(row.metadata).not.toHaveProperty('developersUnknown');
    const stored = await db.orm.em.fork().findOneOrFail(BugReport, bug.id);
    expect(Math.floor(stored.lastActivityAt.getTime() / 1000)).toBe(Math.floor(replyAt.getTime() / 1000));
    const bystanderRow = await db.orm.em.fork().findOneOrFail(BugConversation, { channelId: TEST_CHANNEL, text: '+1' });
    expect(bystanderRow.senderType).toBe('other');
    expect(bystanderRow.metadata).not.toHaveProperty('developersUnknown');

    // And from now on a group member's reply is a developer's right away.
    const laterTs = slackTs(t.clock.now());
    await sendEvent(t.baseUrl, threadReply({ user: GROUP_MEMBER, ts: laterTs, threadTs: rootTs, text: 'fix is out' }));
    await t.settle();
    expect(
      (await db.orm.em.fork().findOneOrFail(BugConversation, { channelId: TEST_CHANNEL, slackTs: laterTs })).senderType,
    ).toBe('developer');
  });
});
