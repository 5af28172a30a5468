// `/bugs sweep cancel` (issue 15): stops a running sweep between items on whichever replica runs it; the run is
// recorded as cancelled with its counts so far. Admins only; with nothing running, it says so.
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { BugReport, SweepRun } from '../../src/db/entities/index.ts';
import { useTestDatabase } from '../support/database.ts';
import { createBug } from '../support/factories.ts';
import { sendSlashCommand } from '../support/signed-requests.ts';
import { adminSweep, createReplica, NO_COUNTS, type Replica, ran, resetSweepWorld } from '../support/sweep-support.ts';
import { TEST_USERS, useTestApp } from '../support/test-app.ts';
import { DAY, HOUR, plus, START } from '../support/test-clock.ts';

const db = useTestDatabase();
const t = useTestApp(db);
const { admin, developer } = TEST_USERS;
const em = () => db.orm.em.fork();

beforeEach(() => resetSweepWorld(db, t));

async function staleBugs(count: number) {
  for (let i = 0; i < count; i += 1)
    await createBug(em(), { title: `Quiet ${i}`, lastActivityAt: plus(START, -(4 * DAY + (i + 1) * HOUR)) });
}

async function cancel(userId: string): Promise<string> {
  const res = await sendSlashCommand(t.baseUrl, { userId, text: 'sweep cancel' });
  expect(res.status).toBe(200);
  return String((res.json() as { text?: string }).text);
}

const warnedCount = async () => (await em().find(BugReport, { warnedAt: { $ne: null } })).length;

describe('/bugs sweep cancel', () => {
  let replica: Replica | null = null;
  afterAll(async () => {
    await replica?.close();
  });

  it('stops a sweep running on another replica between items; the run is cancelled with its counts so far', async () => {
    await staleBugs(5);
    replica = await createReplica(t, db, { ownOrm: true });
    const answers: string[] = [];
    const result = ran(
      await adminSweep(replica.ctx, {
        afterItem: async (done) => {
          if (done === 2) answers.push(await cancel(admin));
        },
      }),
    );
    expect(answers).toHaveLength(1);
    expect(answers[0]).toMatch(/^Asked the running sweep \(run #\d+\) to stop/);
    expect(result.cancelledBy).toBe(admin);
    expect(result.counts).toEqual({ ...NO_COUNTS, warned: 2 });
    expect(await warnedCount()).toBe(2);
    const [run] = await em().find(SweepRun, {});
    expect(run).toMatchObject({ status: 'cancelled', warned: 2, cancelRequestedBy: admin });
    expect(run!.details).toMatchObject({ cancelledBy: admin });
    expect(run!.finishedAt).toBeTruthy();

    // The next run is not cancelled: it carries on with the rest.
    expect(ran(await adminSweep(t.bugsweep.ctx)).counts).toEqual({ ...NO_COUNTS, warned: 3 });
  });

  it('says so when nothing is running, and is for admins only', async () => {
    expect(await cancel(admin)).toBe('No sweep is running right now; nothing to cancel.');
    await staleBugs(3);
    const answers: string[] = [];
    const result = ran(
      await adminSweep(t.bugsweep.ctx, {
        afterItem: async (done) => {
          if (done === 1) answers.push(await cancel(developer));
        },
      }),
    );
    expect(answers[0]).not.toContain('Asked the running sweep');
    expect(result.cancelledBy).toBeUndefined();
    expect(result.counts).toEqual({ ...NO_COUNTS, warned: 3 });
    expect((await em().find(SweepRun, {}))[0]).toMatchObject({ status: 'completed', cancelRequestedBy: null });
  });
});
