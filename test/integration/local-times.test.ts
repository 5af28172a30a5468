// Local times through the real app (issue 16): every time a thread notice states is a Slack date token, so each
// reader sees it in their own zone and clock format; the fallback keeps the wording in SWEEP_TIMEZONE.
import { beforeEach, describe, expect, it } from 'vitest';
import { BugReport } from '../../src/db/entities/index.ts';
import { slackMoment } from '../../src/messages/date-token.ts';
import { useTestDatabase } from '../support/database.ts';
import { sendEvent } from '../support/signed-requests.ts';
import { threadReply, topLevelMessage } from '../support/slack-events.ts';
import { NO_COUNTS, resetSweepWorld, textOf, timelineFor } from '../support/sweep-support.ts';
import { TEST_USERS, useTestApp } from '../support/test-app.ts';
import { START, slackTs } from '../support/test-clock.ts';

const { reporter } = TEST_USERS;
const db = useTestDatabase();
const t = useTestApp(db, { SWEEP_TIMEZONE: 'Europe/Berlin' });
beforeEach(() => resetSweepWorld(db, t));

async function deliver(event: Record<string, unknown>) {
  expect((await sendEvent(t.baseUrl, event)).status).toBe(200);
  await t.settle();
}

const { sweepAt } = timelineFor(db, t);

describe('local times', () => {
  it('the warning, its withdrawal and the close notice state their times as date tokens with today’s fallback', async () => {
    const ts = slackTs(START);
    await deliver(topLevelMessage({ user: reporter, ts, text: 'Totals are off by one cent' }));
    const bug = await db.orm.em.fork().findOneOrFail(BugReport, { threadTs: ts });
    t.slackApi.reset();

    expect(await sweepAt('2026-11-28T10:00:00Z')).toEqual({ ...NO_COUNTS, warned: 1 });
    const warning = textOf(t.slackApi.callsTo('chat.postMessage')[0]!);
    const zone = 'Europe/Berlin';
    expect(warning).toContain(`has been quiet since ${slackMoment(START, zone)}`);
    expect(warning).toContain(`It will be closed on *${slackMoment(new Date('2026-11-29T10:00:00Z'), zone)}*`);
    expect(warning).toContain('|Tue 24 Nov, 10:00 CET>');
    t.slackApi.reset();

    t.clock.set('2026-11-28T11:00:00Z');
    await deliver(threadReply({ user: reporter, ts: slackTs(t.clock.now()), threadTs: bug.threadTs }));
    const edit = textOf(t.slackApi.callsTo('chat.update').find((call) => textOf(call).includes('No longer applies'))!);
    expect(edit).toContain(`replied on ${slackMoment(new Date('2026-11-28T11:00:00Z'), zone)}`);
  });
});
