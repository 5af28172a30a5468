// Sweep runs as the system sees them: replicas firing for the same slot, overlapping admin runs, pause and resume
// stored in PostgreSQL, a run that dies part-way, the per-run budget, the run records, dry runs, a 429 storm on the
// outbox, and a human reply that lands while the sweep is deciding. Time only moves through TestClocks; concurrency
// is made deterministic with row locks held from a separate connection, never with sleeps.
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBugsweep } from '../../src/bugsweep.ts';
import { BugReport, type SweepRun } from '../../src/db/entities/index.ts';
import { createLogger } from '../../src/logger.ts';
import { pauseSweep, resumeSweep, sweepStatus } from '../../src/services/sweep/sweep-control.ts';
import { runSweep, type SweepResult } from '../../src/services/sweep/sweep-runner.ts';
import { type TestDatabase, useTestDatabase } from '../support/database.ts';
import { type BugOverrides, createBug } from '../support/factories.ts';
import { FAKE_BOT, type RecordedCall } from '../support/fake-slack-api.ts';
import {
  adminSweep,
  createReplica,
  eventsOf,
  eventsOfType,
  NO_COUNTS,
  noticeIdOf,
  noticesOf,
  type Replica,
  ran,
  reload,
  resetSweepWorld,
  sweepRuns,
  textOf,
  until,
  waitForLockWaiters,
} from '../support/sweep-support.ts';
import { TEST_CHANNEL, TEST_USERS, testConfig, useTestApp } from '../support/test-app.ts';
import { DAY, HOUR, MINUTE, plus, SECOND, START, TestClock } from '../support/test-clock.ts';

const { developer, admin } = TEST_USERS;
const db = useTestDatabase();
const t = useTestApp(db);

beforeEach(() => resetSweepWorld(db, t));

let replicas: Replica[] = [];
afterEach(async () => {
  for (const replica of replicas) await replica.close();
  replicas = [];
});

/** A second bugsweep process: its own ORM (connection pool) and clock, the same database and Slack. */
async function secondReplica(): Promise<Replica> {
  const replica = await createReplica(t, db, { ownOrm: true });
  replicas.push(replica);
  return replica;
}

/** This bugsweep restarted with other settings (same database, Slack and clock). */
async function restartedWith(env: Record<string, string>): Promise<Replica> {
  const replica = await createReplica(t, db, { env, clock: t.clock });
  replicas.push(replica);
  return replica;
}

/**
 * `count` open bugs nobody has spoken in for 10 days, never warned, oldest first (a minute apart), in
 * `db`'s database.
 */
async function staleBugs(
  count: number,
  overrides: BugOverrides = {},
  database: TestDatabase = db,
): Promise<BugReport[]> {
  const bugs: BugReport[] = [];
  const first = overrides.createdAt ?? plus(START, -10 * DAY);
  for (let i = 0; i < count; i += 1) {
    bugs.push(
      await createBug(database.orm.em.fork(), {
        title: `Stale bug ${i + 1}`,
        ...overrides,
        createdAt: plus(first, i * MINUTE),
      }),
    );
  }
  return bugs;
}

/** bug.warned rows per bug id. */
async function warnedCounts(bugs: BugReport[]): Promise<number[]> {
  return Promise.all(
    bugs.map(async (bug) => (await eventsOf(db, bug)).filter((e) => e.eventType === 'bug.warned').length),
  );
}

/** The warnings that reached Slack, by outbox notice id (chat.postMessage calls whose reply was ok). */
function postedWarnings(calls: RecordedCall[] = t.slackApi.callsTo('chat.postMessage')): RecordedCall[] {
  return calls.filter((call) => textOf(call).includes('It will be closed on'));
}

/** Of replicas fired for one slot, exactly one ran it; the others found it taken (or were told another sweep runs). */
function expectOneRan(results: SweepResult[]) {
  expect(results.filter((result) => result.kind === 'ran')).toHaveLength(1);
  for (const result of results) expect(['ran', 'slot_taken', 'skipped']).toContain(result.kind);
}

async function settleAll(...others: Replica[]) {
  for (const other of others) await other.ctx.notifier.drain();
  await t.settle();
}

