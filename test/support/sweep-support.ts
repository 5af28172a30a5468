// Shared pieces of the scenario tests (sweep, turn, lifecycle): the timeline verbs, a clean slate per test, a second bugsweep ("replica" or "restart with other settings") on the same database, and
// small readers for bug_events, slack_notices and the fake Web API's calls.
import { MikroORM } from '@mikro-orm/postgresql';
import type pg from 'pg';
import { expect } from 'vitest';
import type { AppContext } from '../../src/app-context.ts';
import { createAppContext } from '../../src/bugsweep.ts';
import { BugEvent, BugReport, SlackNotice, SweepRun } from '../../src/db/entities/index.ts';
import { buildOrmConfig } from '../../src/db/mikro-orm.config.ts';
import type { Orm } from '../../src/db/orm.ts';
import { createLogger } from '../../src/logger.ts';
import { ACTIONS } from '../../src/messages/ids.ts';
import type { NotifierOptions } from '../../src/outbox/outbox-notifier.ts';
import { runSweep, type SweepRequest, type SweepResult } from '../../src/services/sweep/sweep-runner.ts';
import { asFallback } from './block-kit.ts';
import type { TestDatabase } from './database.ts';
import { FAKE_BOT, type RecordedCall } from './fake-slack-api.ts';
import { buttonPress } from './interaction-payloads.ts';
import { sendEvent, sendInteraction, sendSlashCommand } from './signed-requests.ts';
import { threadReply, topLevelMessage } from './slack-events.ts';
import { TEST_USERS, type TestApp, testConfig } from './test-app.ts';
import { START, slackTs, TestClock } from './test-clock.ts';

export const NO_COUNTS = { warned: 0, closed: 0, reminded: 0, released: 0, failed: 0 } as const;

/**
 * Every test starts from nothing at START: no bugs, notices, runs or pacing, the sweep not paused, no recorded
 * Slack calls. The database belongs to the test file, so emptying it touches nothing else.
 */
export async function resetSweepWorld(db: TestDatabase, t: TestApp): Promise<void> {
  await t.settle();
  const em = db.orm.em.fork();
  await em.execute(
    // The outbox first: the notifier's background loop reads slack_notices, then bug_reports; locking in the
    // same order keeps the truncate from deadlocking with it.
    'truncate slack_notices, slack_channel_pacing, slack_method_pacing, bug_events, bug_conversations, bug_reports, sweep_runs, backlog_alert_state cascade',
  );
  await em.execute('update sweep_state set paused = false, paused_by = null, paused_at = null, pause_note = null');
  t.clock.set(START);
  t.slackApi.reset();
}

export const adminSweep = (ctx: AppContext, extra: Partial<SweepRequest> = {}): Promise<SweepResult> =>
  runSweep(ctx, { trigger: 'admin', triggeredBy: 'UADMIN', ...extra });

/** The result of a run that ran (and not a skipped one), for reading its counts. */
export function ran(result: SweepResult): Extract<SweepResult, { kind: 'ran' }> {
  if (result.kind !== 'ran') throw new Error(`expected the sweep to run, got ${JSON.stringify(result)}`);
  return result;
}

export type Replica = { ctx: AppContext; clock: TestClock; orm: Orm; close(): Promise<void> };

/**
 * Another bugsweep process on the same database and the same fake Slack, without its HTTP server or schedule:
 * a second replica (`ownOrm`: its own connection pool, of `poolMax` connections if given; its own clock at the
 * same time) or this one restarted with other settings (`env`, sharing the test's clock).
 */
