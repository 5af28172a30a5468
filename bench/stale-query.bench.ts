// Measures the sweep's hot path: finding the oldest stale bugs. Compares the baseline (a correlated
// max() over conversation rows per bug) with bugsweep's query (a range scan on the partial index over the
// denormalised last_activity_at). Prints figures; asserts nothing.
//   npm run bench -- [bugs=50000] [messagesPerBug=40]
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createAppContext } from '../src/bugsweep.ts';
import { loadConfig } from '../src/config.ts';
import { startEmbeddedPostgres } from '../src/db/embedded-postgres.ts';
import { migrateToLatest, openOrm } from '../src/db/orm.ts';
import { findIdleBugs } from '../src/db/repositories/sweep.repository.ts';
import { createLogger } from '../src/logger.ts';
import { scanSweepCandidates } from '../src/services/sweep/sweep-plan.ts';
import { nextSweepAtFor } from '../src/services/sweep/sweep-slots.ts';
import { freePort } from '../test/support/free-port.ts';

const args = Object.fromEntries(process.argv.slice(2).map((arg) => arg.split('=') as [string, string]));
const BUGS = Number(args.bugs ?? 50_000);
const PER_BUG = Number(args.messagesPerBug ?? 40);
const RUNS = 7;

const dataDir = await mkdtemp(path.join(os.tmpdir(), 'bugsweep-bench-'));
const server = await startEmbeddedPostgres({ dataDir, port: await freePort(), persistent: false });
try {
  await server.createDatabase('bench');
  const orm = await openOrm(server.urlFor('bench'));
  await migrateToLatest(orm);
  const em = orm.em.fork();

  let started = performance.now();
  // Bugs created over the last 60 days; 80% open or in progress.
  await em.execute(`
    insert into bug_reports (id, ref, title, status, reporter_id, channel_id, thread_ts, created_at, updated_at, last_activity_at)
    select g, 'BUG-' || g, 'bug ' || g,
           (array['open','open','open','in_progress','resolved','closed','open','in_progress','escalated','open'])[1 + g % 10],
           'U' || (g % 500), 'C' || (g % 20), '1700000000.' || lpad(g::text, 6, '0'),
           now() - (g % 60) * interval '1 day' - interval '1 hour', now(), now() - (g % 60) * interval '1 day'
    from generate_series(1, ${BUGS}) g`);
  await em.execute(`select setval(pg_get_serial_sequence('bug_reports', 'id'), ${BUGS})`);
  // Conversation rows: a mix of reporter, developer, bystander and bot messages.
  await em.execute(`
    insert into bug_conversations (bug_id, sender_type, sender_id, channel_id, slack_ts, text, message_at)
    select b, (array['reporter','developer','other','bot'])[1 + (b + m) % 4], 'U' || m, 'C' || (b % 20),
           '1710000000.' || lpad((b::bigint * ${PER_BUG} + m)::text, 10, '0'), 'reply',
           now() - ((b % 60) + (m % 7)) * interval '1 day'
    from generate_series(1, ${BUGS}) b, generate_series(1, ${PER_BUG}) m`);
  // Keep the denormalised column exactly as the service does (same definition as recomputeActivity).
  await em.execute(`
    update bug_reports b set last_activity_at = greatest(b.created_at, (
      select max(c.message_at) from bug_conversations c
      where c.bug_id = b.id and c.deleted_at is null and c.sender_type in ('reporter', 'developer')))`);
  await em.execute('vacuum analyze bug_reports');
  await em.execute('vacuum analyze bug_conversations');
  const rows = BUGS * PER_BUG;
  console.log(
    `data: ${BUGS} bugs, ${rows} conversation rows (loaded in ${((performance.now() - started) / 1000).toFixed(1)} s)`,
  );

  const threshold = new Date(Date.now() - 5 * 86_400_000);
  const baseline = `
    select b.id from bug_reports b
    where b.status in ('open', 'in_progress')
      and coalesce((select max(c.message_at) from bug_conversations c
                    where c.bug_id = b.id and c.deleted_at is null and c.sender_type in ('reporter', 'developer')),
                   b.created_at) < $1
    order by coalesce((select max(c.message_at) from bug_conversations c
                       where c.bug_id = b.id and c.deleted_at is null and c.sender_type in ('reporter', 'developer')),
                      b.created_at), b.id
    limit 50`;
  const ours = `
    select b.id from bug_reports b
    where b.status in ('open', 'in_progress') and b.last_activity_at < $1
    order by b.last_activity_at, b.id
    limit 50`;

  for (const [name, query] of [
    ['baseline (correlated max over conversations)', baseline],
    ['bugsweep (partial index on last_activity_at)', ours],
  ] as const) {
    const timings: number[] = [];
    let plan = '';
    let ids = '';
    for (let run = 0; run < RUNS; run += 1) {
      const explain = await em.execute<{ 'QUERY PLAN': string }[]>(
        `explain (analyze, buffers) ${query.replace('$1', '?')}`,
        [threshold],
      );
      plan = explain.map((row) => row['QUERY PLAN']).join('\n');
      timings.push(Number(/Execution Time: ([\d.]+) ms/.exec(plan)?.[1] ?? NaN));
    }
    ids = (await em.execute<{ id: number }[]>(query.replace('$1', '?'), [threshold])).map((row) => row.id).join(',');
    timings.sort((a, b) => a - b);
    const firstNode = plan
      .split('\n')
      .find((line) => /Scan|Sort/.test(line))
      ?.trim();
    console.log(
      `${name}: median ${timings[Math.floor(RUNS / 2)]!.toFixed(2)} ms, min ${timings[0]!.toFixed(2)} ms, max ${timings[RUNS - 1]!.toFixed(2)} ms`,
    );
    console.log(`  plan: ${firstNode}`);
    console.log(`  first ids: ${ids.split(',').slice(0, 5).join(',')} ... (${ids.split(',').length} rows)`);
  }
  // The sweep reads candidates page by page through the repository (MikroORM, hydrated entities). A deep page
  // must cost the same as the first: the cursor is a row comparison, i.e. the lower bound of the index scan.
  const timeIt = async (run: () => Promise<unknown>) => {
    const timings: number[] = [];
    for (let i = 0; i < RUNS; i += 1) {
      const t0 = performance.now();
      await run();
      timings.push(performance.now() - t0);
    }
    timings.sort((x, y) => x - y);
    return timings[Math.floor(RUNS / 2)]!;
  };
  const deep = (
    await em.execute<{ last_activity_at: Date; id: number }[]>(
      `select last_activity_at, id from bug_reports where status in ('open', 'in_progress') and last_activity_at < ? order by last_activity_at, id offset 20000 limit 1`,
      [threshold],
    )
  )[0]!;
  const cursor = { at: new Date(deep.last_activity_at), id: Number(deep.id) };
  console.log(
    `findIdleBugs, first page of 50 (ORM, hydrated): median ${(await timeIt(() => findIdleBugs(orm.em.fork(), threshold, null, 50))).toFixed(2)} ms`,
  );
  console.log(
    `findIdleBugs, page after 20,000 stale bugs: median ${(await timeIt(() => findIdleBugs(orm.em.fork(), threshold, cursor, 50))).toFixed(2)} ms`,
  );
  const orKeyset = `select id from bug_reports where status in ('open', 'in_progress') and last_activity_at < ?
    and (last_activity_at > ? or (last_activity_at = ? and id > ?)) order by last_activity_at, id limit 50`;
  const rowKeyset = `select id from bug_reports where status in ('open', 'in_progress') and last_activity_at < ?
    and (last_activity_at, id) > (?, ?) order by last_activity_at, id limit 50`;
  console.log(
    `  same deep page, ids only: row-comparison cursor (ours) median ${(await timeIt(() => em.execute(rowKeyset, [threshold, cursor.at, cursor.id]))).toFixed(2)} ms, OR-style cursor median ${(await timeIt(() => em.execute(orKeyset, [threshold, cursor.at, cursor.at, cursor.id]))).toFixed(2)} ms`,
  );

  // The whole planning pass of one sweep over every candidate (what a run reads before acting).
  const config = loadConfig({
    SLACK_BOT_TOKEN: 'xoxb-bench',
    SLACK_SIGNING_SECRET: 'bench',
    BUG_CHANNELS: 'C0BENCH',
    DEVELOPER_USERS: 'U0BENCH',
    LOG_LEVEL: 'silent',
  });
  const ctx = createAppContext({
    config,
    orm,
    logger: createLogger({ level: 'silent', pretty: false }),
    identity: { botId: '', botUserId: '', workspaceUrl: '' },
  });
  started = performance.now();
  let candidates = 0;
  for await (const candidate of scanSweepCandidates(ctx, new Date(), nextSweepAtFor(config)))
    if (candidate) candidates += 1;
  const scanMs = performance.now() - started;
  console.log(
    `one sweep's planning pass: ${candidates} candidates in ${(scanMs / 1000).toFixed(2)} s (${((scanMs / candidates) * 1000).toFixed(0)} µs per bug, pages of ${config.sweep.batchSize})`,
  );

  started = performance.now();
  await em.execute(
    `explain analyze update bug_reports set last_activity_at = greatest(last_activity_at, now()) where id = 12345`,
  );
  console.log(
    `write cost of keeping the column (one activity bump, incl. round trip): ${(performance.now() - started).toFixed(2)} ms`,
  );
  await orm.close(true);
} finally {
  await server.stop();
  await rm(dataDir, { recursive: true, force: true });
}
