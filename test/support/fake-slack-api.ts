// A loopback stand-in for Slack's Web API, reached through SLACK_API_URL, for the end-to-end tests that start the
// bot as a process. It records every call and answers with Slack-shaped responses; tests can script failures
// (HTTP 429 with Retry-After, 5xx, ok:false errors, a dropped connection). Tests that run the bot in-process
// use the same script through nock instead (nock-slack-api.ts).
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type RecordedCall = { method: string; body: Record<string, unknown>; at: number };

/** An HTTP answer, or a connection dropped without one (`networkError` names the socket error, e.g. ECONNRESET). */
export type Reply =
  | { status: number; body: Record<string, unknown>; headers?: Record<string, string> }
  | { networkError: string };

/** A fixed answer, or a function of the call (which may take its time: a promise holds the answer back). */
export type ScriptedReply = Reply | ((call: RecordedCall) => Reply | undefined | Promise<Reply | undefined>);

export type FakeSlackApi = {
  url: string;
  calls: RecordedCall[];
  /** Calls of one Web API method, in order. */
  callsTo(method: string): RecordedCall[];
  /** Answers the next call(s) of `method` with this reply, once each, before the defaults. */
  enqueue(method: string, ...replies: ScriptedReply[]): void;
  /** Replaces the default answer of `method` (a function may return undefined to fall back). */
  on(method: string, reply: ScriptedReply): void;
  reset(): void;
  close(): Promise<void>;
};

export const FAKE_BOT = {
  botId: 'BBUGSWEEP',
  botUserId: 'UBUGSWEEP',
  teamId: 'TTEAM',
  appId: 'ABUGSWEEP',
  workspaceUrl: 'https://example.slack.com/',
} as const;

let tsSeq = 0;
function nextMessageTs(): string {
  tsSeq += 1;
  return `1800000000.${String(tsSeq).padStart(6, '0')}`;
}

function defaultReply(call: RecordedCall): Reply {
  const channel = call.body.channel as string | undefined;
  switch (call.method) {
    case 'auth.test':
      return {
        status: 200,
        body: {
          ok: true,
          url: FAKE_BOT.workspaceUrl,
          team: 'Example',
          user: 'bugsweep',
          team_id: FAKE_BOT.teamId,
          app_id: FAKE_BOT.appId,
          user_id: FAKE_BOT.botUserId,
          bot_id: FAKE_BOT.botId,
        },
      };
    case 'chat.postMessage': {
      const ts = nextMessageTs();
      return {
        status: 200,
        body: {
          ok: true,
          channel,
          ts,
          message: {
            type: 'message',
            text: call.body.text,
            user: FAKE_BOT.botUserId,
            bot_id: FAKE_BOT.botId,
            ts,
            thread_ts: call.body.thread_ts,
          },
        },
      };
    }
    case 'chat.update':
      return { status: 200, body: { ok: true, channel, ts: call.body.ts, text: call.body.text } };
    case 'chat.postEphemeral':
      return { status: 200, body: { ok: true, message_ts: nextMessageTs() } };
    case 'chat.getPermalink':
      return {
        status: 200,
        body: {
          ok: true,
          channel,
          permalink: `https://example.slack.com/archives/${channel}/p${String(call.body.message_ts).replace('.', '')}`,
        },
      };
    case 'conversations.replies':
      return { status: 200, body: { ok: true, messages: [], has_more: false } };
    case 'usergroups.users.list':
      return { status: 200, body: { ok: true, users: [] } };
    case 'views.open':
    case 'views.update':
    case 'views.push':
      return { status: 200, body: { ok: true, view: { id: 'VFAKE', ...(call.body.view as object) } } };
    case 'users.info':
      return { status: 200, body: { ok: true, user: { id: call.body.user, name: 'someone', is_bot: false } } };
    default:
      return { status: 200, body: { ok: true } };
  }
}

export async function startFakeSlackApi(): Promise<FakeSlackApi> {
  const script = createSlackApiScript();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      const method = (req.url ?? '').replace(/^\/api\//, '').split('?')[0] ?? '';
      const raw = Buffer.concat(chunks).toString('utf8');
      const reply = await script.answer(method, raw, req.headers['content-type'] ?? '');
      if ('networkError' in reply) {
        // The connection drops without an answer, as a reset from a proxy or Slack's edge would.
        req.socket.destroy();
        return;
      }
      res.writeHead(reply.status, { 'content-type': 'application/json', ...(reply.headers ?? {}) });
      res.end(JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    ...script.api,
    url: `http://127.0.0.1:${port}/api/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * What both fakes share (this loopback server and the nock interceptor of nock-slack-api.ts): the record of calls,
 * the scripted replies and Slack-shaped default answers. `answer` records one call and says how to answer it.
 */
export function createSlackApiScript() {
  const calls: RecordedCall[] = [];
  const queued = new Map<string, ScriptedReply[]>();
  const overrides = new Map<string, ScriptedReply>();
  const api: Omit<FakeSlackApi, 'url' | 'close'> = {
    calls,
    callsTo: (method) => calls.filter((call) => call.method === method),
    enqueue: (method, ...replies) => queued.set(method, [...(queued.get(method) ?? []), ...replies]),
    on: (method, reply) => overrides.set(method, reply),
    reset: () => {
      calls.length = 0;
      queued.clear();
      overrides.clear();
    },
  };
  async function answer(method: string, raw: string, contentType: string): Promise<Reply> {
    const call: RecordedCall = { method, body: parseBody(raw, contentType), at: Date.now() };
    calls.push(call);
    return (await resolveReply(call, queued.get(method)?.shift() ?? overrides.get(method))) ?? defaultReply(call);
  }
  return { api, answer };
}

function resolveReply(call: RecordedCall, reply: ScriptedReply | undefined) {
  if (!reply) return undefined;
  return typeof reply === 'function' ? reply(call) : reply;
}

/** WebClient sends form-encoded bodies where nested values (blocks, view, metadata) are JSON strings. */
function parseBody(raw: string, contentType: string): Record<string, unknown> {
  if (contentType.includes('application/json')) return raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
  const body: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    body[key] = /^[[{]/.test(value) ? safeJson(value) : value;
  }
  return body;
}

function safeJson(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}