describe('replicas', () => {
  it('two replicas triggered for the same slot at once sweep it once: one run row, each stale bug warned once, one notice each', async () => {
    const bugs = await staleBugs(4);
    const other = await secondReplica();
    const slot = START;

    const results = await Promise.all([
      runSweep(t.bugsweep.ctx, { trigger: 'schedule', slot }),
      runSweep(other.ctx, { trigger: 'schedule', slot }),
    ]);
    await settleAll(other);

    expectOneRan(results);
    const runs = (await sweepRuns(db)).filter((run) => run.slotKey === `schedule:${slot.toISOString()}`);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({
      trigger: 'schedule',
      slotKey: `schedule:${slot.toISOString()}`,
      status: 'completed',
      warned: 4,
      closed: 0,
    });
    expect(await warnedCounts(bugs)).toEqual([1, 1, 1, 1]);
    const warnings = postedWarnings();
    expect(warnings).toHaveLength(4);
    expect(new Set(warnings.map(noticeIdOf)).size).toBe(4);
    expect(warnings.map((call) => call.body.thread_ts).sort()).toEqual(bugs.map((bug) => bug.threadTs).sort());

    // A day later, both fire again: each bug closed once, by one of them.
    t.slackApi.reset();
    const closeSlot = plus(START, DAY);
    t.clock.set(closeSlot);
    other.clock.set(closeSlot);
    const again = await Promise.all([
      runSweep(other.ctx, { trigger: 'schedule', slot: closeSlot }),
      runSweep(t.bugsweep.ctx, { trigger: 'schedule', slot: closeSlot }),
    ]);
    await settleAll(other);
    expectOneRan(again);
    expect((await eventsOfType(db, 'bug.auto_closed')).map((e) => e.bugId).sort()).toEqual(
      bugs.map((bug) => bug.id).sort(),
    );
    expect(t.slackApi.callsTo('chat.postMessage').filter((call) => textOf(call).includes(':zzz: Closed'))).toHaveLength(
      4,
    );
    expect((await sweepRuns(db)).filter((run) => run.slotKey === `schedule:${closeSlot.toISOString()}`)).toHaveLength(
      1,
    );
  });

  it('a replica that stalls while starting a slot does not make the other skip it: the slot runs exactly once', async () => {
    // Replica A has two pooled connections and one of them is held elsewhere, so A stalls at the first step of
    // starting the slot that needs a second connection. Replica B fires for the same slot meanwhile.
    const [bug] = await staleBugs(1);
    const slow = await createReplica(t, db, { ownOrm: true, poolMax: 2 });
    replicas.push(slow);
    const other = await secondReplica();
    const pool = await slow.orm.em.getConnection().getNativeClient();
    const slot = START;
    // Both connections open (so a wait below is a wait for one to come free, not for one to connect).
    await Promise.all([slow.orm.em.fork().execute('select 1'), slow.orm.em.fork().execute('select 1')]);
    expect(pool.totalCount).toBe(2);

    let held = false;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const holding = slow.orm.em
      .fork()
      .getKysely()
      .connection()
      .execute(async () => {
        held = true;
        await gate;
      });
    let results: SweepResult[];
    try {
      await until(() => held, "one of A's connections is held");
      const fromA = runSweep(slow.ctx, { trigger: 'schedule', slot });
      await until(() => pool.waitingCount >= 1 && pool.idleCount === 0, 'replica A waits for a connection');
      const fromB = await runSweep(other.ctx, { trigger: 'schedule', slot });
      release();
      results = [await fromA, fromB];
    } finally {
      release();
      await holding;
    }
    await settleAll(slow, other);

    // The slot ran exactly once in all: one run row for it, the stale bug warned once.
    expectOneRan(results);
    const runs = (await sweepRuns(db)).filter((run) => run.slotKey === `schedule:${slot.toISOString()}`);
    expect(runs.map((run) => [run.status, run.warned])).toEqual([['completed', 1]]);
    expect(await warnedCounts([bug!])).toEqual([1]);
  });

  it('two admin runs at once: one runs and the other is recorded skipped, or they run one after the other; no bug is warned twice', async () => {
    const bugs = await staleBugs(5);
    const other = await secondReplica();

    const results = await Promise.all([adminSweep(t.bugsweep.ctx), adminSweep(other.ctx)]);
    await settleAll(other);

    for (const result of results) {
      if (result.kind === 'skipped') expect(result.reason).toBe('another sweep is running');
      else expect(result.kind).toBe('ran');
    }
    const warned = results.reduce((sum, result) => sum + (result.kind === 'ran' ? result.counts.warned : 0), 0);
    expect(warned).toBe(5);
    expect(await warnedCounts(bugs)).toEqual([1, 1, 1, 1, 1]);
    expect(postedWarnings()).toHaveLength(5);
    const runs = await sweepRuns(db);
    expect(runs).toHaveLength(2);
    for (const run of runs) {
      expect(run.trigger).toBe('admin');
      if (run.status === 'skipped') expect(run.skipReason).toBe('another sweep was still running');
      else expect(run.status).toBe('completed');
    }
  });

  it('an admin run while another is running mid-way is recorded skipped and does nothing', async () => {
    const bugs = await staleBugs(3);
    const other = await secondReplica();
    const blocker = new pg.Client({ connectionString: db.url });
    await blocker.connect();
    try {
      // The first run stops on the second bug's row, holding the sweep lock.
      await blocker.query('begin');
      await blocker.query('select id from bug_reports where id = $1 for update', [bugs[1]!.id]);
      const first = adminSweep(t.bugsweep.ctx);
      await waitForLockWaiters(blocker, 1);

      const second = await adminSweep(other.ctx);
      expect(second).toMatchObject({ kind: 'skipped', reason: 'another sweep is running' });
      await blocker.query('commit');
      expect(ran(await first).counts).toEqual({ ...NO_COUNTS, warned: 3 });
    } finally {
      await blocker.end();
    }
    await settleAll(other);
    expect(await warnedCounts(bugs)).toEqual([1, 1, 1]);
    const runs = await sweepRuns(db);
    expect(runs.map((run) => [run.status, run.skipReason, run.warned])).toEqual([
      ['completed', null, 3],
      ['skipped', 'another sweep was still running', 0],
    ]);
  });

  it('a second bugsweep can be assembled in the same process (replicas and restarts in tests)', async () => {
    const second = await createBugsweep({
      config: testConfig({}, t.slackApi.url),
      orm: db.orm,
      logger: createLogger({ level: 'silent', pretty: false }),
      clock: t.clock.now,
      identity: { botId: FAKE_BOT.botId, botUserId: FAKE_BOT.botUserId, workspaceUrl: FAKE_BOT.workspaceUrl },
      notifier: { channelIntervalMs: 0 },
      runSchedule: false,
    });
    await second.scheduler.stop();
    expect(second.scheduler.nextRun()).toBeNull();
  });
});

