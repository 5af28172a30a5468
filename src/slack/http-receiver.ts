// The Bolt receiver for HTTP mode, mounted on bugsweep's own HTTP server at /slack/events. It exists because
// Bolt's HTTPReceiver lets one bad request take the process down (a `null` body throws outside any handler),
// answers odd events with 500 (so Slack retries and may disable the subscription), reads any body size, and acks
// message events before they are stored (so an event that fails to store during a database outage is lost).
// Here: the signature is checked first, anything that is not an object is 400, every authentic request gets a
// 200 unless storing a message failed (then 500, so Slack redelivers it), and unknown interactions are acked at once.
// What is not bug traffic is shed here, before Bolt: Bolt runs every request through every listener's middleware
// (about 30 of them, some 30 KB of short-lived objects per request), so a stream of garbage made the young
// generation grow and, while it lasted, made a real report wait behind it. An event of a type bugsweep does not
// listen to, and a message event whose ids are not what Slack sends, are acknowledged with 200 and dropped at once.
// The signature is checked here, not by Bolt's isValidSlackRequest: that one builds an HMAC from the secret string
// and compares through a second HMAC round (tsscmp) on every request; here the key is made once and the digests are
// compared in constant time directly. Slack's scheme: HMAC-SHA256 of `v0:<timestamp>:<body>`, sent as `v0=<hex>`,
// and a request older than five minutes is refused (a replay).
import { createHmac, createSecretKey, type KeyObject, timingSafeEqual } from 'node:crypto';
import type { App, Receiver, ReceiverEvent } from '@slack/bolt';
import type { Logger } from '../logger.ts';
import { HANDLED_EVENT_TYPES } from './listeners/events/index.ts';
import { parseMessageEvent } from './parse/message-event.ts';

/** How long a message event may take to be stored before Slack is told to retry it (Slack waits 3 s). */
const STORE_DEADLINE_MS = 2_500;

/** How old a signed request may be (Slack's advice: five minutes). */
const MAX_REQUEST_AGE_S = 5 * 60;
const SIGNATURE_LENGTH = 'v0='.length + 64;

export type SlackRequest = { headers: { get(name: string): string | null }; rawBody: string };
export type SlackAnswer = { status: number; body?: string; contentType?: string };

export class SlackHttpReceiver implements Receiver {
  private app: App | null = null;
  private readonly signingKey: KeyObject;
  private readonly logger: Logger;

  private readonly onShed: (eventType: string) => void;

  /** `onShed` hears of every event dropped here, by its type (a handled type, or `other`). */
  constructor(options: { signingSecret: string; logger: Logger; onShed?: (eventType: string) => void }) {
    this.signingKey = createSecretKey(Buffer.from(options.signingSecret, 'utf8'));
    this.logger = options.logger;
    this.onShed = options.onShed ?? (() => {});
  }

  init(app: App): void {
    this.app = app;
  }

  // The HTTP server is bugsweep's (src/http/server.ts); Bolt's start and stop have nothing to open or close.
  async start(): Promise<void> {}
  async stop(): Promise<void> {}

  async handle(request: SlackRequest): Promise<SlackAnswer> {
    const app = this.app;
    if (!app) return { status: 503 };
    if (!isSignedBySlack(this.signingKey, request, Date.now())) return { status: 401 };
    const body = parseBody(request.rawBody, request.headers.get('content-type') ?? '');
    if (body === null) {
      this.logger.warn('refused a signed Slack request whose body is not an object');
      return { status: 400, body: 'the body must be a JSON object or a form', contentType: 'text/plain' };
    }
    if (body.ssl_check) return { status: 200 };
    if (body.type === 'url_verification') {
      return { status: 200, body: JSON.stringify({ challenge: body.challenge }), contentType: 'application/json' };
    }
    if (body.type === 'event_callback' && !isObject(body.event)) {
      this.logger.warn({ eventId: eventIdOf(body) }, 'ignored an event_callback without an event object');
      return { status: 200 };
    }
    if (body.type === 'event_callback' && isObject(body.event)) {
      const shed = this.shed(body.event, eventIdOf(body));
      if (shed) return shed;
    }
    return this.dispatch(app, body, request.headers);
  }

