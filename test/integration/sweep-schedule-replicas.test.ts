// `/bugs sweep schedule` reaches every replica without a restart (issue 15): two app instances on one database, each
// running its croner schedule and polling the stored one (every 100 ms here, 30 s in production). An admin's change
// through one of them is picked up by both, scheduled sweeps then happen on the new one-second slots, each slot once,
// and a reset brings both back to SWEEP_SCHEDULE. Only croner's tick and the poll are real time.
import { describe, expect, it, vi } from 'vitest';
import { SweepRun } from '../../src/db/entities/index.ts';
import { useTestDatabase } from '../support/database.ts';
import { sendSlashCommand } from '../support/signed-requests.ts';
import { TEST_USERS, useTestApp } from '../support/test-app.ts';

const db = useTestDatabase();
const options = { runSchedule: true, scheduler: { pollMs: 100 } };
const first = useTestApp(db, {}, options);
const second = useTestApp(db, {}, options);
const replicas = [first, second];

const scheduledRuns = () => db.orm.em.fork().find(SweepRun, { trigger: 'schedule' }, { orderBy: { id: 'asc' } });
/** Scheduled sweep ticks this replica handled (ran, skipped, or found taken by the other), from its /metrics. */
async function scheduledTicks(baseUrl: string): Promise<number> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  let total = 0;
  for (const line of text.split('\n'))
    if (line.startsWith('bugsweep_sweep_runs_total{') && line.includes('trigger="schedule"'))
      total += Number(line.split(' ').at(-1));
  return total;
}

const waitForBoth = (expected: { schedule: string; timezone: string }) =>
  vi.waitFor(
    () => {
      for (const replica of replicas) expect(replica.bugsweep.scheduler.schedule()).toEqual(expected);
    },
    { timeout: 10_000, interval: 20 },
  );

describe('a stored schedule on two running replicas', () => {
  it('both pick up a change and a reset; the new slots run, each once', async () => {
    await waitForBoth({ schedule: '0 * * * *', timezone: 'UTC' });
    for (const replica of replicas) expect(replica.bugsweep.scheduler.nextRun()?.getUTCMinutes()).toBe(0);

    const res = await sendSlashCommand(first.baseUrl, { userId: TEST_USERS.admin, text: 'sweep schedule * * * * * *' });
    expect((res.json() as { text: string }).text).toContain(':calendar: Schedule changed');
    await waitForBoth({ schedule: '* * * * * *', timezone: 'UTC' });
    for (const replica of replicas) {
      const next = replica.bugsweep.scheduler.nextRun()!.getTime();
      expect(next - Date.now()).toBeLessThanOrEqual(1_000);
    }

    // Scheduled runs on the new slots, without anyone calling the sweep; both replicas fire, one runs each slot.
    await vi.waitFor(async () => expect((await scheduledRuns()).length).toBeGreaterThanOrEqual(2), {
      timeout: 10_000,
      interval: 50,
    });
    const runs = await scheduledRuns();
    expect(new Set(runs.map((run) => run.slotKey)).size).toBe(runs.length);
    for (const run of runs) expect(run.slotKey).toMatch(/^schedule:.*:\d\d\.000Z$/);
    // Both fired on the new slots: each replica's /metrics counts the scheduled ticks it ran or found taken.
    await vi.waitFor(
      async () => {
        for (const replica of replicas) expect(await scheduledTicks(replica.baseUrl)).toBeGreaterThan(0);
      },
      { timeout: 10_000, interval: 50 },
    );
    // Every slot that either replica reached ran once in all: the other found it taken.
    const ticks = (await scheduledTicks(first.baseUrl)) + (await scheduledTicks(second.baseUrl));
    expect(ticks).toBeGreaterThanOrEqual((await scheduledRuns()).length);

    const reset = await sendSlashCommand(second.baseUrl, { userId: TEST_USERS.admin, text: 'sweep schedule reset' });
    expect((reset.json() as { text: string }).text).toContain(':calendar: Schedule reset');
    await waitForBoth({ schedule: '0 * * * *', timezone: 'UTC' });
    for (const replica of replicas) expect(replica.bugsweep.scheduler.nextRun()?.getUTCMinutes()).toBe(0);
  });
});
