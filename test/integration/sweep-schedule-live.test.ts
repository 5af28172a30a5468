// The scheduler for real (issue 11): the app started with its croner schedule running, at a one-second slot, and a
// sweep happens without being called. The bug's clock is the test clock; only croner's tick is real time.
import { describe, expect, it, vi } from 'vitest';
import { BugReport, SweepRun } from '../../src/db/entities/index.ts';
import { setSweepSchedule } from '../../src/services/sweep/sweep-schedule.ts';
import { useTestDatabase } from '../support/database.ts';
import { createBug } from '../support/factories.ts';
import { TEST_USERS, useTestApp } from '../support/test-app.ts';
import { DAY, HOUR, START } from '../support/test-clock.ts';

const db = useTestDatabase();
const t = useTestApp(db, { SWEEP_SCHEDULE: '* * * * * *' }, { runSchedule: true });

describe('the sweep on its croner schedule', () => {
  it('runs by itself at the next one-second slot and warns the bug that is due, each slot once', async () => {
    expect(t.bugsweep.scheduler.schedule()).toEqual({ schedule: '* * * * * *', timezone: 'UTC' });
    const bug = await createBug(db.orm.em.fork(), {
      title: 'Scheduled sweep finds the quiet upload bug',
      createdAt: new Date(START.getTime() - 10 * DAY),
      lastActivityAt: new Date(START.getTime() - 4 * DAY - HOUR),
    });

    // The item's warning commits before its run records the count and completes: wait for the run.
    let runs: SweepRun[] = [];
    await vi.waitFor(
      async () => {
        const stored = await db.orm.em.fork().findOneOrFail(BugReport, bug.id);
        expect(stored.warnedAt).not.toBeNull();
        runs = await db.orm.em.fork().find(SweepRun, { trigger: 'schedule' }, { orderBy: { id: 'asc' } });
        expect(runs.find((run) => run.warned === 1)?.status).toBe('completed');
      },
      { timeout: 10_000, interval: 50 },
    );
    const warning = runs.find((run) => run.warned === 1);
    expect(warning).toMatchObject({ trigger: 'schedule', triggeredBy: null, status: 'completed', dryRun: false });
    // The slot is a whole second of real time, recorded once.
    expect(warning?.slotKey).toMatch(/^schedule:\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/);
    expect(new Set(runs.map((run) => run.slotKey)).size).toBe(runs.length);
    // The warning reached the thread through the outbox.
    await vi.waitFor(
      () =>
        expect(t.slackApi.callsTo('chat.postMessage').some((call) => call.body.thread_ts === bug.threadTs)).toBe(true),
      { timeout: 10_000, interval: 50 },
    );
  });

  it('reads the stored schedule again at each tick: a replica that has not polled runs no slot of the old one', async () => {
    // The poll is every 30 s here: within this test only the tick can notice the change.
    const storedAt = new Date();
    const outcome = await setSweepSchedule(t.bugsweep.ctx, TEST_USERS.admin, { cron: '0 0 1 1 *', timezone: null });
    expect(outcome.change).toBe('set');
    await vi.waitFor(
      () => expect(t.bugsweep.scheduler.schedule()).toEqual({ schedule: '0 0 1 1 *', timezone: 'UTC' }),
      { timeout: 5_000, interval: 20 },
    );
    expect(t.bugsweep.scheduler.nextRun()?.toISOString()).toMatch(/-01-01T00:00:00\.000Z$/);
    // The tick that found the new schedule ran nothing: every scheduled run is of a slot before the change.
    const runs = await db.orm.em.fork().find(SweepRun, { trigger: 'schedule' });
    expect(runs.length).toBeGreaterThan(0);
    for (const run of runs)
      expect(new Date(run.slotKey!.slice('schedule:'.length)).getTime()).toBeLessThan(storedAt.getTime());
  });
});
