// The Bolt receiver for HTTP mode, mounted on bugsweep's own HTTP server at /slack/events. It exists because
// Bolt's HTTPReceiver lets one bad request take the process down (a `null` body throws outside any handler),
// answers odd events with 500 (so Slack retries and may disable the subscription), reads any body size, and acks
// message events before they are stored (so an event that fails to store during a database outage is lost).
// Here: the signature is checked first, anything that is not an object is 400, every authentic request gets a
// 200 unless storing a message failed (then 500, so Slack redelivers it), and unknown interactions are acked at once.
import { type App, isValidSlackRequest, type Receiver, type ReceiverEvent } from '@slack/bolt';
import type { Logger } from '../logger.ts';

/** How long a message event may take to be stored before Slack is told to retry it (Slack waits 3 s). */
const STORE_DEADLINE_MS = 2_500;

export type SlackRequest = { headers: Headers; rawBody: string };
export type SlackAnswer = { status: number; body?: string; contentType?: string };

export class SlackHttpReceiver implements Receiver {
  private app: App | null = null;
  private readonly signingSecret: string;
  private readonly logger: Logger;

  constructor(options: { signingSecret: string; logger: Logger }) {
    this.signingSecret = options.signingSecret;
    this.logger = options.logger;
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
    const timestamp = Number(request.headers.get('x-slack-request-timestamp'));
    const signature = request.headers.get('x-slack-signature') ?? '';
    if (
      !isValidSlackRequest({
        signingSecret: this.signingSecret,
        body: request.rawBody,
        headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': timestamp },
      })
    ) {
      return { status: 401 };
    }
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
      this.logger.warn({ eventId: body.event_id }, 'ignored an event_callback without an event object');
      return { status: 200 };
    }
    return this.dispatch(app, body, request.headers);
  }

  private async dispatch(app: App, body: Record<string, unknown>, headers: Headers): Promise<SlackAnswer> {
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

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function numberHeader(headers: Headers, name: string): number | undefined {
  const value = headers.get(name);
  return value === null ? undefined : Number(value);
}

function contentAnswer(response: unknown): SlackAnswer {
  if (response === undefined || response === null || response === '') return { status: 200 };
  if (typeof response === 'string') return { status: 200, body: response, contentType: 'text/plain' };
  return { status: 200, body: JSON.stringify(response), contentType: 'application/json' };
}
