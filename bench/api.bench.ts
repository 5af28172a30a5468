// The agent API at scale: list-page and fetch latency (p50/p99) over real HTTP at 1,000,000 bugs, GET requests/s at
// concurrency 8, the plan PostgreSQL picks for a list page (it must stay an index scan), and how long /metrics takes
// to read its gauges at that size. Prints figures; asserts nothing.
//   npm run bench:api -- [bugs=1000000] [requests=300] [seconds=10]
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { createBugsweep } from '../src/bugsweep.ts';
import { startEmbeddedPostgres } from '../src/db/embedded-postgres.ts';
import { migrateToLatest, openOrm } from '../src/db/orm.ts';
import { readBacklogSnapshot, readBugCounts } from '../src/db/repositories/metrics.repository.ts';
import { createLogger } from '../src/logger.ts';
import { createApiToken } from '../src/services/api-tokens.ts';
import { FAKE_BOT, startFakeSlackApi } from '../test/support/fake-slack-api.ts';
import { freePort } from '../test/support/free-port.ts';
import { testConfig } from '../test/support/test-app.ts';
import { percentile } from './support.ts';

const args = Object.fromEntries(process.argv.slice(2).map((arg) => arg.split('=') as [string, string]));
const BUGS = Number(args.bugs ?? 1_000_000);
const REQUESTS = Number(args.requests ?? 300);
const SECONDS = Number(args.seconds ?? 10);
const CONCURRENCY = 8;
const DAY = 86_400_000;

const dataDir = await mkdtemp(path.join(os.tmpdir(), 'bugsweep-bench-api-'));
const server = await startEmbeddedPostgres({ dataDir, port: await freePort(), persistent: false });
const slack = await startFakeSlackApi();
try {
  await server.createDatabase('bench');
  const orm = await openOrm(server.urlFor('bench'));
  await migrateToLatest(orm);
  const em = orm.em.fork();
  let started = performance.now();
  await em.execute(`
    insert into bug_reports (id, ref, title, status, severity, reporter_id, claimant_id, channel_id, thread_ts,
                             trace_id, created_at, updated_at, last_activity_at)
    select g, 'BUG-' || g, 'bug ' || g,
           (array['open','open','open','in_progress','resolved','closed','open','in_progress','escalated','resolved'])[1 + g % 10],
           (array['low','medium','medium','high','critical'])[1 + g % 5],
           'U' || (g % 500), case when g % 10 in (3, 7) then 'U' || (g % 50) end, 'C' || (g % 20),
           '1700000000.' || lpad(g::text, 7, '0'), 'trace-' || g,
           now() - (g % 365) * interval '1 day', now() - (g * interval '1 second'), now() - (g % 60) * interval '1 day'
    from generate_series(1, ${BUGS}) g`);
  await em.execute(`select setval(pg_get_serial_sequence('bug_reports', 'id'), ${BUGS})`);
  await em.execute('vacuum analyze bug_reports');
  console.log(`data: ${BUGS} bugs (loaded in ${((performance.now() - started) / 1000).toFixed(1)} s)`);

  const plan = await em.execute<{ 'QUERY PLAN': string }[]>(`
    explain select * from bug_reports where status in ('open', 'in_progress')
    order by updated_at desc, id desc limit 51`);
  console.log(
    `plan of a filtered list page: ${plan
      .map((row) => row['QUERY PLAN'].trim())
      .slice(0, 3)
      .join(' / ')}`,
  );

  // /metrics' bugs by status and severity: from the counts the triggers record, against a count over the table.
  const timed = async (runs: number, read: () => Promise<unknown>) => {
    const times: number[] = [];
    for (let i = 0; i < runs; i += 1) {
      const at = performance.now();
      await read();
      times.push(performance.now() - at);
    }
    return percentile(times, 50);
  };
  const recordedMs = await timed(20, () => readBugCounts(orm.em.fork()));
  const tableMs = await timed(5, () =>
    orm.em.fork().execute('select status, severity, count(*) from bug_reports group by status, severity'),
  );
  const snapshotMs = await timed(10, () =>
    readBacklogSnapshot(orm.em.fork(), new Date(), {
      warnFrom: new Date(Date.now() - 4 * DAY),
      idleFrom: new Date(Date.now() - 3 * DAY),
    }),
  );
  console.log(
    `/metrics bugs by status and severity: p50 ${recordedMs.toFixed(2)} ms from recorded counts, ${tableMs.toFixed(0)} ms counting the table (${(tableMs / recordedMs).toFixed(0)}x); every gauge read: p50 ${snapshotMs.toFixed(1)} ms`,
  );

  const logger = createLogger({ level: 'silent', pretty: false });
  const bugsweep = await createBugsweep({
    config: testConfig({ API_RATE_LIMIT: '100000000' }, slack.url),
    orm,
    logger,
    identity: { botId: FAKE_BOT.botId, botUserId: FAKE_BOT.botUserId, workspaceUrl: FAKE_BOT.workspaceUrl },
    runSchedule: false,
  });
  const port = await bugsweep.start();
  const created = await createApiToken(bugsweep.ctx, { name: 'bench-bot', scopes: ['read'] });
  if (!created.ok) throw new Error(created.message);
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const get = (pathname: string) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port,
          path: `/api/v1${pathname}`,
          agent,
          headers: { authorization: `Bearer ${created.token}` },
        },
        (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            body += chunk;
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      req.on('error', reject);
      req.end();
    });

  async function latency(name: string, pathFor: (i: number) => string) {
    const times: number[] = [];
    for (let i = 0; i < REQUESTS; i++) {
      const begun = performance.now();
      const res = await get(pathFor(i));
      times.push(performance.now() - begun);
      if (res.status !== 200) throw new Error(`${name}: ${res.status} ${res.body.slice(0, 200)}`);
    }
    console.log(
      `${name.padEnd(42)} p50 ${percentile(times, 50).toFixed(1)} ms  p99 ${percentile(times, 99).toFixed(1)} ms`,
    );
  }

  const deep = JSON.parse((await get('/bug-reports?limit=200')).body) as { next_cursor: string };
  await latency('list page (50, no filter)', () => '/bug-reports?limit=50');
  await latency(
    'list page (50, status open+in_progress)',
    () => '/bug-reports?status=open&status=in_progress&limit=50',
  );
  await latency('list page (50, after a cursor)', () => `/bug-reports?limit=50&cursor=${deep.next_cursor}`);
  await latency('list by trace_id', (i) => `/bug-reports?trace_id=trace-${1 + ((i * 7919) % BUGS)}`);
  await latency('fetch one bug (random id)', (i) => `/bug-reports/BUG-${1 + ((i * 104729) % BUGS)}`);

  started = performance.now();
  let done = 0;
  const until = started + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async (_, worker) => {
      let i = worker;
      while (performance.now() < until) {
        await get(`/bug-reports/BUG-${1 + ((i * 104729) % BUGS)}`);
        done += 1;
        i += CONCURRENCY;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  console.log(`GET /bug-reports/{ref} at concurrency ${CONCURRENCY}: ${(done / seconds).toFixed(0)} requests/s`);
  agent.destroy();
  await bugsweep.stop();
  await orm.close(true);
} finally {
  await slack.close();
  await server.stop();
  await rm(dataDir, { recursive: true, force: true });
}