export async function createReplica(
  t: TestApp,
  db: TestDatabase,
  options: {
    env?: Record<string, string>;
    ownOrm?: boolean;
    poolMax?: number;
    clock?: TestClock;
    notifier?: NotifierOptions;
  } = {},
): Promise<Replica> {
  const orm = options.ownOrm
    ? await MikroORM.init(buildOrmConfig(db.url, options.poolMax ? { pool: { min: 0, max: options.poolMax } } : {}))
    : db.orm;
  const clock = options.clock ?? new TestClock(t.clock.now());
  const ctx = createAppContext({
    config: testConfig(options.env ?? {}, t.slackApi.url),
    orm,
    logger: createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent', pretty: false }),
    clock: clock.now,
    identity: {
      botId: FAKE_BOT.botId,
      botUserId: FAKE_BOT.botUserId,
      workspaceUrl: FAKE_BOT.workspaceUrl,
      appId: FAKE_BOT.appId,
      teamId: FAKE_BOT.teamId,
    },
    notifier: { channelIntervalMs: 0, tier3IntervalMs: 0, tier4IntervalMs: 0, ...options.notifier },
  });
  return {
    ctx,
    clock,
    orm,
    async close() {
      // Never started: only its notifier may have work in flight (kicked by a sweep).
      await ctx.notifier.stop();
      if (options.ownOrm) await orm.close(true);
    },
  };
}

/**
 * The timeline verbs of the scenario tests, bound to one test app and its database: a bug reported, replies at
 * named moments, sweeps, commands and button presses, each delivered as Slack would and then settled (handlers
 * finished, the outbox drained), and the notices Slack received.
 */
export function timelineFor(db: TestDatabase, t: TestApp) {
  async function deliver(event: Record<string, unknown>) {
    const res = await sendEvent(t.baseUrl, event);
    expect(res.status).toBe(200);
    await t.settle();
  }

  /** An interaction payload (a button press, a modal submission) as Slack posts it. */
  async function interact(payload: Record<string, unknown>) {
    const res = await sendInteraction(t.baseUrl, payload);
    expect(res.status).toBe(200);
    await t.settle();
    return res;
  }

  /** A bug reported by a top-level message in the bug channel at the clock's time; it gets a real card. */
  async function newBug(title = 'Cart total is wrong'): Promise<BugReport> {
    const ts = slackTs(t.clock.now());
    await deliver(topLevelMessage({ user: TEST_USERS.reporter, ts, text: title }));
    const bug = await db.orm.em.fork().findOneOrFail(BugReport, { threadTs: ts });
    expect(bug.cardTs).toBeTruthy();
    expect(bug.lastActivityAt.toISOString()).toBe(t.clock.now().toISOString());
    t.slackApi.reset();
    return bug;
  }

  /** A reply in the bug's thread posted at `moment` (the clock moves there too). */
  async function replyAt(moment: Date | string, user: string, bug: BugReport, text = 'any news?'): Promise<string> {
    t.clock.set(moment);
    const ts = slackTs(t.clock.now());
    await deliver(threadReply({ user, ts, threadTs: bug.threadTs, text }));
    return ts;
  }

  /** An admin-triggered sweep at `moment`, then the outbox drained. Returns the run. */
  async function runAt(moment: Date | string) {
    t.clock.set(moment);
    const result = ran(await adminSweep(t.bugsweep.ctx));
    await t.settle();
    return result;
  }

  /** An admin-triggered sweep at `moment`, then the outbox drained. Returns the run's counts. */
  const sweepAt = async (moment: Date | string) => (await runAt(moment)).counts;

  /** A slash command as Slack posts it (with its trigger id or response_url when given); the raw response. */
  async function commandResponse(
    userId: string,
    text: string,
    extra: { triggerId?: string; responseUrl?: string } = {},
  ) {
    const res = await sendSlashCommand(t.baseUrl, { userId, text, ...extra });
    expect(res.status).toBe(200);
    await t.settle();
    return res;
  }

  /** A slash command; returns the answer Slack would show (empty when the command only acknowledged). */
  async function command(userId: string, text: string): Promise<{ response_type?: string; text?: string }> {
    const res = await commandResponse(userId, text);
    return res.text ? (res.json() as { response_type?: string; text?: string }) : {};
  }

  /** A button pressed on one of the bug's messages: its card unless `messageTs` names another. */
  async function press(userId: string, actionId: string, bug: BugReport, messageTs = bug.cardTs!) {
    const payload = buttonPress({
      userId,
      actionId,
      value: String(bug.id),
      channelId: bug.channelId,
      messageTs,
      threadTs: bug.threadTs,
    });
    await interact(payload);
  }

  const pressKeepOpen = (userId: string, bug: BugReport, warningTs: string) =>
    press(userId, ACTIONS.keepOpen, bug, warningTs);

  const posts = (bug?: BugReport): RecordedCall[] =>
    t.slackApi.callsTo('chat.postMessage').filter((call) => !bug || call.body.thread_ts === bug.threadTs);
  const updates = (ts?: string): RecordedCall[] =>
    t.slackApi.callsTo('chat.update').filter((call) => !ts || call.body.ts === ts);

  return {
    deliver,
    interact,
    newBug,
    replyAt,
    runAt,
    sweepAt,
    command,
    commandResponse,
    press,
    pressKeepOpen,
    posts,
    updates,
  };
}