  /** An answer for an event that goes no further than here, or null for one Bolt must handle. */
  private shed(event: Record<string, unknown>, eventId: string | undefined): SlackAnswer | null {
    const type = typeof event.type === 'string' ? event.type : '';
    if (!HANDLED_EVENT_TYPES.has(type)) {
      this.onShed('other');
      this.logger.debug({ eventId, eventType: type.slice(0, 64) }, 'ignored an event bugsweep does not listen to');
      return { status: 200 };
    }
    if (type !== 'message') return null;
    // The listener reads it again (src/slack/listeners/events/message-events.ts); here only to drop garbage early.
    const parsed = parseMessageEvent(event, new Date(0));
    if (parsed.kind !== 'invalid') return null;
    this.onShed(type);
    this.logger.warn({ eventId, reason: parsed.reason }, 'message event dropped: it is not what Slack sends');
    return { status: 200 };
  }

  private async dispatch(
    app: App,
    body: Record<string, unknown>,
    headers: SlackRequest['headers'],
  ): Promise<SlackAnswer> {
    const waitsForStore = isMessageEvent(body);
    let answer: (value: SlackAnswer) => void = () => {};
    const answered = new Promise<SlackAnswer>((resolve) => {
      answer = resolve;
    });
    const event: ReceiverEvent = {
      body,
      retryNum: numberHeader(headers, 'x-slack-retry-num'),
      retryReason: headers.get('x-slack-retry-reason') ?? undefined,
      customProperties: {},
      // A message event is answered when it is stored, not when Bolt acks it before the handlers run.
      ack: async (response?: unknown) => {
        if (!waitsForStore) answer(contentAnswer(response));
      },
    };
    const processing = app.processEvent(event).then(
      () => answer({ status: 200 }),
      (error: unknown) => {
        if (!waitsForStore) {
          // Bolt itself failed on something odd; answering 500 would only make Slack send it again.
          this.logger.warn({ err: error }, 'a Slack request could not be processed; acknowledged and dropped');
          answer({ status: 200 });
          return;
        }
        // A message that failed to store (src/slack/app.ts rethrows only those): Slack redelivers on 5xx.
        this.logger.warn({ err: error }, 'a message event could not be stored; Slack will deliver it again');
        answer({ status: 500 });
      },
    );
    if (!waitsForStore) return answered;
    const deadline = new Promise<SlackAnswer>((resolve) => {
      const timer = setTimeout(() => resolve({ status: 500 }), STORE_DEADLINE_MS);
      void processing.finally(() => clearTimeout(timer));
    });
    return Promise.race([answered, deadline]);
  }
}

function isSignedBySlack(key: KeyObject, request: SlackRequest, nowMs: number): boolean {
  const timestamp = request.headers.get('x-slack-request-timestamp') ?? '';
  const signature = request.headers.get('x-slack-signature') ?? '';
  const seconds = Number(timestamp);
  if (timestamp === '' || !Number.isInteger(seconds) || seconds < nowMs / 1000 - MAX_REQUEST_AGE_S) return false;
  if (signature.length !== SIGNATURE_LENGTH || !signature.startsWith('v0=')) return false;
  const given = Buffer.from(signature.slice(3), 'hex');
  const expected = createHmac('sha256', key).update(`v0:${timestamp}:`).update(request.rawBody).digest();
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** JSON, a form with a JSON `payload` (interactions), or a plain form (slash commands); null when not an object. */
function parseBody(raw: string, contentType: string): Record<string, unknown> | null {
  try {
    if (contentType.includes('application/x-www-form-urlencoded')) {
      const form = new URLSearchParams(raw);
      const payload = form.get('payload');
      if (payload !== null) {
        const parsed: unknown = JSON.parse(payload);
        return isObject(parsed) ? parsed : null;
      }
      return Object.fromEntries(form);
    }
    const parsed: unknown = JSON.parse(raw);
    return isObject(parsed) ? parsed : null;
  } catch {
    return null;
  }
}

export function isMessageEvent(body: unknown): boolean {
  return isObject(body) && body.type === 'event_callback' && isObject(body.event) && body.event.type === 'message';
}

function eventIdOf(body: Record<string, unknown>): string | undefined {
  return typeof body.event_id === 'string' ? body.event_id.slice(0, 64) : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function numberHeader(headers: SlackRequest['headers'], name: string): number | undefined {
  const value = headers.get(name);
  return value === null ? undefined : Number(value);
}

function contentAnswer(response: unknown): SlackAnswer {
  if (response === undefined || response === null || response === '') return { status: 200 };
  if (typeof response === 'string') return { status: 200, body: response, contentType: 'text/plain' };
  return { status: 200, body: JSON.stringify(response), contentType: 'application/json' };
}
