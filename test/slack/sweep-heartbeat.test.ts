// Replica heartbeats (issue 15): each replica running the schedule records one when its scheduler starts, at each
// tick and every minute; `/bugs sweep status` (and the admin App Home) names the replicas that beat within the last
// two slots and warns when none has, instead of "running on schedule" from the configuration alone.
import { hostname } from 'node:os';
import { beforeEach, describe, expect, it } from 'vitest';
import { createSweepScheduler } from '../../src/scheduler/sweep-scheduler.ts';
import { asFallback, plainTimesIn } from '../support/block-kit.ts';
import { useTestDatabase } from '../support/database.ts';
import { sendEvent, sendSlashCommand } from '../support/signed-requests.ts';
import { createReplica, resetSweepWorld, until } from '../support/sweep-support.ts';
import { TEST_USERS, useTestApp } from '../support/test-app.ts';
import { HOUR, MINUTE } from '../support/test-clock.ts';

const db = useTestDatabase();
const t = useTestApp(db);
const { admin } = TEST_USERS;

beforeEach(async () => {
  await resetSweepWorld(db, t);
  await db.orm.em.fork().execute('truncate sweep_heartbeats');
});

async function status(): Promise<string> {
  const res = await sendSlashCommand(t.baseUrl, { userId: admin, text: 'sweep status' });
  const text = String((res.json() as { text?: string }).text);
  expect(plainTimesIn(text)).toEqual([]);
  return asFallback(text);
}

const beats = async () =>
  Number((await db.orm.em.fork().execute<{ n: string }[]>('select count(*) as n from sweep_heartbeats'))[0]!.n);

describe('replica heartbeats', () => {
  it('names the replicas running the schedule, warns once none has beaten for two slots, forgets a stopped one', async () => {
    expect(await status()).toContain(':warning: *No replica has run the schedule for two slots*');

    const replica = await createReplica(t, db, { ownOrm: true, clock: t.clock });
    const schedulers = [t.bugsweep.scheduler, createSweepScheduler(replica.ctx)];
    try {
      for (const scheduler of schedulers) await scheduler.start();
      await until(async () => (await beats()) === 2, 'both schedulers beat');
      const running = await status();
      expect(running).toContain(':arrow_forward: *Running on schedule* on 2 replicas: ');
      expect(running).toContain(`\`${hostname()}:${process.pid}\` (seen Tue 24 Nov, 09:00 UTC)`);
      expect(running).not.toContain('No replica');

      // The admin App Home says the same.
      t.slackApi.reset();
      await sendEvent(t.baseUrl, {
        type: 'app_home_opened',
        user: admin,
        channel: 'D0HOME',
        tab: 'home',
        event_ts: '1.1',
      });
      await t.settle();
      expect(JSON.stringify(t.slackApi.callsTo('views.publish').at(-1)!.body.view)).toContain(
        '*Running on schedule* on 2 replicas',
      );

      // Two hourly slots without a beat (the minute timer runs on real time, this clock moved by hand).
      t.clock.advance(2 * HOUR - MINUTE);
      expect(await status()).toContain('*Running on schedule* on 2 replicas');
      t.clock.advance(2 * MINUTE);
      expect(await status()).toContain(':warning: *No replica has run the schedule for two slots*');
    } finally {
      for (const scheduler of schedulers) await scheduler.stop();
      await replica.close();
    }
    // A scheduler that stops takes its heartbeat with it.
    expect(await beats()).toBe(0);
  });
});
