// BUSINESS_HOURS through the real app (issue 16): the sweep's clocks count only business time, and the time a
// warning states is exactly when the bug closes. Mon-Fri 09:00-17:00 in Berlin; AUTO_CLOSE_AFTER=2d (16 business
// hours), AUTO_CLOSE_WARNING=1d (8); the sweep is hourly in UTC, and notices state times in UTC.
import { beforeEach, describe, expect, it } from 'vitest';
import type { BugReport } from '../../src/db/entities/index.ts';
import { useTestDatabase } from '../support/database.ts';
import { threadReply } from '../support/slack-events.ts';
import {
  adminSweep,
  createReplica,
  eventsOf,
  fallbackTextOf,
  NO_COUNTS,
  ran,
  reload,
  resetSweepWorld,
  timelineFor,
} from '../support/sweep-support.ts';
import { TEST_USERS, useTestApp } from '../support/test-app.ts';
import { HOUR, slackTs } from '../support/test-clock.ts';

const { developer } = TEST_USERS;
const HOURS = {
  BUSINESS_HOURS: 'Mon-Fri 09:00-17:00',
  BUSINESS_TIMEZONE: 'Europe/Berlin',
  AUTO_CLOSE_AFTER: '2d',
  AUTO_CLOSE_WARNING: '1d',
};

const db = useTestDatabase();
const t = useTestApp(db, HOURS);
beforeEach(() => resetSweepWorld(db, t));

const timeline = timelineFor(db, t);
const { deliver, newBug } = timeline;

/** A bug reported at `moment`. */
async function bugAt(moment: string): Promise<BugReport> {
  t.clock.set(moment);
  return newBug('Export button does nothing');
}

async function sweepAt(moment: string, ctx = t.bugsweep.ctx) {
  t.clock.set(moment);
  const result = ran(await adminSweep(ctx));
  await ctx.notifier.drain();
  await t.settle();
  return result.counts;
}

const posted = () => t.slackApi.callsTo('chat.postMessage').map(fallbackTextOf);

describe('BUSINESS_HOURS', () => {
  it('Friday evening silence does not close a bug on Monday morning; it closes exactly when the warning said', async () => {
    const bug = await bugAt('2026-11-27T15:00:00Z'); // Fri 16:00 in Berlin, an hour before closing
    // Over the weekend and Monday morning the clock stands still: 65 real hours, 1 business hour.
    for (const moment of ['2026-11-28T12:00:00Z', '2026-11-30T08:00:00Z', '2026-11-30T15:00:00Z']) {
      expect(await sweepAt(moment)).toEqual(NO_COUNTS);
    }
    expect(t.slackApi.calls).toEqual([]);

    // Monday 17:00 Berlin: 9 business hours, past 2d − 1d. The close time: Tuesday at closing, 8 business hours on.
    expect(await sweepAt('2026-11-30T16:00:00Z')).toEqual({ ...NO_COUNTS, warned: 1 });
    expect(posted()[0]).toContain('It will be closed on *Tue 1 Dec, 16:00 UTC* unless someone replies here');
    expect((await reload(db, bug)).autoCloseAt?.toISOString()).toBe('2026-12-01T16:00:00.000Z');

    expect(await sweepAt('2026-12-01T15:00:00Z')).toEqual(NO_COUNTS);
    expect(await sweepAt('2026-12-01T16:00:00Z')).toEqual({ ...NO_COUNTS, closed: 1 });
    expect(await reload(db, bug)).toMatchObject({ status: 'closed', closeReason: 'inactivity' });
  });

  it('a claim released on business time records its idle time in business time, as bug.auto_closed does', async () => {
    // Long inactivity clocks, so only the claim clock acts: CLAIM_RELEASE_AFTER 7d is 56 business hours.
    const claims = await createReplica(t, db, {
      env: { ...HOURS, AUTO_CLOSE_AFTER: '20d', AUTO_CLOSE_WARNING: '1d' },
      clock: t.clock,
    });
    try {
      const bug = await bugAt('2026-11-24T09:00:00Z'); // Tue 10:00 in Berlin
      await timeline.command(developer, `claim ${bug.ref}`);
      expect(await sweepAt('2026-12-01T10:00:00Z', claims.ctx)).toEqual({ ...NO_COUNTS, reminded: 1 });
      expect(await sweepAt('2026-12-03T10:00:00Z', claims.ctx)).toEqual({ ...NO_COUNTS, released: 1 });
      const released = (await eventsOf(db, bug)).find((event) => event.eventType === 'claim.timeout_released');
      // Tue 10:00-17:00, six whole business days, Thu 09:00-11:00 in Berlin: 57 business hours (9 days of real time).
      expect(released?.metadata).toMatchObject({ idleMs: 57 * HOUR, thresholdMs: 56 * HOUR });
    } finally {
      await claims.close();
    }
  });

  it('a reply on Saturday starts the clock at the opening on Monday; a holiday is not counted', async () => {
    const bug = await bugAt('2026-11-26T10:00:00Z'); // Thu 11:00 Berlin
    t.clock.set('2026-11-28T11:00:00Z');
    await deliver(threadReply({ user: developer, ts: slackTs(t.clock.now()), threadTs: bug.threadTs }));
    // Saturday's reply: the clock starts on Monday at opening; by Monday's closing exactly 8 business hours.
    expect(await sweepAt('2026-11-30T15:00:00Z')).toEqual(NO_COUNTS);

    const holiday = await createReplica(t, db, { env: { ...HOURS, HOLIDAYS: '2026-12-01' }, clock: t.clock });
    try {
      // Tuesday is a holiday: nothing until Wednesday, 09:00 Berlin, when 8 hours are just past.
      for (const moment of ['2026-11-30T16:00:00Z', '2026-12-01T12:00:00Z', '2026-12-02T08:00:00Z']) {
        expect(await sweepAt(moment, holiday.ctx)).toEqual(NO_COUNTS);
      }
      expect(await sweepAt('2026-12-02T09:00:00Z', holiday.ctx)).toEqual({ ...NO_COUNTS, warned: 1 });
      // 8 business hours of warning from Wednesday 10:00 Berlin: Thursday 10:00 Berlin.
      expect((await reload(db, bug)).autoCloseAt?.toISOString()).toBe('2026-12-03T09:00:00.000Z');
      expect(await sweepAt('2026-12-03T08:00:00Z', holiday.ctx)).toEqual(NO_COUNTS);
      expect(await sweepAt('2026-12-03T09:00:00Z', holiday.ctx)).toEqual({ ...NO_COUNTS, closed: 1 });
    } finally {
      await holiday.close();
    }
  });
});
