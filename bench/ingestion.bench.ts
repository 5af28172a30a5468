// Ingestion as Slack meets it (issue 17): correctly signed thread-reply `message` events (reporter, developer,
// user-group member and bystander, in turn) sent to the bot's /slack/events at concurrency 8, the bot running as
// `npm start` runs it (a child process) against the embedded PostgreSQL. Two runs: every reply to one hot bug
// thread, and replies spread over 100 bug threads. Compared with bare single-row INSERTs into bug_conversations on
// the same server at the same concurrency, measured in the same run. Also checks that every reply is stored exactly
// once. Prints figures; asserts nothing.
//   npm run bench:ingest -- [events=3000] [concurrency=8]
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '../src/db/embedded-postgres.ts';
import { migrateToLatest, openOrm } from '../src/db/orm.ts';
import { startFakeSlackApi } from '../test/support/fake-slack-api.ts';
import { freePort } from '../test/support/free-port.ts';
import {
  BENCH_SIGNING_SECRET,
  benchArgs,
  createSignedSender,
  inParallel,
  percentile,
  postmasterPid,
  rssMb,
  sleep,
  startBot,
  stopBot,
  treeCpuMs,
  waitHealthy,
} from './support.ts';

export type IngestionRun = {
  threads: number;
  events: number;
  acceptedPerSec: number;
  ackP50Ms: number;
  ackP95Ms: number;
  ackP99Ms: number;
  storedPerSec: number;
  /** storedPerSec ÷ bare INSERT rows/s. */
  ratioToBare: number;
  rejected: number;
  missing: number;
  doubled: number;
  /** CPU the bot process spent per event (ms): robust where other work shares the cores. */
  botCpuMsPerEvent: number;
  /** CPU PostgreSQL spent per event (ms). */
  dbCpuMsPerEvent: number;
};

export type IngestionResult = {
  concurrency: number;
  bareInsertsPerSec: number;
  /** CPU PostgreSQL spent per bare INSERT (ms). */
  bareDbCpuMsPerInsert: number;
  hot: IngestionRun;
  spread: IngestionRun;
  /** The bot's resident memory after its warm-up (MB). */
  rssAfterWarmupMb: number;
  rssAfterRunsMb: number;
};

const CHANNEL = 'CBENCH';
const DEVELOPERS = ['UDEV1', 'UDEV2', 'UDEV3', 'UDEV4'];
const GROUP = 'SBENCH';
const GROUP_MEMBERS = ['UGRP1', 'UGRP2', 'UGRP3', 'UGRP4'];
const HOT_BUG = 1;
const SPREAD_BUGS = Array.from({ length: 100 }, (_, i) => 2 + i);
const WARMUP_BUG = 102;
const BARE_BUG = 103;
const threadTsOf = (bugId: number) => `1700000000.${String(bugId).padStart(6, '0')}`;
const reporterOf = (bugId: number) => `UREP${bugId}`;

/** The k-th reply of a run: reporter, developer, user-group member and bystander in turn. */
function replyEvent(bugId: number, k: number, ts: string) {
  const role = k % 4;
  const user =
    role === 0
      ? reporterOf(bugId)
      : role === 1
        ? DEVELOPERS[k % DEVELOPERS.length]!
        : role === 2
          ? GROUP_MEMBERS[k % GROUP_MEMBERS.length]!
          : `UBY${k % 50}`;
  return {
    type: 'message',
    user,
    text: `reply ${k}: still happening on the checkout page, see trace 4bf92f3577b34da6`,
    ts,
    thread_ts: threadTsOf(bugId),
    parent_user_id: reporterOf(bugId),
    team: 'TBENCH',
    channel: CHANNEL,
    event_ts: ts,
    channel_type: 'channel',
  };
}

export type BenchServer = {
  urlFor(database: string): string;
  createDatabase(name: string): Promise<void>;
  /** The postmaster's pid, to count the database's CPU time (NaN figures without it). */
  postgresPid?: number;
};