describe('pause and resume', () => {
  it('are stored in the database: paused, scheduled runs of every replica are recorded skipped and do nothing; resumed, they run', async () => {
    const bugs = await staleBugs(2);
    const other = await secondReplica();

    const paused = await pauseSweep(t.bugsweep.ctx, admin, 'release freeze');
    expect(paused).toMatchObject({ paused: true, pausedBy: admin, pauseNote: 'release freeze' });
    expect((await sweepStatus(other.ctx)).state).toMatchObject({ paused: true, pausedBy: admin });

    const here = await runSweep(t.bugsweep.ctx, { trigger: 'schedule', slot: START });
    other.clock.set(plus(START, HOUR));
    const there = await runSweep(other.ctx, { trigger: 'schedule', slot: plus(START, HOUR) });
    await settleAll(other);
    expect(here).toMatchObject({ kind: 'skipped', reason: 'paused' });
    expect(there).toMatchObject({ kind: 'skipped', reason: 'paused' });
    expect(await eventsOfType(db, 'bug.warned')).toEqual([]);
    expect(await noticesOf(db)).toEqual([]);
    expect(t.slackApi.calls).toEqual([]);
    const skipped = await sweepRuns(db);
    expect(skipped.map((run) => [run.trigger, run.slotKey, run.status, run.skipReason])).toEqual([
      ['schedule', `schedule:${START.toISOString()}`, 'skipped', `paused by ${admin}`],
      ['schedule', `schedule:${plus(START, HOUR).toISOString()}`, 'skipped', `paused by ${admin}`],
    ]);

    // Resumed from the other replica: the next slot runs here.
    expect(await resumeSweep(other.ctx, admin)).toMatchObject({ paused: false, pausedBy: null });
    t.clock.set(plus(START, 2 * HOUR));
    const resumed = ran(await runSweep(t.bugsweep.ctx, { trigger: 'schedule', slot: plus(START, 2 * HOUR) }));
    await settleAll(other);
    expect(resumed.counts).toEqual({ ...NO_COUNTS, warned: 2 });
    expect(await warnedCounts(bugs)).toEqual([1, 1]);
  });

  it('an admin-triggered run still runs while paused (explicitly asked for)', async () => {
    const bugs = await staleBugs(2);
    await pauseSweep(t.bugsweep.ctx, admin, null);
    const result = ran(await adminSweep(t.bugsweep.ctx));
    await t.settle();
    expect(result.counts).toEqual({ ...NO_COUNTS, warned: 2 });
    expect(await warnedCounts(bugs)).toEqual([1, 1]);
    expect((await sweepRuns(db)).map((run) => [run.trigger, run.triggeredBy, run.status])).toEqual([
      ['admin', admin, 'completed'],
    ]);
    expect((await sweepStatus(t.bugsweep.ctx)).state.paused).toBe(true);
  });
});

