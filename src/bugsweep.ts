// Assembles bugsweep from a config and an open database: the part of start-up tests share with main.ts.
import { WebClient } from '@slack/web-api';
import type { AppContext } from './app-context.ts';
import { systemClock, type Clock } from './clock.ts';
import type { Config } from './config.ts';
import type { Orm } from './db/orm.ts';
import type { Logger } from './logger.ts';
import { createIdleNotifier } from './services/notifier/notifier.ts';
import { createSlackApp, type BotIdentity, type SlackApp } from './slack/app.ts';

export type Bugsweep = {
  ctx: AppContext;
  slack: SlackApp;
  /** Starts taking events and the background work. Returns the HTTP port bound. */
  start(): Promise<number>;
  /** Graceful: stop taking events, finish what is in flight, stop background work. Does not close the database. */
  stop(): Promise<void>;
};

export type BugsweepOptions = {
  config: Config;
  orm: Orm;
  logger: Logger;
  clock?: Clock;
  /** Known bot identity (tests); otherwise asked once from Slack with auth.test. */
  identity?: BotIdentity;
};

export async function createBugsweep(options: BugsweepOptions): Promise<Bugsweep> {
  const { config, orm, logger } = options;
  const slackClient = new WebClient(config.slack.botToken, {
    slackApiUrl: config.slack.apiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
  });
  const identity = options.identity ?? (await fetchIdentity(slackClient));
  const ctx: AppContext = { config, orm, logger, clock: options.clock ?? systemClock, slack: slackClient, notifier: createIdleNotifier() };
  const slack = createSlackApp(ctx, identity);

  return {
    ctx,
    slack,
    async start() {
      const port = await slack.start();
      logger.info({ port, mode: config.slack.socketMode ? 'socket' : 'http' }, 'bugsweep is listening');
      return port;
    },
    async stop() {
      await slack.stop();
      await slack.idle();
    },
  };
}

async function fetchIdentity(client: WebClient): Promise<BotIdentity> {
  const auth = await client.auth.test();
  if (!auth.user_id || !auth.bot_id) throw new Error('auth.test did not return the bot identity: is SLACK_BOT_TOKEN a bot token?');
  return { botId: auth.bot_id, botUserId: auth.user_id };
}
