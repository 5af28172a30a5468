// The bot as a process under a stream of correctly signed garbage (issue 12): bodies that are not objects, events of
// unknown types, malformed ids, bodies near and over 1 MB. Prints the resident memory through the stream and after
// it, the heap after a full garbage collection against idle (through the bot's inspector), and how long a real report
// takes to be stored right after the burst, each next to its goal from issue 12. Asserts nothing.
//   npm run bench:garbage -- [requests=18000] [big=yes] [snapshots=<folder>]
// snapshots=<folder> also writes heap snapshots of the idle bot and of the bot after the stream there (they inflate
// the RSS figures: use them to find what is retained, `node bench/heap-diff.ts idle.heapsnapshot after.heapsnapshot`).
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '../src/db/embedded-postgres.ts';
import { migrateToLatest, openOrm } from '../src/db/orm.ts';
import { startFakeSlackApi } from '../test/support/fake-slack-api.ts';
import { freePort } from '../test/support/free-port.ts';
import { signature } from '../test/support/signed-requests.ts';
import { connectInspector } from './inspector.ts';
import {
  BENCH_SIGNING_SECRET,
  benchArgs,
  inParallel,
  rssMb,
  START_NODE_FLAGS,
  sleep,
  startBot,
  stopBot,
  waitHealthy,
} from './support.ts';

const args = benchArgs();
const REQUESTS = Number(args.requests ?? 18_000);
const CONCURRENCY = 8;
const CHANNEL = 'CBENCHGARBAGE';

const GARBAGE: ((i: number) => { body: string; type: string })[] = [
  () => ({ body: 'null', type: 'application/json' }),
  () => ({ body: 'payload=null', type: 'application/x-www-form-urlencoded' }),
  () => ({ body: '[1,2,3]', type: 'application/json' }),
  () => ({ body: JSON.stringify({ type: 'event_callback', event: null }), type: 'application/json' }),
  // A new made-up type every time: nothing may be kept per type (metrics labels were).
  (i) => ({
    body: JSON.stringify({ type: 'event_callback', event: { type: `made_up_${i}` } }),
    type: 'application/json',
  }),
  () => ({
    body: JSON.stringify({
      type: 'event_callback',
      event: { type: 'message', channel: CHANNEL, user: { nope: 1 }, text: 'x', ts: '1.1' },
    }),
    type: 'application/json',
  }),
  () => ({
    body: JSON.stringify({ type: 'event_callback', event: { type: 'message', user: 'x'.repeat(2_000) } }),
    type: 'application/json',
  }),
];

/** With big=yes, one request in 50 is near 1 MB and one in 50 over it (refused unread with 413). */
const BIG: (() => { body: string; type: string })[] = [
  () => ({ body: JSON.stringify({ type: 'event_callback', pad: 'y'.repeat(900_000) }), type: 'application/json' }),
  () => ({ body: JSON.stringify({ type: 'event_callback', pad: 'z'.repeat(1_200_000) }), type: 'application/json' }),
];
const withBig = args.big === 'yes';
const snapshots = args.snapshots;
/** Issue 12's goals. */
const GOAL_RSS_MB = 200;
const GOAL_HEAP_GROWTH_MB = 20;
const GOAL_REPORT_STORED_MS = 1000;

function post(port: number, agent: http.Agent, body: string, contentType: string): Promise<number> {
  const now = Math.floor(Date.now() / 1000);
  return new Promise((resolve) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path: '/slack/events',
        method: 'POST',
        agent,
        headers: {
          'content-type': contentType,
          'content-length': Buffer.byteLength(body),
          'x-slack-request-timestamp': String(now),
          'x-slack-signature': signature(BENCH_SIGNING_SECRET, now, body),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', () => resolve(0));
    req.end(body);
  });
}