describe('a run that dies part-way', () => {
  it('is recorded failed; the next run acts on the remaining bugs only; every bug is warned exactly once', async () => {
    const bugs = await staleBugs(5);

    await expect(
      adminSweep(t.bugsweep.ctx, {
        afterItem: (n) => {
          if (n === 2) throw new Error('process died');
        },
      }),
    ).rejects.toThrow('process died');
    await t.settle();
    let runs = await sweepRuns(db);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ status: 'failed', error: 'process died', warned: 2 });
    expect(runs[0]!.finishedAt).toBeTruthy();
    expect(await warnedCounts(bugs)).toEqual([1, 1, 0, 0, 0]);
    expect(postedWarnings()).toHaveLength(2);

    // A process killed outright leaves its run 'running'; the next run to hold the lock marks it failed.
    await db.orm.em
      .fork()
      .execute(`insert into sweep_runs (trigger, status, started_at) values ('schedule', 'running', ?)`, [
        plus(START, 30 * MINUTE),
      ]);

    t.clock.set(plus(START, HOUR));
    const next = ran(await adminSweep(t.bugsweep.ctx));
    await t.settle();
    expect(next.counts).toEqual({ ...NO_COUNTS, warned: 3 });
    expect(next.items.map((item) => item.bugId)).toEqual(bugs.slice(2).map((bug) => bug.id));
    expect(await warnedCounts(bugs)).toEqual([1, 1, 1, 1, 1]);
    const warnings = postedWarnings();
    expect(warnings).toHaveLength(5);
    expect(new Set(warnings.map(noticeIdOf)).size).toBe(5);

    runs = await sweepRuns(db);
    expect(runs.map((run) => [run.status, run.error])).toEqual([
      ['failed', 'process died'],
      ['failed', 'interrupted: the process running it stopped mid-run'],
      ['completed', null],
    ]);
  });
});

