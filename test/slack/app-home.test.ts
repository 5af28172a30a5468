// App Home: opening the Home tab publishes the person's claims, open reports and the unclaimed queue.
import { describe, expect, it } from 'vitest';
import { ACTIONS, VIEWS } from '../../src/messages/ids.ts';
import { useTestDatabase } from '../support/database.ts';
import { createBug } from '../support/factories.ts';
import { buttonPress } from '../support/interaction-payloads.ts';
import { sendEvent, sendInteraction } from '../support/signed-requests.ts';
import { TEST_USERS, useTestApp } from '../support/test-app.ts';

const db = useTestDatabase();
const t = useTestApp(db);

const homeOpened = (user: string, tab = 'home') => ({
  type: 'app_home_opened',
  user,
  channel: 'D0HOME',
  tab,
  event_ts: '1764000000.000100',
});

describe('App Home', () => {
  it('shows my claims, my open reports and the bugs waiting for someone', async () => {
    const now = t.clock.now();
    const mine = await createBug(db.orm.em.fork(), {
      title: 'Held by the developer',
      status: 'in_progress',
      claimantId: TEST_USERS.developer,
      claimedAt: now,
    });
    const reported = await createBug(db.orm.em.fork(), {
      title: 'Reported by the developer',
      reporterId: TEST_USERS.developer,
    });
    const waiting = await createBug(db.orm.em.fork(), { title: 'Nobody has this' });
    const done = await createBug(db.orm.em.fork(), {
      title: 'Long fixed',
      status: 'resolved',
      reporterId: TEST_USERS.developer,
    });

    await sendEvent(t.baseUrl, homeOpened(TEST_USERS.developer));
    await t.settle();
    const published = t.slackApi.callsTo('views.publish');
    expect(published).toHaveLength(1);
    expect(published[0]!.body.user_id).toBe(TEST_USERS.developer);
    const view = JSON.stringify(published[0]!.body.view);
    for (const bug of [mine, reported, waiting]) expect(view).toContain(bug.ref);
    expect(view).not.toContain(done.ref);
    expect(view).toContain(`"type":"home"`);
  });

  it('ignores the Messages tab, and its Report a bug button opens the report form', async () => {
    await sendEvent(t.baseUrl, homeOpened(TEST_USERS.developer, 'messages'));
    await t.settle();
    expect(t.slackApi.callsTo('views.publish')).toHaveLength(0);

    await sendInteraction(t.baseUrl, {
      ...buttonPress({
        userId: TEST_USERS.reporter,
        actionId: ACTIONS.homeReport,
        value: '',
        channelId: 'D0HOME',
        messageTs: '1',
      }),
      container: { type: 'view', view_id: 'VHOME' },
    });
    await t.settle();
    const opened = t.slackApi.callsTo('views.open');
    expect(opened).toHaveLength(1);
    expect((opened[0]!.body.view as { callback_id: string }).callback_id).toBe(VIEWS.reportBug);
  });
});
