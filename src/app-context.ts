// The one bag of dependencies (config, ORM, clock, Slack client, notifier, metrics...) every service and listener
// takes as its first argument, and the bot's own identity in the workspace.
import type { WebClient } from '@slack/web-api';
import type { Clock } from './clock.ts';
import type { Config } from './config.ts';
import type { Orm } from './db/orm.ts';
import type { Logger } from './logger.ts';
import type { Metrics } from './metrics/metrics.ts';
import type { Notifier } from './outbox/notifier.ts';
import type { DeveloperDirectory } from './services/developer-directory.ts';
import type { ThreadCatchUp } from './services/thread-catch-up.ts';

/** Who bugsweep is in the workspace: from one auth.test at start-up (tests pass it in). */
export type BotIdentity = {
  botId: string;
  botUserId: string;
  workspaceUrl: string;
  /** The app and its workspace, when auth.test names them: links to the bot's App Home. */
  appId?: string;
  teamId?: string;
};

/** What services and listeners are built from. Assembled once by createBugsweep (src/bugsweep.ts). */
export type AppContext = {
  config: Config;
  orm: Orm;
  logger: Logger;
  clock: Clock;
  /** Web API client pointed at SLACK_API_URL; WebClient's own retries are off, the notifier owns retrying. */
  slack: WebClient;
  /** Sends the outbox after commit; call kick() once a transaction that enqueued notices has committed. */
  notifier: Notifier;
  developers: DeveloperDirectory;
  /** Prometheus counters and histograms (GET /metrics); the gauges read PostgreSQL at scrape time. */
  metrics: Metrics;
  /** Reads back replies that could not be stored (issue 12); the command line's does nothing. */
  catchUp: Pick<ThreadCatchUp, 'storeFailed'>;
  identity: BotIdentity;
  /** Aborted when the process is shutting down: long work (a sweep run) stops between items. */
  shutdown: AbortSignal;
  /** Link to a message; pass the thread's ts for a reply. */
  permalinkFor(channelId: string, ts: string, threadTs?: string | null): string;
  /** Link to a bug's thread; null for an imported bug never posted to Slack, which lists show unlinked. */
  threadLinkFor(bug: { channelId: string; threadTs: string }): string | null;
};
