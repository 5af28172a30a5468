// Requests into the bot, signed exactly as Slack signs them (v0 HMAC-SHA256 over "v0:timestamp:body").
import { createHmac } from 'node:crypto';

export const TEST_SIGNING_SECRET = 'test-signing-secret-0123456789abcdef';

export type SlackResponse = { status: number; text: string; json(): unknown };

export function signature(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export async function postSigned(
  baseUrl: string,
  body: string,
  contentType: string,
  options: { secret?: string; headers?: Record<string, string>; tamper?: boolean } = {},
): Promise<SlackResponse> {
  const timestamp = Math.floor(Date.now() / 1000);
  const sig = signature(options.secret ?? TEST_SIGNING_SECRET, timestamp, body);
  const res = await fetch(`${baseUrl}/slack/events`, {
    method: 'POST',
    headers: {
      'content-type': contentType,
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': options.tamper ? sig.replace(/.$/, (c) => (c === '0' ? '1' : '0')) : sig,
      ...options.headers,
    },
    body,
  });
  const text = await res.text();
  return { status: res.status, text, json: () => JSON.parse(text) };
}

/** An Events API delivery (event_callback envelope). `retryNum` adds Slack's retry headers. */
export function sendEvent(
  baseUrl: string,
  event: Record<string, unknown>,
  options: { eventId?: string; retryNum?: number } = {},
) {
  const envelope = {
    token: 'legacy-verification-token',
    team_id: 'TTEAM',
    api_app_id: 'AAPP',
    event,
    type: 'event_callback',
    event_id: options.eventId ?? `Ev${Math.random().toString(36).slice(2, 12).toUpperCase()}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [
      { enterprise_id: null, team_id: 'TTEAM', user_id: 'UBUGSWEEP', is_bot: true, is_enterprise_install: false },
    ],
    is_ext_shared_channel: false,
  };
  const headers: Record<string, string> = options.retryNum
    ? { 'x-slack-retry-num': String(options.retryNum), 'x-slack-retry-reason': 'http_timeout' }
    : {};
  return postSigned(baseUrl, JSON.stringify(envelope), 'application/json', { headers });
}

/** A slash command, form-encoded as Slack sends it. */
export function sendSlashCommand(
  baseUrl: string,
  fields: {
    userId: string;
    text: string;
    channelId?: string;
    userName?: string;
    triggerId?: string;
    responseUrl?: string;
  },
) {
  const form = new URLSearchParams({
    token: 'legacy-verification-token',
    team_id: 'TTEAM',
    team_domain: 'example',
    channel_id: fields.channelId ?? 'CBUGS',
    channel_name: 'bugs',
    user_id: fields.userId,
    user_name: fields.userName ?? fields.userId.toLowerCase(),
    command: '/bugs',
    text: fields.text,
    api_app_id: 'AAPP',
    is_enterprise_install: 'false',
    // Never a real Slack host: a response_url call lands on the loopback fake (or nowhere).
    response_url: fields.responseUrl ?? 'http://127.0.0.1:9/commands/fake',
    trigger_id: fields.triggerId ?? '13345224609.738474920.8088930838d88f008e0',
  });
  return postSigned(baseUrl, form.toString(), 'application/x-www-form-urlencoded');
}

/** Interactivity (block_actions, view_submission, message_action...): form field `payload` holding JSON. */
export function sendInteraction(baseUrl: string, payload: Record<string, unknown>) {
  const form = new URLSearchParams({ payload: JSON.stringify(payload) });
  return postSigned(baseUrl, form.toString(), 'application/x-www-form-urlencoded');
}
