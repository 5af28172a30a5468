// Builds the Bolt app for either mode, with in-flight tracking and one error handler.
import { App, LogLevel } from '@slack/bolt';
import type { AppContext } from '../app-context.ts';
import { isMessageEvent, SlackHttpReceiver } from './http-receiver.ts';
import { HANDLED_EVENT_TYPES } from './listeners/events/index.ts';
import { messageEventHandler } from './listeners/events/message-events.ts';
import { registerListeners } from './listeners/index.ts';
import { slackClientOptions } from './web-client.ts';

export type SlackApp = {
  app: App;
  /** In HTTP mode, what /slack/events hands requests to (src/http/server.ts); null in Socket Mode. */
  receiver: SlackHttpReceiver | null;
  /** Starts taking events: opens the socket in Socket Mode; in HTTP mode the HTTP server is already listening. */
  start(): Promise<void>;
  /** Stops taking events; what is in flight finishes (see idle). */
  stop(): Promise<void>;
  /** Resolves when every handler that has started has finished. */
  idle(): Promise<void>;
};

export function createSlackApp(ctx: AppContext): SlackApp {
  const { config, logger, identity } = ctx;
  const inFlight = new Set<Promise<unknown>>();

  const clientOptions = slackClientOptions(config);
  const receiver = config.slack.socketMode
    ? null
    : new SlackHttpReceiver({
        signingSecret: config.slack.signingSecret ?? '',
        logger: logger.child({ component: 'slack-http' }),
        onShed: (type) => ctx.metrics.slackEvent(type),
      });
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
    // The notifier owns retries and pacing; WebClient must fail fast instead of sleeping inside a handler.
    clientOptions,
    // No listener reads context.conversation: Bolt's in-memory conversation store would only cost every event a
    // lookup (and the memory of every conversation seen).
    convoStore: false,
    ...(receiver
      ? { receiver }
      : // Socket Mode's own client (apps.connections.open) takes its options from installerOptions: only the base
        // URL, so it keeps its own retries. With `retries: 0` one 5xx or network error while reconnecting was
        // final (the client counts those as unrecoverable) and became an unhandled rejection.
        {
          socketMode: true,
          appToken: config.slack.appToken,
          installerOptions: { clientOptions: { slackApiUrl: config.slack.apiUrl, fetch: clientOptions.fetch } },
        }),
  });

  // Track every incoming request from the moment the receiver hands it over (events are acked before any
  // middleware runs), so shutdown and tests can wait for in-flight work.
  const processEvent = app.processEvent.bind(app);
  // A message event (most of the traffic) goes straight to its handler: Bolt would run a copy of every registered
  // listener's middleware chain for it (about 35 KB allocated per event, measured), and would acknowledge it before
  // it is stored. Nothing else listens to messages. It is acknowledged once stored: over HTTP the receiver answers
  // then (its ack of a message does nothing); in Socket Mode the envelope is acked then, and a message that could not
  // be stored is not, so Slack delivers it again. A failure rejects here as it would through the error handler below.
  const storeMessageEvent = messageEventHandler(ctx);
  app.processEvent = (event) => {
    const type = requestType(event.body);
    ctx.metrics.slackEvent(type);
    const started = performance.now();
    const running = isMessageEvent(event.body)
      ? storeMessageEvent(event.body.event, event.body.event_id).then(() => event.ack())
      : processEvent(event);
    void running.finally(() => ctx.metrics.eventHandled(type, (performance.now() - started) / 1000)).catch(() => {});
    inFlight.add(running);
    void running.finally(() => inFlight.delete(running)).catch(() => {});
    return running;
  };

  // A message event never gets here (it skips Bolt's dispatch, and is not acknowledged when it could not be stored,
  // so Slack delivers it again). Any other failing handler is logged and never crashes the process;
  // services roll their transaction back.
  app.error(async (error) => {
    logger.error({ err: error }, 'slack handler failed');
  });

  registerListeners(app, ctx);

  return {
    app,
    receiver,
    async start() {
      await app.start();
    },
    async stop() {
      await app.stop();
    },
    async idle() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
  };
}

/** Interaction payload types Slack sends; the others are counted as `other`. */
const PAYLOAD_TYPES: ReadonlySet<string> = new Set([
  'block_actions',
  'block_suggestion',
  'view_submission',
  'view_closed',
  'shortcut',
  'message_action',
  'interactive_message',
  'dialog_submission',
  'event_callback',
  'url_verification',
]);

/**
 * What a Slack request is, for counting: the event's type, the slash command, or the payload's type. Only types
 * bugsweep knows become a label; anything else is `other`, so signed garbage with made-up types cannot grow the
 * metrics' label sets (each kept for the life of the process) without bound.
 */
function requestType(body: Record<string, unknown>): string {
  const event = body.event;
  if (typeof event === 'object' && event !== null && 'type' in event) {
    return typeof event.type === 'string' && HANDLED_EVENT_TYPES.has(event.type) ? event.type : 'other';
  }
  if (typeof body.command === 'string') return 'slash_command';
  return typeof body.type === 'string' && PAYLOAD_TYPES.has(body.type) ? body.type : 'other';
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
