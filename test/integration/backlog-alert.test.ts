// BACKLOG_ALERT through the running app (issue 15): checked at each sweep run, raised once when the condition has
// held for its whole period (with the figures and the oldest bugs), one "back to normal" when it clears; two app
// instances checking at once announce each change once (the conditions' rows are locked FOR UPDATE).
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { BugReport } from '../../src/db/entities/index.ts';
import { checkBacklogAlerts } from '../../src/services/backlog-alerts.ts';
import { useTestDatabase } from '../support/database.ts';
import { createBug } from '../support/factories.ts';
import { sendSlashCommand } from '../support/signed-requests.ts';
import { adminSweep, createReplica, type Replica, ran, resetSweepWorld } from '../support/sweep-support.ts';
import { TEST_USERS, useTestApp } from '../support/test-app.ts';
import { at, HOUR, plus, START } from '../support/test-clock.ts';

const ALERTS = 'CALERTS';
const ENV = { BACKLOG_ALERT: 'open>2 for 4h, unclaimed>=10', ALERT_CHANNEL: ALERTS };
const db = useTestDatabase();
const t = useTestApp(db, ENV);

beforeEach(() => resetSweepWorld(db, t));

const alerts = () =>
  t.slackApi
    .callsTo('chat.postMessage')
    .filter((call) => call.body.channel === ALERTS)
    .map((call) => String(call.body.text));

async function sweepAt(hours: number) {
  t.clock.set(plus(START, hours * HOUR));
  const result = ran(await adminSweep(t.bugsweep.ctx));
  await t.settle();
  return result.backlog;
}

async function openBugs(count: number) {
  const bugs = [];
  for (let i = 0; i < count; i += 1) {
    bugs.push(
      await createBug(db.orm.em.fork(), { title: `Backlog bug ${i + 1}`, createdAt: plus(START, -(10 - i) * HOUR) }),
    );
  }
  return bugs;
}

describe('backlog alert', () => {
  it('raises once after the whole period, with the figures and the oldest bugs; back to normal once', async () => {
    const bugs = await openBugs(3);
    expect(await sweepAt(0)).toEqual({ raised: [], cleared: [] });
    expect(await sweepAt(3)).toEqual({ raised: [], cleared: [] });
    expect(alerts()).toEqual([]);

    expect(await sweepAt(4)).toEqual({ raised: ['open>2/14400000'], cleared: [] });
    const [raised] = alerts();
    expect(alerts()).toHaveLength(1);
    expect(raised).toContain('*Backlog alert*: 3 open bugs, over the line (open > 2 for 4h) since');
    expect(raised).toContain(`*${bugs[0]!.ref}*`);
    expect(raised!.indexOf(bugs[0]!.ref)).toBeLessThan(raised!.indexOf(bugs[2]!.ref));

    t.slackApi.reset();
    expect(await sweepAt(5)).toEqual({ raised: [], cleared: [] });
    expect(alerts()).toEqual([]);

    const res = await sendSlashCommand(t.baseUrl, { userId: TEST_USERS.admin, text: `close ${bugs[0]!.ref} done` });
    expect(res.status).toBe(200);
    await t.settle();
    t.slackApi.reset();
    expect(await sweepAt(6)).toEqual({ raised: [], cleared: ['open>2/14400000'] });
    expect(alerts()).toEqual([
      expect.stringContaining('*Back to normal*: 2 open bugs, no longer open > 2 for 4h (alert raised'),
    ]);
    t.slackApi.reset();
    expect(await sweepAt(7)).toEqual({ raised: [], cleared: [] });
    expect(alerts()).toEqual([]);
  });

  it('a check under the line starts the period again; a dry run checks nothing', async () => {
    const bugs = await openBugs(3);
    await sweepAt(0);
    await sendSlashCommand(t.baseUrl, { userId: TEST_USERS.admin, text: `close ${bugs[0]!.ref} dup` });
    await t.settle();
    await sweepAt(2);
    await openBugs(1);
    await sweepAt(3);
    // Over since 3h now, not since 0h.
    expect(await sweepAt(5)).toEqual({ raised: [], cleared: [] });
    t.clock.set(plus(START, 7 * HOUR));
    expect(ran(await adminSweep(t.bugsweep.ctx, { dryRun: true })).backlog).toEqual({ raised: [], cleared: [] });
    expect(await sweepAt(7)).toEqual({ raised: ['open>2/14400000'], cleared: [] });
    expect(alerts()).toHaveLength(1);
  });
});

describe('two app instances checking at once', () => {
  let replicas: Replica[] = [];
  afterAll(async () => {
    await Promise.all(replicas.map((replica) => replica.close()));
  });

  it('raise the alert once between them, and clear it once', async () => {
    const bugs = await openBugs(3);
    replicas = await Promise.all([1, 2].map(() => createReplica(t, db, { env: ENV, ownOrm: true })));
    const checkAll = async (hours: number) => {
      for (const replica of replicas) replica.clock.set(plus(START, hours * HOUR));
      const checks = await Promise.all(
        replicas.map((replica) => checkBacklogAlerts(replica.ctx, plus(START, hours * HOUR))),
      );
      await Promise.all(replicas.map((replica) => replica.ctx.notifier.drain()));
      return checks;
    };
    await checkAll(0);
    const raised = await checkAll(4);
    expect(raised.flatMap((check) => check.raised)).toEqual(['open>2/14400000']);
    expect(alerts()).toHaveLength(1);
    const em = db.orm.em.fork();
    await em.nativeUpdate(BugReport, { id: bugs[0]!.id }, { status: 'resolved' });
    const cleared = await checkAll(5);
    expect(cleared.flatMap((check) => check.cleared)).toEqual(['open>2/14400000']);
    expect(alerts()).toHaveLength(2);
  });
});

describe('the stale condition under BUSINESS_HOURS', () => {
  const bizDb = useTestDatabase();
  // Bugs are warned after 4 business days of silence: 32 business hours.
  const biz = useTestApp(bizDb, {
    BACKLOG_ALERT: 'stale>0',
    ALERT_CHANNEL: ALERTS,
    BUSINESS_HOURS: 'Mon-Fri 09:00-17:00',
    AUTO_CLOSE_AFTER: '5d',
    AUTO_CLOSE_WARNING: '1d',
  });

  it('counts a bug stale on business time, as the sweep warns it', async () => {
    // Now is Tue 24 Nov 09:00 UTC; quiet since Fri 20 Nov 09:00: four wall days, 16 business hours.
    await createBug(bizDb.orm.em.fork(), { title: 'Quiet since Friday', lastActivityAt: at('2026-11-20T09:00:00Z') });
    expect(await checkBacklogAlerts(biz.bugsweep.ctx, START)).toEqual({ raised: [], cleared: [] });
    // Quiet since Tue 17 Nov 09:00: 40 business hours.
    await createBug(bizDb.orm.em.fork(), {
      title: 'Quiet since last week',
      lastActivityAt: at('2026-11-17T09:00:00Z'),
    });
    expect(await checkBacklogAlerts(biz.bugsweep.ctx, START)).toEqual({ raised: ['stale>0/0'], cleared: [] });
  });
});
