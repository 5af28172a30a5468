// Developers and admins keep a bug away from the agents' work queue with `/bugs automation off <ref>` (or the card's
// No agents button), and hand it back with `on`; others are told no and nothing changes.
import { describe, expect, it } from 'vitest';
import { BugEvent, BugReport } from '../../src/db/entities/index.ts';
import { ACTIONS } from '../../src/messages/ids.ts';
import { useTestDatabase } from '../support/database.ts';
import { createBug } from '../support/factories.ts';
import { buttonPress } from '../support/interaction-payloads.ts';
import { sendInteraction, sendSlashCommand } from '../support/signed-requests.ts';
import { TEST_USERS, useTestApp } from '../support/test-app.ts';

const db = useTestDatabase();
const t = useTestApp(db);

const optedOut = async (id: number) => (await db.orm.em.fork().findOneOrFail(BugReport, { id })).automationOptOut;

describe('/bugs automation', () => {
  it('turns agents off and on for developers, refuses bystanders, and explains bad usage', async () => {
    const bug = await createBug(db.orm.em.fork());
    const run = async (userId: string, text: string) => {
      const res = await sendSlashCommand(t.baseUrl, { userId, text });
      await t.settle();
      return res.json() as { text: string };
    };
    expect((await run(TEST_USERS.bystander, `automation off ${bug.ref}`)).text).toContain('Only developers and admins');
    expect(await optedOut(bug.id)).toBe(false);

    expect((await run(TEST_USERS.developer, `automation off ${bug.ref}`)).text).toContain('leave');
    expect(await optedOut(bug.id)).toBe(true);
    expect((await run(TEST_USERS.developer, `automation off ${bug.ref}`)).text).toContain('already');
    const event = await db.orm.em
      .fork()
      .findOneOrFail(BugEvent, { bugId: bug.id, eventType: 'bug.automation_changed' });
    expect(event).toMatchObject({ actorId: TEST_USERS.developer, metadata: { automation: 'off' } });

    expect((await run(TEST_USERS.admin, `automation on ${bug.ref}`)).text).toContain('again');
    expect(await optedOut(bug.id)).toBe(false);
    expect((await run(TEST_USERS.developer, 'automation maybe')).text).toContain('/bugs automation off <ref>');
  });

  it("the card's No agents button does the same for a developer", async () => {
    const bug = await createBug(db.orm.em.fork());
    const res = await sendInteraction(
      t.baseUrl,
      buttonPress({
        userId: TEST_USERS.developer,
        actionId: ACTIONS.automationOff,
        value: String(bug.id),
        channelId: bug.channelId,
        messageTs: bug.threadTs,
        threadTs: bug.threadTs,
      }),
    );
    expect(res.status).toBe(200);
    await t.settle();
    expect(await optedOut(bug.id)).toBe(true);
  });
});
