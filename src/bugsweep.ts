// Assembles bugsweep from a config and an open database: the part of start-up tests share with main.ts.
import type { WebClient } from '@slack/web-api';
import type { AppContext, BotIdentity } from './app-context.ts';
import { type Clock, systemClock } from './clock.ts';
import type { Config } from './config.ts';
import { isDatabaseReachable, type Orm } from './db/orm.ts';
import { readBacklogSnapshot } from './db/repositories/metrics.repository.ts';
import { subtractBusinessMs } from './domain/business-hours.ts';
import { hasSlackThread } from './domain/legacy-report.ts';
import { messagePermalink } from './domain/slack-refs.ts';
import { mountMetrics } from './http/metrics-route.ts';
import { createHttpServer, mountOnFirstRequest } from './http/server.ts';
import type { Logger } from './logger.ts';
import { createMetrics } from './metrics/metrics.ts';
import { createOutboxNotifier, type NotifierOptions } from './outbox/outbox-notifier.ts';
import { createDigestScheduler } from './scheduler/digest-scheduler.ts';
import { createSweepScheduler, type SweepScheduler, type SweepSchedulerOptions } from './scheduler/sweep-scheduler.ts';
import { createDeveloperDirectory, type DeveloperDirectoryOptions } from './services/developer-directory.ts';
import { backfillFingerprints } from './services/fingerprint-backfill.ts';
import { reclassifyUnknownSenders } from './services/sender-reclassification.ts';
import { createThreadCatchUp, type ThreadCatchUp, type ThreadCatchUpOptions } from './services/thread-catch-up.ts';
import type { SlackApp } from './slack/app.ts';
import { socketModeClientOf, trackSocketMode } from './slack/socket-health.ts';
import { createSlackThreadReader } from './slack/thread-reader.ts';
import { createSlackClient } from './slack/web-client.ts';

export { createSlackClient, slackClientOptions } from './slack/web-client.ts';

export type Bugsweep = {
  ctx: AppContext;
  slack: SlackApp;
  scheduler: SweepScheduler;
  catchUp: ThreadCatchUp;
  /** Starts taking events and the background work (notifier, schedule). Returns the HTTP port bound. */
  start(): Promise<number>;
  /** Graceful: stop taking events, finish what is in flight, stop the scheduler and the notifier. Leaves the database open. */
  stop(): Promise<void>;
};

/**
 * main.ts passes only config, orm and logger. Every other option is a test seam (the command line passes
 * `identity`): tests set the clock, the bot's identity, short intervals and whether the schedule runs.
 */
export type BugsweepOptions = {
  config: Config;
  orm: Orm;
  logger: Logger;
  /** Test seam: a TestClock's `now`; the system clock otherwise. */
  clock?: Clock;
  /** Known bot identity (tests, the command line); otherwise asked once from Slack with auth.test. */
  identity?: BotIdentity;
  /** Test seam: the notifier's pacing (tests turn it off or down). */
  notifier?: NotifierOptions;
  /** Test seam: how often the user group is fetched again. */
  developers?: DeveloperDirectoryOptions;
  /** Test seam: the catch-up's probe and retry intervals. */
  catchUp?: ThreadCatchUpOptions;
  /** Test seam: run the sweep on its schedule (default). Most tests call the sweep directly instead. */
  runSchedule?: boolean;
  /** Test seam: how often the scheduler reads the stored schedule (`/bugs sweep schedule`). */
  scheduler?: SweepSchedulerOptions;
};

/** Everything services need, without the Slack app: shared by the bot and the operator command line. */
export function createAppContext(
  options: BugsweepOptions & { identity: BotIdentity; slack?: WebClient; shutdown?: AbortSignal },
): AppContext {
  const { config, orm, logger, identity } = options;
  const clock = options.clock ?? systemClock;
  const metrics = createMetrics(() => {
    // The sweep's clocks count business time under BUSINESS_HOURS: the thresholds are taken on its calendar.
    const now = clock();
    return readBacklogSnapshot(orm.em.fork(), now, {
      warnFrom: subtractBusinessMs(now, config.autoCloseAfterMs - config.autoCloseWarningMs, config.businessCalendar),
      idleFrom: subtractBusinessMs(now, config.claimReleaseAfterMs, config.businessCalendar),
      ...(config.autoClosePolicy === 'waiting-on-reporter' ? { warnTurn: 'reporter' as const } : {}),
    });
  }, clock);
  // Every Web API call the services make is counted by method and outcome.
  const slack = options.slack ?? createSlackClient(config, metrics.webApiCall);
  const ctx: AppContext = {
    metrics,
    config,
    orm,
    logger,
    clock,
    slack,
    notifier: createOutboxNotifier(
      {
        orm,
        slack,
        clock,
        logger,
        botId: identity.botId || undefined,
        metrics,
        showTurn: config.autoClosePolicy === 'waiting-on-reporter',
        engagementExempt: config.engagementExempt,
        timeZone: config.sweep.timezone,
      },
      options.notifier,
    ),
    developers: createDeveloperDirectory({ config, slack, clock, logger }, options.developers),
    catchUp: { storeFailed: () => {} },
    identity,
    shutdown: options.shutdown ?? new AbortController().signal,
    permalinkFor: (channelId, ts, threadTs) => messagePermalink(identity.workspaceUrl, channelId, ts, threadTs),
    threadLinkFor: (bug) =>
      hasSlackThread(bug) ? messagePermalink(identity.workspaceUrl, bug.channelId, bug.threadTs) : null,
  };
  ctx.developers.onMembersLoaded((developers) => reclassifyUnknownSenders(ctx, developers));
  return ctx;
}