describe('paging across batches', () => {
  it('SWEEP_BATCH_SIZE=3 with 8 stale bugs: one run warns every bug once over three pages, a later run closes each once', async () => {
    const bugs = await staleBugs(3 * 2 + 2);
    const paged = await restartedWith({ SWEEP_BATCH_SIZE: '3' });

    const warning = ran(await adminSweep(paged.ctx));
    await settleAll(paged);
    expect(warning.counts).toEqual({ ...NO_COUNTS, warned: bugs.length });
    expect(warning.budgetExhausted).toBe(false);
    // Oldest first, across the pages, with no bug read twice or left out.
    expect(warning.items.map((item) => item.bugId)).toEqual(bugs.map((bug) => bug.id));
    expect(await warnedCounts(bugs)).toEqual(bugs.map(() => 1));
    expect(postedWarnings().map(noticeIdOf).sort()).toEqual(
      (await noticesOf(db, { purpose: 'warning' })).map((notice) => String(notice.id)).sort(),
    );
    expect(postedWarnings()).toHaveLength(bugs.length);

    t.clock.set(plus(START, DAY + HOUR));
    const closing = ran(await adminSweep(paged.ctx));
    await settleAll(paged);
    expect(closing.counts).toEqual({ ...NO_COUNTS, closed: bugs.length });
    expect(closing.items.map((item) => item.bugId)).toEqual(bugs.map((bug) => bug.id));
    for (const bug of bugs) {
      expect((await reload(db, bug)).status).toBe('closed');
      expect((await eventsOf(db, bug)).filter((e) => e.eventType === 'bug.auto_closed')).toHaveLength(1);
    }
    expect(await warnedCounts(bugs)).toEqual(bugs.map(() => 1));

    // Nothing is left for a third run.
    t.clock.set(plus(START, 2 * DAY));
    expect(ran(await adminSweep(paged.ctx)).counts).toEqual(NO_COUNTS);
  });
});

describe('the per-run budget', () => {
  it('SWEEP_MAX_ITEMS=3 with 5 stale bugs: the 3 oldest first, budget reported exhausted; the next run does the rest', async () => {
    const bugs = await staleBugs(5);
    const limited = await restartedWith({ SWEEP_MAX_ITEMS: '3' });

    const first = ran(await adminSweep(limited.ctx));
    await settleAll(limited);
    expect(first.counts).toEqual({ ...NO_COUNTS, warned: 3 });
    expect(first.budgetExhausted).toBe(true);
    expect(first.items.map((item) => item.bugId)).toEqual(bugs.slice(0, 3).map((bug) => bug.id));
    expect(await warnedCounts(bugs)).toEqual([1, 1, 1, 0, 0]);

    t.clock.set(plus(START, HOUR));
    const second = ran(await adminSweep(limited.ctx));
    await settleAll(limited);
    expect(second.counts).toEqual({ ...NO_COUNTS, warned: 2 });
    expect(second.budgetExhausted).toBe(false);
    expect(second.items.map((item) => item.bugId)).toEqual(bugs.slice(3).map((bug) => bug.id));
    expect(await warnedCounts(bugs)).toEqual([1, 1, 1, 1, 1]);

    const runs = await sweepRuns(db);
    expect(runs.map((run) => [run.warned, run.details.budgetExhausted])).toEqual([
      [3, true],
      [2, false],
    ]);
  });

  it('bugs whose warnings Slack refuses for good (the bot left their channel) do not use up every later run', async () => {
    const unreachable = await staleBugs(3, { channelId: 'CGONE' });
    const reachable = await staleBugs(2, { createdAt: plus(START, -9 * DAY) });
    t.slackApi.on('chat.postMessage', (call) =>
      call.body.channel === 'CGONE' ? { status: 200, body: { ok: false, error: 'not_in_channel' } } : undefined,
    );
    const limited = await restartedWith({ SWEEP_MAX_ITEMS: '3' });

    // The first run spends its budget on the three oldest; Slack refuses their warnings for good.
    const first = ran(await adminSweep(limited.ctx));
    await settleAll(limited);
    expect(first.items.map((item) => item.bugId)).toEqual(unreachable.map((bug) => bug.id));
    expect((await noticesOf(db, { channelId: 'CGONE' })).map((notice) => notice.status)).toEqual([
      'failed',
      'failed',
      'failed',
    ]);

    // Within the next two hourly runs, the bugs people can be warned about are warned.
    for (const hours of [1, 2]) {
      t.clock.set(plus(START, hours * HOUR));
      ran(await adminSweep(limited.ctx));
      await settleAll(limited);
    }
    expect(await warnedCounts(reachable)).toEqual([1, 1]);
  });
});

