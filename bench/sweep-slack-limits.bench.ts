// The sweep at Slack's real limits (issue 17): 300 stale, warned bugs over 30 channels are closed by one sweep,
// against a loopback fake Web API that enforces what Slack enforces: one chat.postMessage per second per channel
// (a short burst allowed, 429 with Retry-After beyond) and Tier 3 on chat.update (50 a minute for the workspace,
// a sliding window). Prints how long the close notices took against the per-channel floor, the 429s, notices
// doubled or missing, and when every card showed its final state. Prints figures; asserts nothing.
//   npm run bench:sweep -- [bugs=300] [channels=30] [cards=wait|skip] [maxWaitMs=1800000]

import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createAppContext } from '../src/bugsweep.ts';
import { loadConfig } from '../src/config.ts';
import { startEmbeddedPostgres } from '../src/db/embedded-postgres.ts';
import { migrateToLatest, openOrm } from '../src/db/orm.ts';
import { createLogger } from '../src/logger.ts';
import { runSweep } from '../src/services/sweep/sweep-runner.ts';
import { benchArgs } from './support.ts';

const POST_BURST = 3;
const TIER3_PER_MINUTE = 50;

type Call = { method: string; at: number; status: number; body: URLSearchParams };

/** A Web API that enforces Slack's posting limit per channel and the Tier 3 limit on chat.update. */
async function startRateLimitedSlack() {
  const calls: Call[] = [];
  const postBuckets = new Map<string, { tokens: number; at: number }>();
  const updates: number[] = [];
  let seq = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const method = (req.url ?? '').replace(/^\/api\//, '').split('?')[0] ?? '';
      const body = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      const now = Date.now();
      const answer = (status: number, payload: object, headers: Record<string, string> = {}) => {
        calls.push({ method, at: now, status, body });
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(payload));
      };
      if (method === 'chat.postMessage') {
        const channel = body.get('channel') ?? '';
        const bucket = postBuckets.get(channel) ?? { tokens: POST_BURST, at: now };
        bucket.tokens = Math.min(POST_BURST, bucket.tokens + (now - bucket.at) / 1000);
        bucket.at = now;
        postBuckets.set(channel, bucket);
        if (bucket.tokens < 1) return answer(429, { ok: false, error: 'ratelimited' }, { 'retry-after': '1' });
        bucket.tokens -= 1;
        seq += 1;
        return answer(200, { ok: true, channel, ts: `1900000000.${String(seq).padStart(6, '0')}` });
      }
      if (method === 'chat.update') {
        while (updates.length > 0 && updates[0]! <= now - 60_000) updates.shift();
        if (updates.length >= TIER3_PER_MINUTE) {
          const retry = Math.ceil((updates[0]! + 60_000 - now) / 1000);
          return answer(429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(retry) });
        }
        updates.push(now);
        return answer(200, { ok: true, channel: body.get('channel'), ts: body.get('ts') });
      }
      return answer(200, { ok: true, messages: [] });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/`,
    calls,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const probe = http.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });

export type SweepBenchResult = {
  bugs: number;
  channels: number;
  closed: number;
  sweptMs: number;
  /** When every close notice was out, ms after the sweep started; null when not all were by the deadline. */
  closesDoneMs: number | null;
  closesOut: number;
  floorMs: number;
  /** closesDoneMs ÷ floorMs. */
  timeOverFloor: number | null;
  calls: number;
  answered429: number;
  percent429: number;
  doubled: number;
  missing: number;
  /** Only when waiting for the cards: when every card was in its final state, and how many were not. */
  cardsDoneMs: number | null;
  cardsNotFinal: number | null;
};

export async function benchSweep(
  options: { bugs?: number; channels?: number; waitForCards?: boolean; maxWaitMs?: number } = {},
): Promise<SweepBenchResult> {
  const BUGS = options.bugs ?? 300;
  const CHANNELS = options.channels ?? 30;
  const WAIT_FOR_CARDS = options.waitForCards ?? true;
  const MAX_WAIT_MS = options.maxWaitMs ?? 30 * 60_000;
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'bugsweep-bench-sweep-'));
  const server = await startEmbeddedPostgres({ dataDir, port: await freePort(), persistent: false });
  const slack = await startRateLimitedSlack();
  try {
    await server.createDatabase('bench');
    const orm = await openOrm(server.urlFor('bench'));
    await migrateToLatest(orm);
    const em = orm.em.fork();
    // Bugs idle for 10 days whose warning has been visible for 2 days and whose stated close time has passed; each
    // has its card in its thread already. One sweep closes them all: a close notice and a card refresh each.
    await em.execute(`
    insert into slack_notices (id, bug_id, purpose, channel_id, thread_ts, payload, status, attempts, next_attempt_at, created_at, sent_at, result_ts)
    select g, null, 'warning', 'C' || lpad((g % ${CHANNELS})::text, 4, '0'), '1800000000.' || lpad(g::text, 6, '0'),
           '{"text":"warning"}', 'sent', 1, now() - interval '2 days', now() - interval '2 days', now() - interval '2 days',
           '1800000001.' || lpad(g::text, 6, '0')
    from generate_series(1, ${BUGS}) g`);
    await em.execute(`
    insert into bug_reports (id, ref, title, status, reporter_id, channel_id, thread_ts, created_at, updated_at,
                             last_activity_at, warned_at, warning_notice_id, auto_close_at, card_ts)
    select g, 'BUG-' || g, 'bug ' || g, 'open', 'U' || (g % 50), 'C' || lpad((g % ${CHANNELS})::text, 4, '0'),
           '1800000000.' || lpad(g::text, 6, '0'), now() - interval '10 days', now() - interval '2 days',
           now() - interval '10 days' + g * interval '1 second', now() - interval '2 days', g, now() - interval '1 hour',
           '1800000002.' || lpad(g::text, 6, '0')
    from generate_series(1, ${BUGS}) g`);
    await em.execute(`update slack_notices set bug_id = id`);
    await em.execute(`select setval(pg_get_serial_sequence('bug_reports', 'id'), ${BUGS})`);
    await em.execute(`select setval(pg_get_serial_sequence('slack_notices', 'id'), ${BUGS})`);

    const config = loadConfig({
      SLACK_BOT_TOKEN: 'xoxb-bench',
      SLACK_SIGNING_SECRET: 'bench',
      BUG_CHANNELS: 'C0000',
      DEVELOPER_USERS: 'UDEV',
      SLACK_API_URL: slack.url,
      SWEEP_MAX_ITEMS: String(BUGS * 2),
      LOG_LEVEL: 'silent',
    });
    const logger = createLogger({ level: 'silent', pretty: false });
    const ctx = createAppContext({
      config,
      orm,
      logger,
      identity: { botId: 'BBENCH', botUserId: 'UBENCH', workspaceUrl: 'https://bench.slack.com/' },
    });

    const perChannel = Math.ceil(BUGS / CHANNELS);
    const floorMs = perChannel * 1000;
    const started = Date.now();
    ctx.notifier.start();
    const result = await runSweep(ctx, { trigger: 'admin', triggeredBy: 'UADMIN' });
    const sweptMs = Date.now() - started;
    const closes = () => slack.calls.filter((c) => c.method === 'chat.postMessage' && c.status === 200);
    const cardsDone = () => slack.calls.filter((c) => c.method === 'chat.update' && c.status === 200);
    const deadline = started + MAX_WAIT_MS;
    let closesDoneAt: number | null = null;
    while (Date.now() < deadline) {
      if (closesDoneAt === null && closes().length >= BUGS) closesDoneAt = Date.now();
      if (closesDoneAt !== null && (!WAIT_FOR_CARDS || cardsDone().length >= BUGS)) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const cardsDoneAt = Date.now();
    await ctx.notifier.stop();

    const threads = new Map<string, number>();
    for (const call of closes()) {
      const key = `${call.body.get('channel')}/${call.body.get('thread_ts')}`;
      threads.set(key, (threads.get(key) ?? 0) + 1);
    }
    const doubled = [...threads.values()].filter((n) => n > 1).length;
    const missing = BUGS - threads.size;
    const finalCards = new Map<string, string>();
    for (const call of cardsDone()) finalCards.set(call.body.get('ts') ?? '', call.body.get('text') ?? '');
    const cardsNotFinal = BUGS - [...finalCards.values()].filter((text) => /Closed/.test(text)).length;
    const limited = slack.calls.filter((c) => c.status === 429).length;

    await orm.close(true);
    return {
      bugs: BUGS,
      channels: CHANNELS,
      closed: result.kind === 'ran' ? result.counts.closed : 0,
      sweptMs,
      closesDoneMs: closesDoneAt === null ? null : closesDoneAt - started,
      closesOut: closes().length,
      floorMs,
      timeOverFloor: closesDoneAt === null ? null : (closesDoneAt - started) / floorMs,
      calls: slack.calls.length,
      answered429: limited,
      percent429: (100 * limited) / Math.max(1, slack.calls.length),
      doubled,
      missing,
      cardsDoneMs: WAIT_FOR_CARDS ? cardsDoneAt - started : null,
      cardsNotFinal: WAIT_FOR_CARDS ? cardsNotFinal : null,
    };
  } finally {
    await slack.close();
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

export function printSweep(result: SweepBenchResult): void {
  const row = (what: string, value: string) => console.log(`${what.padEnd(52)} ${value}`);
  const perChannel = Math.ceil(result.bugs / result.channels);
  console.log(
    `sweep at Slack's limits: ${result.bugs} bugs over ${result.channels} channels (${perChannel} per channel)`,
  );
  row('sweep run', `${result.closed} closed in ${result.sweptMs} ms`);
  row(
    'close notices all out after',
    result.closesDoneMs === null ? `not all: ${result.closesOut} of ${result.bugs}` : `${result.closesDoneMs} ms`,
  );
  row('per-channel floor', `${result.floorMs} ms`);
  row('time ÷ floor', result.timeOverFloor === null ? 'n/a' : result.timeOverFloor.toFixed(2));
  row('Web API calls', String(result.calls));
  row('answered 429', `${result.answered429} (${result.percent429.toFixed(2)} %)`);
  row('close notices doubled / missing', `${result.doubled} / ${result.missing}`);
  if (result.cardsDoneMs !== null) {
    row('every card in its final state after', `${result.cardsDoneMs} ms`);
    row('cards not in their final state', String(result.cardsNotFinal));
  }
}

if (import.meta.main) {
  const args = benchArgs();
  printSweep(
    await benchSweep({
      ...(args.bugs ? { bugs: Number(args.bugs) } : {}),
      ...(args.channels ? { channels: Number(args.channels) } : {}),
      waitForCards: (args.cards ?? 'wait') !== 'skip',
      ...(args.maxWaitMs ? { maxWaitMs: Number(args.maxWaitMs) } : {}),
    }),
  );
}
