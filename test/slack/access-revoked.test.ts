// When the workspace uninstalls bugsweep or revokes its bot token, every further Slack call would fail: bugsweep
// says so once, clearly, and stops calling Slack, keeping what it would have sent.
import { describe, expect, it } from 'vitest';
import { SlackNotice } from '../../src/db/entities/index.ts';
import { useTestDatabase } from '../support/database.ts';
import { FAKE_BOT } from '../support/fake-slack-api.ts';
import { sendEvent } from '../support/signed-requests.ts';
import { topLevelMessage } from '../support/slack-events.ts';
import { TEST_USERS, useTestApp } from '../support/test-app.ts';
import { slackTs } from '../support/test-clock.ts';

describe('tokens_revoked for someone else', () => {
  const db = useTestDatabase();
  const t = useTestApp(db);

  it('is acknowledged and changes nothing', async () => {
    const res = await sendEvent(t.baseUrl, { type: 'tokens_revoked', tokens: { oauth: ['UOTHER'], bot: [] } });
    expect(res.status).toBe(200);
    await sendEvent(
      t.baseUrl,
      topLevelMessage({ user: TEST_USERS.reporter, ts: slackTs(t.clock.now()), text: 'Still works' }),
    );
    await t.settle();
    expect(t.slackApi.callsTo('chat.postMessage')).toHaveLength(1);
  });
});

describe.each([
  ['app_uninstalled', { type: 'app_uninstalled' }, 'uninstalled bugsweep'],
  ['tokens_revoked for the bot', { type: 'tokens_revoked', tokens: { bot: [FAKE_BOT.botUserId] } }, 'revoked'],
])('%s', (_name, event, words) => {
  const db = useTestDatabase();
  const t = useTestApp(db);

  it('is acknowledged, logged clearly, and Slack is called no more while the notices are kept', async () => {
    const res = await sendEvent(t.baseUrl, event);
    expect(res.status).toBe(200);
    await t.idle();
    expect(t.logs).toContainEqual(
      expect.objectContaining({ level: 50, msg: expect.stringContaining(words) as unknown as string }),
    );
    t.slackApi.reset();
    await sendEvent(
      t.baseUrl,
      topLevelMessage({ user: TEST_USERS.reporter, ts: slackTs(t.clock.now()), text: 'Crash' }),
    );
    await t.settle();
    expect(t.slackApi.calls).toEqual([]);
    expect(await db.orm.em.fork().count(SlackNotice, { sentAt: null })).toBeGreaterThan(0);
  });
});