export const reload = (db: TestDatabase, bug: { id: number }) => db.orm.em.fork().findOneOrFail(BugReport, bug.id);

export const eventsOf = (db: TestDatabase, bug: { id: number }) =>
  db.orm.em.fork().find(BugEvent, { bugId: bug.id }, { orderBy: { id: 'asc' } });

export async function eventTypesOf(db: TestDatabase, bug: { id: number }): Promise<string[]> {
  return (await eventsOf(db, bug)).map((event) => event.eventType);
}

export async function eventsOfType(db: TestDatabase, type: string): Promise<BugEvent[]> {
  return db.orm.em.fork().find(BugEvent, { eventType: type }, { orderBy: { id: 'asc' } });
}

export const noticesOf = (
  db: TestDatabase,
  where: Partial<Pick<SlackNotice, 'bugId' | 'purpose' | 'channelId' | 'status'>> = {},
) => db.orm.em.fork().find(SlackNotice, where, { orderBy: { id: 'asc' } });

export const sweepRuns = (db: TestDatabase) => db.orm.em.fork().find(SweepRun, {}, { orderBy: { id: 'asc' } });

/** The message the bug's current warning (or reminder) notice posted: its ts, to find its edits. */
export async function postedTsOf(db: TestDatabase, noticeId: number | null | undefined): Promise<string> {
  expect(noticeId).toBeTruthy();
  const notice = await db.orm.em.fork().findOneOrFail(SlackNotice, noticeId!);
  expect(notice.status).toBe('sent');
  expect(notice.resultTs).toBeTruthy();
  return notice.resultTs!;
}

export const textOf = (call: RecordedCall) => String(call.body.text);

/** A call's text as a client without date tokens reads it: each token as its fallback, the wording in SWEEP_TIMEZONE. */
export const fallbackTextOf = (call: RecordedCall) => asFallback(textOf(call));

/** The outbox notice a chat.postMessage carried (message metadata). */
export function noticeIdOf(call: RecordedCall): string | undefined {
  const metadata = call.body.metadata as { event_payload?: { notice_id?: string } } | undefined;
  return metadata?.event_payload?.notice_id;
}

/** The Keep open button of a posted warning, if it has one. */
export function keepOpenButtonOf(call: RecordedCall): Record<string, unknown> | undefined {
  const blocks = (call.body.blocks ?? []) as { type: string; elements?: Record<string, unknown>[] }[];
  return blocks
    .flatMap((block) => (block.type === 'actions' ? (block.elements ?? []) : []))
    .find((element) => element.action_id === ACTIONS.keepOpen);
}

/** Polls until `condition` holds (each turn yields to I/O; nothing waits on the clock for correctness). */
export async function until(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const giveUpAt = performance.now() + 10_000;
  while (performance.now() < giveUpAt) {
    if (await condition()) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error(`never happened: ${what}`);
}

/** Polls PostgreSQL (not the clock) until `count` sessions of this database wait on a lock. */
export async function waitForLockWaiters(client: pg.Client, count: number): Promise<void> {
  for (let i = 0; i < 1000; i += 1) {
    const { rows } = await client.query<{ n: string }>(
      `select count(*) as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`,
    );
    if (Number(rows[0]!.n) >= count) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error(`fewer than ${count} sessions ever waited on a lock`);
}