const dataDir = await mkdtemp(path.join(os.tmpdir(), 'bugsweep-bench-garbage-'));
const server = await startEmbeddedPostgres({ dataDir, port: await freePort(), persistent: false });
const slack = await startFakeSlackApi();
try {
  await server.createDatabase('bench');
  const url = server.urlFor('bench');
  const orm = await openOrm(url);
  await migrateToLatest(orm);
  await orm.close(true);
  const port = await freePort();
  const inspectPort = await freePort();
  const nodeOptions = [process.env.BENCH_BOT_NODE_OPTIONS, `--inspect=127.0.0.1:${inspectPort}`].filter(Boolean);
  // As `npm start` runs it (its V8 flags, package.json) unless BENCH_BOT_NODE_FLAGS says otherwise ('' for none).
  const nodeFlags =
    process.env.BENCH_BOT_NODE_FLAGS === undefined
      ? START_NODE_FLAGS
      : process.env.BENCH_BOT_NODE_FLAGS.split(' ').filter(Boolean);
  const { bot, startedAt } = startBot(
    {
      NODE_ENV: 'production',
      // As in production: the warning each dropped message event logs is part of the cost.
      LOG_LEVEL: 'info',
      SLACK_BOT_TOKEN: 'xoxb-bench',
      SLACK_SIGNING_SECRET: BENCH_SIGNING_SECRET,
      SLACK_API_URL: slack.url,
      DATABASE_URL: url,
      PORT: String(port),
      BUG_CHANNELS: CHANNEL,
      DEVELOPER_USERS: 'UDEV1',
      SWEEP_SCHEDULE: '0 0 1 1 *',
      NODE_OPTIONS: nodeOptions.join(' '),
      ...(process.env.MALLOC_ARENA_MAX ? { MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX } : {}),
    },
    nodeFlags,
  );
  const pid = bot.child.pid ?? 0;
  await waitHealthy(port, bot, startedAt);
  await sleep(1000);
  const idle = await rssMb(pid);
  const inspector = await connectInspector(inspectPort);
  const idleHeap = await inspector.heapAfterGcMb();
  if (args.detail === 'yes') console.log('idle memory', await inspector.memory());
  if (snapshots) await inspector.snapshot(path.join(snapshots, 'idle.heapsnapshot'));
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const statuses = new Map<number, number>();
  let peak = idle;
  const sampling = args.allocations === 'yes' ? await inspector.sampleAllocations() : null;
  // Sampled every 100 ms through the stream and the report after it.
  const sampler = setInterval(() => void rssMb(pid).then((rss) => (peak = Math.max(peak, rss))), 100);
  const started = performance.now();
  await inParallel(
    Array.from({ length: REQUESTS }, (_, i) => i),
    CONCURRENCY,
    async (i) => {
      const pick = withBig && i % 25 === 0 ? BIG[(i / 25) % 2] : GARBAGE[i % GARBAGE.length];
      const garbage = pick?.(i) ?? { body: 'null', type: 'application/json' };
      const status = await post(port, agent, garbage.body, garbage.type);
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    },
  );
  const burstSeconds = (performance.now() - started) / 1000;
  if (sampling) console.log(`allocated during the stream, by site:\n${(await sampling.stop(40)).join('\n')}`);

  // A real report right after the burst: how long until its row is stored.
  const ts = `${Math.floor(Date.now() / 1000)}.000001`;
  const report = JSON.stringify({
    type: 'event_callback',
    team_id: 'TBENCH',
    event_id: 'EvREAL1',
    event: { type: 'message', channel: CHANNEL, user: 'UREPORTER1', text: 'Real report after the burst', ts },
  });
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  const reportStarted = performance.now();
  const reportStatus = await post(port, agent, report, 'application/json');
  let storedMs = Number.NaN;
  for (let waited = 0; waited < 30_000; waited += 10) {
    const found = await pool.query('select 1 from bug_reports where thread_ts = $1', [ts]);
    if (found.rowCount) {
      storedMs = performance.now() - reportStarted;
      break;
    }
    await sleep(10);
  }
  await pool.end();
  clearInterval(sampler);
  await sleep(5000);
  const after = await rssMb(pid);
  if (args.detail === 'yes') console.log('5 s after', await inspector.memory());
  const afterHeap = await inspector.heapAfterGcMb();
  const afterGc = await rssMb(pid);
  if (args.detail === 'yes') console.log('after a full GC', await inspector.memory());
  if (snapshots) await inspector.snapshot(path.join(snapshots, 'after.heapsnapshot'));
  inspector.close();
  agent.destroy();
  const goal = (met: boolean, text: string) => `(goal ${text}: ${met ? 'met' : 'NOT met'})`;
  console.log(
    `garbage${withBig ? ' (with bodies near and over 1 MB)' : ''}: ${REQUESTS} signed requests at concurrency ${CONCURRENCY} in ${burstSeconds.toFixed(1)} s`,
  );
  console.log(`answers: ${[...statuses].map(([status, n]) => `${status}×${n}`).join(', ')}`);
  console.log(
    `node ${nodeFlags.join(' ')} bin/bugsweep.mjs; NODE_OPTIONS: ${nodeOptions.join(' ')}; MALLOC_ARENA_MAX=${process.env.MALLOC_ARENA_MAX ?? 'unset'}`,
  );
  console.log(`RSS idle: ${idle.toFixed(0)} MB`);
  console.log(`RSS peak: ${peak.toFixed(0)} MB ${goal(peak < GOAL_RSS_MB, `< ${GOAL_RSS_MB} MB`)}`);
  console.log(`RSS 5 s after: ${after.toFixed(0)} MB ${goal(after < GOAL_RSS_MB, `< ${GOAL_RSS_MB} MB`)}`);
  console.log(`RSS after a full GC: ${afterGc.toFixed(0)} MB`);
  const growth = afterHeap - idleHeap;
  console.log(
    `heap after GC: idle ${idleHeap.toFixed(1)} MB, after ${afterHeap.toFixed(1)} MB, +${growth.toFixed(1)} MB ${goal(growth <= GOAL_HEAP_GROWTH_MB, `≤ +${GOAL_HEAP_GROWTH_MB} MB`)}`,
  );
  console.log(
    `report-stored-after-burst: ${storedMs.toFixed(0)} ms (answered ${reportStatus}) ${goal(storedMs <= GOAL_REPORT_STORED_MS, `≤ ${GOAL_REPORT_STORED_MS} ms`)}`,
  );
  await stopBot(bot);
} finally {
  await slack.close();
  await server.stop();
  await rm(dataDir, { recursive: true, force: true });
}