describe('run records', () => {
  it('every run is recorded: trigger, who, slot, dry run, status, counts, skip reason, start and finish', async () => {
    const bugs = await staleBugs(2);

    ran(await adminSweep(t.bugsweep.ctx, { dryRun: true }));
    ran(await adminSweep(t.bugsweep.ctx));
    await t.settle();
    t.clock.set(plus(START, HOUR));
    ran(await runSweep(t.bugsweep.ctx, { trigger: 'schedule', slot: plus(START, HOUR) }));
    t.clock.set(plus(START, 2 * HOUR));
    await pauseSweep(t.bugsweep.ctx, admin, null);
    await runSweep(t.bugsweep.ctx, { trigger: 'schedule', slot: plus(START, 2 * HOUR) });
    await resumeSweep(t.bugsweep.ctx, admin);
    t.clock.set(plus(START, 3 * HOUR));
    ran(await runSweep(t.bugsweep.ctx, { trigger: 'cli' }));
    t.clock.set(plus(START, DAY));
    ran(await runSweep(t.bugsweep.ctx, { trigger: 'schedule', slot: plus(START, DAY) }));
    await t.settle();

    const runs = await sweepRuns(db);
    const row = (run: SweepRun) => ({
      trigger: run.trigger,
      triggeredBy: run.triggeredBy,
      slotKey: run.slotKey,
      dryRun: run.dryRun,
      status: run.status,
      skipReason: run.skipReason,
      startedAt: run.startedAt.toISOString(),
      finishedAt: run.finishedAt?.toISOString() ?? null,
      counts: [run.warned, run.closed, run.reminded, run.released, run.failed],
    });
    const refs = bugs.map((bug) => bug.ref);
    const iso = (ms: number) => plus(START, ms).toISOString();
    expect(runs.map(row)).toEqual([
      {
        trigger: 'admin',
        triggeredBy: admin,
        slotKey: null,
        dryRun: true,
        status: 'completed',
        skipReason: null,
        startedAt: iso(0),
        finishedAt: iso(0),
        counts: [2, 0, 0, 0, 0],
      },
      {
        trigger: 'admin',
        triggeredBy: admin,
        slotKey: null,
        dryRun: false,
        status: 'completed',
        skipReason: null,
        startedAt: iso(0),
        finishedAt: iso(0),
        counts: [2, 0, 0, 0, 0],
      },
      {
        trigger: 'schedule',
        triggeredBy: null,
        slotKey: `schedule:${iso(HOUR)}`,
        dryRun: false,
        status: 'completed',
        skipReason: null,
        startedAt: iso(HOUR),
        finishedAt: iso(HOUR),
        counts: [0, 0, 0, 0, 0],
      },
      {
        trigger: 'schedule',
        triggeredBy: null,
        slotKey: `schedule:${iso(2 * HOUR)}`,
        dryRun: false,
        status: 'skipped',
        skipReason: `paused by ${admin}`,
        startedAt: iso(2 * HOUR),
        finishedAt: iso(2 * HOUR),
        counts: [0, 0, 0, 0, 0],
      },
      {
        trigger: 'cli',
        triggeredBy: null,
        slotKey: null,
        dryRun: false,
        status: 'completed',
        skipReason: null,
        startedAt: iso(3 * HOUR),
        finishedAt: iso(3 * HOUR),
        counts: [0, 0, 0, 0, 0],
      },
      {
        trigger: 'schedule',
        triggeredBy: null,
        slotKey: `schedule:${iso(DAY)}`,
        dryRun: false,
        status: 'completed',
        skipReason: null,
        startedAt: iso(DAY),
        finishedAt: iso(DAY),
        counts: [0, 2, 0, 0, 0],
      },
    ]);
    expect(runs[0]!.details).toMatchObject({ items: refs.map((ref) => `warned:${ref}`), budgetExhausted: false });
    expect(runs[5]!.details).toMatchObject({ items: refs.map((ref) => `closed:${ref}`), budgetExhausted: false });
  });
});