export async function benchIngestion(
  server: BenchServer,
  options: { events?: number; concurrency?: number } = {},
): Promise<IngestionResult> {
  const events = options.events ?? 3000;
  const concurrency = options.concurrency ?? 8;
  await server.createDatabase('bench_ingest');
  const url = server.urlFor('bench_ingest');
  const dbCpu = () => (server.postgresPid ? treeCpuMs(server.postgresPid) : Promise.resolve(Number.NaN));
  const orm = await openOrm(url);
  await migrateToLatest(orm);
  await orm.close(true);

  const pool = new pg.Pool({ connectionString: url, max: concurrency });
  pool.on('error', () => {}); // an idle connection dropped when the server stops
  await pool.query(`
    insert into bug_reports (id, ref, title, status, reporter_id, channel_id, thread_ts, created_at, updated_at, last_activity_at)
    select g, 'BUG-' || g, 'bug ' || g, 'open', 'UREP' || g, '${CHANNEL}', '1700000000.' || lpad(g::text, 6, '0'),
           now() - interval '1 day', now() - interval '1 day', now() - interval '1 day'
    from generate_series(1, ${BARE_BUG}) g`);
  await pool.query(`select setval(pg_get_serial_sequence('bug_reports', 'id'), ${BARE_BUG})`);

  const slack = await startFakeSlackApi();
  slack.on('usergroups.users.list', { status: 200, body: { ok: true, users: GROUP_MEMBERS } });
  const port = await freePort();
  const { bot, startedAt } = startBot({
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    SLACK_BOT_TOKEN: 'xoxb-bench',
    SLACK_SIGNING_SECRET: BENCH_SIGNING_SECRET,
    SLACK_API_URL: slack.url,
    DATABASE_URL: url,
    PORT: String(port),
    BUG_CHANNELS: CHANNEL,
    DEVELOPER_USERS: DEVELOPERS.join(','),
    DEVELOPER_USERGROUP: GROUP,
    SWEEP_SCHEDULE: '0 0 1 1 *',
    ...(process.env.BENCH_BOT_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_BOT_NODE_OPTIONS } : {}),
  });
  const sender = createSignedSender(port, concurrency);
  try {
    await waitHealthy(port, bot, startedAt);
    let tsSeq = 0;
    const nextTs = () => {
      tsSeq += 1;
      return `${Math.floor(Date.now() / 1000)}.${String(tsSeq).padStart(6, '0')}`;
    };

    // Bare single-row INSERTs: the floor of storing one reply, same table, same server, same concurrency.
    const bareRows = Array.from({ length: events }, (_, k) => k);
    const bareCpu = await dbCpu();
    const bareStarted = performance.now();
    await inParallel(bareRows, concurrency, async (k) => {
      await pool.query(
        `insert into bug_conversations (bug_id, sender_type, sender_id, channel_id, slack_ts, text, message_at, metadata)
         values ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [BARE_BUG, 'developer', 'UDEV1', CHANNEL, `bare.${k}`, `reply ${k}`, new Date(), '{}'],
      );
    });
    const bareInsertsPerSec = events / ((performance.now() - bareStarted) / 1000);
    const bareDbCpuMsPerInsert = ((await dbCpu()) - bareCpu) / events;

    // Warm-up (JIT, connection pool, the developer user group), not measured: 1,000 replies, as fewer left the first
    // run still paying for compilation (its bot CPU per event higher than the second run's).
    const warmup = Array.from({ length: 1000 }, (_, k) => replyEvent(WARMUP_BUG, k, nextTs()));
    await inParallel(warmup, concurrency, async (event) => void (await sender.sendEvent(event)));
    await waitForRows(pool, [WARMUP_BUG], warmup.length);
    await sleep(500);
    const rssAfterWarmupMb = await rssMb(bot.child.pid!);

    const run = async (bugIds: number[]): Promise<IngestionRun> => {
      const replies = Array.from({ length: events }, (_, k) => replyEvent(bugIds[k % bugIds.length]!, k, nextTs()));
      const acks: number[] = [];
      let rejected = 0;
      const [botBefore, dbBefore] = [await treeCpuMs(bot.child.pid!), await dbCpu()];
      const started = performance.now();
      const wallStarted = Date.now();
      await inParallel(replies, concurrency, async (event) => {
        const sent = performance.now();
        const status = await sender.sendEvent(event);
        acks.push(performance.now() - sent);
        if (status !== 200) rejected += 1;
      });
      const acceptedMs = performance.now() - started;
      await waitForRows(pool, bugIds, events);
      // When the last reply was stored, by the database's clock (the same machine's): polling fast would cost the
      // database the CPU this measures.
      const last = await pool.query<{ at: number }>(
        'select extract(epoch from max(created_at)) * 1000 as at from bug_conversations where bug_id = any($1)',
        [bugIds],
      );
      const storedMs = Number(last.rows[0]!.at) - wallStarted;
      const [botAfter, dbAfter] = [await treeCpuMs(bot.child.pid!), await dbCpu()];
      const counts = await pool.query<{ rows: string; distinct_ts: string }>(
        `select count(*) as rows, count(distinct (channel_id, slack_ts)) as distinct_ts
         from bug_conversations where bug_id = any($1) and slack_ts = any($2)`,
        [bugIds, replies.map((reply) => reply.ts)],
      );
      const rows = Number(counts.rows[0]!.rows);
      const distinct = Number(counts.rows[0]!.distinct_ts);
      const storedPerSec = events / (storedMs / 1000);
      return {
        threads: bugIds.length,
        events,
        acceptedPerSec: events / (acceptedMs / 1000),
        ackP50Ms: percentile(acks, 50),
        ackP95Ms: percentile(acks, 95),
        ackP99Ms: percentile(acks, 99),
        storedPerSec,
        ratioToBare: storedPerSec / bareInsertsPerSec,
        rejected,
        missing: events - distinct,
        doubled: rows - distinct,
        botCpuMsPerEvent: (botAfter - botBefore) / events,
        dbCpuMsPerEvent: (dbAfter - dbBefore) / events,
      };
    };
    const hot = await run([HOT_BUG]);
    const spread = await run(SPREAD_BUGS);
    const rssAfterRunsMb = await rssMb(bot.child.pid!);
    const problems = bot
      .output()
      .split('\n')
      .filter((line) => /"level":(40|50|60)/.test(line));
    if (problems.length > 0) console.error(`the bot logged ${problems.length} warnings or errors, first:`, problems[0]);
    return { concurrency, bareInsertsPerSec, bareDbCpuMsPerInsert, hot, spread, rssAfterWarmupMb, rssAfterRunsMb };
  } finally {
    sender.close();
    await stopBot(bot);
    await slack.close();
    await pool.end();
  }
}

/** Waits until the bugs hold `expected` replies, or no more arrive for 10 s. */
async function waitForRows(pool: pg.Pool, bugIds: number[], expected: number): Promise<void> {
  let last = -1;
  let lastChange = performance.now();
  for (;;) {
    const { rows } = await pool.query<{ n: string }>(
      'select count(*) as n from bug_conversations where bug_id = any($1)',
      [bugIds],
    );
    const n = Number(rows[0]!.n);
    const now = performance.now();
    if (n >= expected) return;
    if (n !== last) {
      last = n;
      lastChange = now;
    } else if (now - lastChange > 10_000) return;
    await sleep(100);
  }
}

export function printIngestion(result: IngestionResult): void {
  const row = (what: string, value: string) => console.log(`${what.padEnd(44)} ${value}`);
  console.log(`ingestion: ${result.hot.events} signed thread replies per run, concurrency ${result.concurrency}`);
  row(
    'bare single-row INSERTs',
    `${result.bareInsertsPerSec.toFixed(0)} rows/s (database CPU ${result.bareDbCpuMsPerInsert.toFixed(2)} ms each)`,
  );
  for (const run of [result.hot, result.spread]) {
    const name = run.threads === 1 ? 'one hot thread' : `${run.threads} threads`;
    row(`${name}: accepted`, `${run.acceptedPerSec.toFixed(0)} events/s`);
    row(
      `${name}: ack p50 / p95 / p99`,
      `${run.ackP50Ms.toFixed(1)} / ${run.ackP95Ms.toFixed(1)} / ${run.ackP99Ms.toFixed(1)} ms`,
    );
    row(`${name}: stored`, `${run.storedPerSec.toFixed(0)} replies/s (${run.ratioToBare.toFixed(2)} of bare INSERTs)`);
    row(
      `${name}: CPU per event, bot / database`,
      `${run.botCpuMsPerEvent.toFixed(2)} / ${run.dbCpuMsPerEvent.toFixed(2)} ms`,
    );
    row(`${name}: rejected / missing / doubled`, `${run.rejected} / ${run.missing} / ${run.doubled}`);
  }
  row(
    'bot RSS after warm-up / after the runs',
    `${result.rssAfterWarmupMb.toFixed(0)} / ${result.rssAfterRunsMb.toFixed(0)} MB`,
  );
}

if (import.meta.main) {
  const args = benchArgs();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'bugsweep-bench-ingest-'));
  const server = await startEmbeddedPostgres({ dataDir, port: await freePort(), persistent: false });
  try {
    const result = await benchIngestion(
      { ...server, postgresPid: await postmasterPid(path.join(dataDir, 'postgres')) },
      {
        ...(args.events ? { events: Number(args.events) } : {}),
        ...(args.concurrency ? { concurrency: Number(args.concurrency) } : {}),
      },
    );
    printIngestion(result);
  } finally {
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
