// Builds the Bolt app for either mode, with /healthz, in-flight tracking and one error handler.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { App, type CustomRoute, LogLevel } from '@slack/bolt';
import type { AppContext } from '../app-context.ts';
import { isDatabaseReachable } from '../db/orm.ts';
import { registerListeners } from './listeners/index.ts';

export type SlackApp = {
  app: App;
  /** Starts listening: HTTP on PORT, or Socket Mode plus the health endpoint on PORT. Returns the bound port. */
  start(): Promise<number>;
  /** Stops taking events; what is in flight finishes (see idle). */
  stop(): Promise<void>;
  /** Resolves when every handler that has started has finished. */
  idle(): Promise<void>;
};

export function createSlackApp(ctx: AppContext): SlackApp {
  const { config, logger, identity } = ctx;
  const inFlight = new Set<Promise<unknown>>();

  const healthRoute: CustomRoute = {
    path: '/healthz',
    method: ['GET'],
    handler: (_req: IncomingMessage, res: ServerResponse) => {
      void isDatabaseReachable(ctx.orm).then((ok) => {
        res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ status: ok ? 'ok' : 'unavailable', database: ok ? 'reachable' : 'unreachable' }));
      });
    },
  };

  const clientOptions = { slackApiUrl: config.slack.apiUrl, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true };
  const app = new App({
    token: config.slack.botToken,
    botId: identity.botId,
    botUserId: identity.botUserId,
    // The identity comes from one auth.test at start-up (src/bugsweep.ts); Bolt need not ask again.
    tokenVerificationEnabled: false,
    // bugsweep's own posts in a bug thread are stored as `bot` rows, so it must see them.
    ignoreSelf: false,
    logger: boltLogger(ctx),
    logLevel: LogLevel.WARN,
    customRoutes: [healthRoute],
    // The notifier owns retries and pacing; WebClient must fail fast instead of sleeping inside a handler.
    clientOptions,
    ...(config.slack.socketMode
      ? // Socket Mode's own client (apps.connections.open) takes its options from installerOptions.
        {
          socketMode: true,
          appToken: config.slack.appToken,
          installerOptions: { port: config.slack.port, clientOptions },
        }
      : { signingSecret: config.slack.signingSecret, port: config.slack.port }),
  });

  // Track every incoming request from the moment the receiver hands it over (events are acked before any
  // middleware runs), so shutdown and tests can wait for in-flight work.
  const processEvent = app.processEvent.bind(app);
  app.processEvent = (event) => {
    const running = processEvent(event);
    inFlight.add(running);
    void running.finally(() => inFlight.delete(running)).catch(() => {});
    return running;
  };

  app.error(async (error) => {
    // A failing handler is logged and never crashes the process; services roll their transaction back.
    logger.error({ err: error }, 'slack handler failed');
  });

  registerListeners(app, ctx);

  let boundPort = config.slack.port;
  return {
    app,
    async start() {
      const started = (await app.start(config.slack.port)) as unknown;
      const address = config.slack.socketMode ? null : (started as { address?: () => unknown }).address?.();
      if (address && typeof address === 'object' && 'port' in address) boundPort = Number(address.port);
      return boundPort;
    },
    async stop() {
      await app.stop();
    },
    async idle() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
  };
}

function boltLogger(ctx: AppContext) {
  const log = ctx.logger.child({ component: 'bolt' });
  let level: LogLevel = LogLevel.WARN;
  return {
    debug: (...msg: unknown[]) => log.debug(msg.map(String).join(' ')),
    info: (...msg: unknown[]) => log.info(msg.map(String).join(' ')),
    warn: (...msg: unknown[]) => log.warn(msg.map(String).join(' ')),
    error: (...msg: unknown[]) => log.error(msg.map(String).join(' ')),
    setLevel: (next: LogLevel) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