describe('a dry run', () => {
  it('reports what it would do and writes nothing, posts nothing, changes no bug; the run row says dry_run', async () => {
    // One bug warned yesterday and due to close now...
    t.clock.set(plus(START, -DAY));
    const [due] = await staleBugs(1, { title: 'Warned yesterday' });
    ran(await adminSweep(t.bugsweep.ctx));
    await t.settle();
    t.clock.set(START);
    // ...two never warned, a claim due for its reminder and one due for release.
    const neverWarned = await staleBugs(2, { createdAt: plus(START, -6 * DAY) });
    const em = db.orm.em.fork();
    const active = plus(START, -HOUR);
    const toRemind = await createBug(em, {
      title: 'Claimed, quiet 5d 1h',
      status: 'in_progress',
      claimantId: developer,
      claimedAt: plus(START, -5 * DAY - HOUR),
      createdAt: active,
    });
    const toRelease = await createBug(em, {
      title: 'Claimed, quiet 8d',
      status: 'in_progress',
      claimantId: developer,
      claimedAt: plus(START, -8 * DAY),
      createdAt: active,
    });

    const snapshot = async () => ({
      bugs: JSON.stringify(await db.orm.em.fork().find(BugReport, {}, { orderBy: { id: 'asc' } })),
      events: (await db.orm.em.fork().execute('select count(*)::int as n from bug_events'))[0],
      notices: (await db.orm.em.fork().execute('select count(*)::int as n from slack_notices'))[0],
    });
    const before = await snapshot();
    t.slackApi.reset();

    const dry = ran(await adminSweep(t.bugsweep.ctx, { dryRun: true }));
    await t.settle();
    expect(dry.dryRun).toBe(true);
    expect(dry.counts).toEqual({ warned: 2, closed: 1, reminded: 1, released: 1, failed: 0 });
    expect(dry.items.map((item) => [item.bugId, item.action])).toEqual([
      [due!.id, 'closed'],
      [neverWarned[0]!.id, 'warned'],
      [neverWarned[1]!.id, 'warned'],
      [toRelease.id, 'released'],
      [toRemind.id, 'reminded'],
    ]);
    expect(await snapshot()).toEqual(before);
    expect(t.slackApi.calls).toEqual([]);
    const dryRow = (await sweepRuns(db)).at(-1)!;
    expect(dryRow).toMatchObject({ dryRun: true, status: 'completed', warned: 2, closed: 1, reminded: 1, released: 1 });

    // A real run at the same moment does exactly what the dry run said.
    const real = ran(await adminSweep(t.bugsweep.ctx));
    await t.settle();
    expect(real.counts).toEqual(dry.counts);
    expect(real.items).toEqual(dry.items);
    expect((await reload(db, due!)).status).toBe('closed');
  });
});

describe('a 429 storm', () => {
  // Its own database and a notifier paced at one message per second per channel, as in production.
  const stormDb = useTestDatabase();

  it('delays notices without losing or doubling any, and the other channel does not wait for the busy one', async () => {
    const busy = TEST_CHANNEL;
    const quiet = 'CQUIET';
    const clock = new TestClock(START);
    const storm = await createReplica(t, stormDb, { clock, notifier: { channelIntervalMs: 1000 } });
    replicas.push(storm);
    await staleBugs(30, { channelId: busy }, stormDb);
    await staleBugs(3, { channelId: quiet, createdAt: plus(START, -9 * DAY) }, stormDb);

    // Slack answers the first six posts in the busy channel with 429, Retry-After: 5.
    const rejectedAt: number[] = [];
    const rejected: string[] = [];
    t.slackApi.on('chat.postMessage', (call) => {
      if (call.body.channel !== busy || rejected.length >= 6) return undefined;
      rejected.push(noticeIdOf(call)!);
      rejectedAt.push(clock.now().getTime() - START.getTime());
      return { status: 429, headers: { 'retry-after': '5' }, body: { ok: false, error: 'ratelimited' } };
    });

    expect(ran(await adminSweep(storm.ctx)).counts).toEqual({ ...NO_COUNTS, warned: 33 });
    await storm.ctx.notifier.drain();
    const sentIn = async (channelId: string) =>
      (await noticesOf(stormDb, { channelId, purpose: 'warning' })).filter((notice) => notice.status === 'sent');
    for (let step = 0; step < 200 && (await sentIn(busy)).length < 30; step += 1) {
      clock.advance(SECOND);
      await storm.ctx.notifier.drain();
      if (clock.now().getTime() - START.getTime() === 2 * SECOND) {
        // Two seconds in, the quiet channel is done while the busy one has posted nothing yet.
        expect(await sentIn(quiet)).toHaveLength(3);
        expect(await sentIn(busy)).toHaveLength(0);
      }
    }

    const notices = await noticesOf(stormDb, { purpose: 'warning' });
    expect(notices).toHaveLength(33);
    expect(notices.filter((notice) => notice.status !== 'sent')).toEqual([]);
    // Every warning posted exactly once: all calls minus the six refused ones.
    const posts = t.slackApi.callsTo('chat.postMessage');
    expect(posts).toHaveLength(33 + 6);
    const accepted = posts.map(noticeIdOf);
    for (const id of rejected) accepted.splice(accepted.indexOf(id), 1);
    expect(accepted.sort()).toEqual(notices.map((notice) => String(notice.id)).sort());

    // Retry-After honoured: the refused attempts are five seconds apart, and nothing was posted in between.
    expect(rejectedAt).toEqual([0, 5, 10, 15, 20, 25].map((s) => s * SECOND));
    const sentAt = (channelId: string) =>
      notices
        .filter((n) => n.channelId === channelId)
        .map((n) => n.sentAt!.getTime() - START.getTime())
        .sort((a, b) => a - b);
    expect(sentAt(busy)[0]).toBe(30 * SECOND);
    expect(sentAt(quiet)).toEqual([0, SECOND, 2 * SECOND]);
    // Paced: at most one message a second per channel.
    const busyTimes = sentAt(busy);
    for (let i = 1; i < busyTimes.length; i += 1)
      expect(busyTimes[i]! - busyTimes[i - 1]!).toBeGreaterThanOrEqual(SECOND);
    expect(busyTimes.at(-1)).toBe(59 * SECOND);
  });
});