export async function createBugsweep(options: BugsweepOptions): Promise<Bugsweep> {
  const { config, logger } = options;
  // Loaded here, not at the top: the command line imports this file for createAppContext and needs neither Bolt
  // nor the MCP server (about a second of every command's start).
  const [{ createSlackApp }, { mountMcp }] = await Promise.all([
    import('./slack/app.ts'),
    import('./http/mcp-route.ts'),
  ]);
  const identity = options.identity ?? (await fetchIdentity(createSlackClient(config)));
  const shutdown = new AbortController();
  const ctx = createAppContext({ ...options, identity, shutdown: shutdown.signal });
  const catchUp = createThreadCatchUp(ctx, createSlackThreadReader(ctx), options.catchUp);
  ctx.catchUp = catchUp;
  const slack = createSlackApp(ctx);
  const scheduler = createSweepScheduler(ctx, options.scheduler);
  const digests = createDigestScheduler(ctx);
  const http = createHttpServer({
    logger: logger.child({ component: 'http' }),
    databaseReachable: () => isDatabaseReachable(ctx.orm),
    ...(config.slack.socketMode ? { parts: [trackSocketMode(socketModeClientOf(slack.app), ctx.clock)] } : {}),
    ...(slack.receiver ? { slack: slack.receiver } : {}),
    mount: (app) => {
      mountMetrics(app, ctx);
      // Loaded by its first request: zod-openapi and the route table are not held by an idle bot.
      mountOnFirstRequest(app, '/api/v1', async () => (await import('./http/api/agent-api.ts')).createAgentApi(ctx));
      mountMcp(app, ctx);
    },
  });

  let listening = false;
  let backfill: Promise<unknown> = Promise.resolve();
  return {
    ctx,
    slack,
    scheduler,
    catchUp,
    async start() {
      // Marked before the sweep can run: no open bug is closed before its thread has been read back.
      await catchUp.start();
      const port = await http.listen(config.slack.port);
      listening = true;
      await slack.start();
      ctx.notifier.start();
      // Bugs filed before grouping existed get their fingerprints and telemetry ids, in the background.
      backfill = backfillFingerprints(ctx).catch((error: unknown) =>
        logger.error({ err: error }, 'the fingerprint backfill failed; the bugs left are done at the next start'),
      );
      if (options.runSchedule !== false) {
        await scheduler.start();
        digests.start();
      }
      logger.info(
        { port, mode: config.slack.socketMode ? 'socket' : 'http', schedule: scheduler.schedule()?.schedule ?? null },
        'bugsweep is listening',
      );
      return port;
    },
    async stop() {
      shutdown.abort();
      // Each step runs whatever happened before: a half-started app still stops what did start.
      try {
        if (listening) {
          await http.close();
          await slack.stop();
        }
        await slack.idle();
      } finally {
        try {
          await Promise.all([scheduler.stop(), digests.stop(), catchUp.stop(), backfill]);
        } finally {
          await ctx.notifier.stop();
        }
      }
    },
  };
}

async function fetchIdentity(client: WebClient): Promise<BotIdentity> {
  const auth = await client.auth.test().catch((error: unknown) => {
    const reason = (error as { data?: { error?: string } }).data?.error ?? (error as Error).message;
    throw new Error(
      `could not ask Slack who the bot is (auth.test at SLACK_API_URL): ${reason}. Check SLACK_BOT_TOKEN and the network.`,
      { cause: error },
    );
  });
  if (!auth.user_id || !auth.bot_id)
    throw new Error('auth.test did not return the bot identity: is SLACK_BOT_TOKEN a bot token?');
  return {
    botId: auth.bot_id,
    botUserId: auth.user_id,
    workspaceUrl: auth.url ?? 'https://slack.com/',
    ...(auth.app_id ? { appId: auth.app_id } : {}),
    ...(auth.team_id ? { teamId: auth.team_id } : {}),
  };
}