describe('a human reply that lands during the sweep', () => {
  it('wins over a warning: the sweep, waiting on the bug row, sees the reply and leaves the bug alone', async () => {
    const [replied, other] = await staleBugs(2);
    const blocker = new pg.Client({ connectionString: db.url });
    await blocker.connect();
    try {
      await blocker.query('begin');
      await blocker.query('select id from bug_reports where id = $1 for update', [replied!.id]);
      const sweeping = adminSweep(t.bugsweep.ctx);
      await waitForLockWaiters(blocker, 1);
      // The reply's transaction: the bug came alive just now.
      await blocker.query('update bug_reports set last_activity_at = $2, version = version + 1 where id = $1', [
        replied!.id,
        t.clock.now(),
      ]);
      await blocker.query('commit');
      const result = ran(await sweeping);
      expect(result.counts).toEqual({ ...NO_COUNTS, warned: 1 });
      expect(result.items.map((item) => item.bugId)).toEqual([other!.id]);
    } finally {
      await blocker.end();
    }
    await t.settle();
    expect(await warnedCounts([replied!, other!])).toEqual([0, 1]);
    expect(await reload(db, replied!)).toMatchObject({ warnedAt: null, warningNoticeId: null, status: 'open' });
    expect(await noticesOf(db, { bugId: replied!.id })).toEqual([]);
    expect(postedWarnings().map((call) => call.body.thread_ts)).toEqual([other!.threadTs]);
  });

  it('wins over a close: a reply withdrawing the warning while the sweep waits means no close', async () => {
    const [bug] = await staleBugs(1);
    ran(await adminSweep(t.bugsweep.ctx));
    await t.settle();
    t.clock.set(plus(START, DAY));
    t.slackApi.reset();

    const blocker = new pg.Client({ connectionString: db.url });
    await blocker.connect();
    try {
      await blocker.query('begin');
      await blocker.query('select id from bug_reports where id = $1 for update', [bug!.id]);
      const sweeping = adminSweep(t.bugsweep.ctx);
      await waitForLockWaiters(blocker, 1);
      await blocker.query(
        `update bug_reports set last_activity_at = $2, warned_at = null, warning_notice_id = null, auto_close_at = null, version = version + 1 where id = $1`,
        [bug!.id, t.clock.now()],
      );
      await blocker.query('commit');
      expect(ran(await sweeping).counts).toEqual(NO_COUNTS);
    } finally {
      await blocker.end();
    }
    await t.settle();
    expect(await reload(db, bug!)).toMatchObject({ status: 'open', closeReason: null });
    expect(await eventsOfType(db, 'bug.auto_closed')).toEqual([]);
    expect(t.slackApi.calls).toEqual([]);
  });
});
