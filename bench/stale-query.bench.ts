// Measures the sweep's hot path: finding the oldest stale bugs. Compares the baseline (a correlated
// max() over conversation rows per bug) with bugsweep's query (a range scan on the partial index over the
// denormalised last_activity_at). Prints figures; asserts nothing.
//   npm run bench:stale -- [bugs=50000] [messagesPerBug=40] [cache=yes]
// With cache=yes the generated data is kept in a PostgreSQL data folder under .bench-cache/ (named after the size),
// so a rerun starts the server on it instead of generating it again; migrations added since are applied on top.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
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
import { benchArgs, PROJECT_ROOT } from './support.ts';

export type StaleQueryResult = {
  bugs: number;
  conversationRows: number;
  /** Generating the data (0 when it came from the cache). */
  loadSeconds: number;
  fromCache: boolean;
  baselineMedianMs: number;
  oursMedianMs: number;
  /** baseline ÷ ours. */
  speedup: number;
  firstPageMs: number;
  deepPageMs: number;
  /** null when skipped (the large dataset: it reads every candidate). */
  planningPassSeconds: number | null;
  candidates: number | null;
};

export async function benchStaleQuery(
  options: { bugs?: number; messagesPerBug?: number; cache?: boolean; runs?: number; planningPass?: boolean } = {},
): Promise<StaleQueryResult> {
  const RUNS = options.runs ?? 7;
  const bugs = options.bugs ?? 50_000;
  const perBug = options.messagesPerBug ?? 40;
  const cacheDir = path.join(PROJECT_ROOT, '.bench-cache', `stale-${bugs}x${perBug}`);
  const dataDir = options.cache ? cacheDir : await mkdtemp(path.join(os.tmpdir(), 'bugsweep-bench-'));
  const ready = path.join(dataDir, 'READY');
  const fromCache = Boolean(options.cache) && existsSync(ready);
  if (options.cache && !fromCache) await rm(dataDir, { recursive: true, force: true });
  await mkdir(dataDir, { recursive: true });
  const server = await startEmbeddedPostgres({ dataDir, port: await freePort(), persistent: Boolean(options.cache) });
  try {
    if (!fromCache) await server.createDatabase('bench');
    const orm = await openOrm(server.urlFor('bench'));
    await migrateToLatest(orm);
    const em = orm.em.fork();

    let started = performance.now();
    if (!fromCache) {
      // Bugs created over the last 60 days; 80% open or in progress.
      await em.execute(`
        insert into bug_reports (id, ref, title, status, reporter_id, channel_id, thread_ts, created_at, updated_at, last_activity_at)
        select g, 'BUG-' || g, 'bug ' || g,
               (array['open','open','open','in_progress','resolved','closed','open','in_progress','escalated','open'])[1 + g % 10],
               'U' || (g % 500), 'C' || (g % 20), '1700000000.' || lpad(g::text, 7, '0'),
               now() - (g % 60) * interval '1 day' - interval '1 hour', now(), now() - (g % 60) * interval '1 day'
        from generate_series(1, ${bugs}) g`);
      await em.execute(`select setval(pg_get_serial_sequence('bug_reports', 'id'), ${bugs})`);
      // Conversation rows: a mix of reporter, developer, bystander and bot messages. Loaded in slices of bugs so
      // one statement never holds millions of rows; the foreign key is checked by construction (b is a bug id).
      const slice = 50_000;
      for (let from = 1; from <= bugs; from += slice) {
        const to = Math.min(bugs, from + slice - 1);
        await em.transactional(async (tx) => {
          await tx.execute(`set local session_replication_role = replica`);
          await tx.execute(`
            insert into bug_conversations (bug_id, sender_type, sender_id, channel_id, slack_ts, text, message_at)
            select b, (array['reporter','developer','other','bot'])[1 + (b + m) % 4], 'U' || m, 'C' || (b % 20),
                   '1710000000.' || lpad((b::bigint * ${perBug} + m)::text, 10, '0'), 'reply',
                   now() - ((b % 60) + (m % 7)) * interval '1 day'
            from generate_series(${from}, ${to}) b, generate_series(1, ${perBug}) m`);
        });
      }
      // Keep the denormalised column exactly as the service does (same definition as recomputeActivity).
      await em.execute(`
        update bug_reports b set last_activity_at = greatest(b.created_at, (
          select max(c.message_at) from bug_conversations c
          where c.bug_id = b.id and c.deleted_at is null and c.sender_type in ('reporter', 'developer')))`);
      await em.execute('vacuum analyze bug_reports');
      await em.execute('vacuum analyze bug_conversations');
      if (options.cache) await writeFile(ready, `${new Date().toISOString()}\n`);
    }
    const loadSeconds = fromCache ? 0 : (performance.now() - started) / 1000;

    // The data's own "now": a cached dataset ages, its stale threshold must not.
    const generatedAt = new Date(
      (await em.execute<{ at: Date }[]>(`select max(updated_at) as at from bug_reports`))[0]!.at,
    ).getTime();
    const threshold = new Date(generatedAt - 5 * 86_400_000);
    const baseline = `
      select b.id from bug_reports b
      where b.status in ('open', 'in_progress')
        and coalesce((select max(c.message_at) from bug_conversations c
                      where c.bug_id = b.id and c.deleted_at is null and c.sender_type in ('reporter', 'developer')),
                     b.created_at) < ?
      order by coalesce((select max(c.message_at) from bug_conversations c
                         where c.bug_id = b.id and c.deleted_at is null and c.sender_type in ('reporter', 'developer')),
                        b.created_at), b.id
      limit 50`;
    const ours = `
      select b.id from bug_reports b
      where b.status in ('open', 'in_progress') and b.channel_id <> '' and b.last_activity_at < ?
      order by b.last_activity_at, b.id
      limit 50`;
    const medianOf = async (query: string) => {
      const timings: number[] = [];
      for (let run = 0; run < RUNS; run += 1) {
        const explain = await em.execute<{ 'QUERY PLAN': string }[]>(`explain (analyze, buffers) ${query}`, [
          threshold,
        ]);
        const plan = explain.map((row) => row['QUERY PLAN']).join('\n');
        timings.push(Number(/Execution Time: ([\d.]+) ms/.exec(plan)?.[1] ?? Number.NaN));
      }
      return timings.sort((a, b) => a - b)[Math.floor(RUNS / 2)]!;
    };
    const baselineMedianMs = await medianOf(baseline);
    const oursMedianMs = await medianOf(ours);

    // The sweep reads candidates page by page through the repository (MikroORM, hydrated entities). A deep page
    // must cost the same as the first: the cursor is a row comparison, i.e. the lower bound of the index scan.
    const timeIt = async (run: () => Promise<unknown>) => {
      const timings: number[] = [];
      for (let i = 0; i < RUNS; i += 1) {
        const t0 = performance.now();
        await run();
        timings.push(performance.now() - t0);
      }
      return timings.sort((x, y) => x - y)[Math.floor(RUNS / 2)]!;
    };
    const deep = (
      await em.execute<{ last_activity_at: Date; id: number }[]>(
        `select last_activity_at, id from bug_reports where status in ('open', 'in_progress') and channel_id <> '' and last_activity_at < ?
         order by last_activity_at, id offset ${Math.floor(bugs * 0.4)} limit 1`,
        [threshold],
      )
    )[0]!;
    const cursor = { at: new Date(deep.last_activity_at), id: Number(deep.id) };
    const firstPageMs = await timeIt(() => findIdleBugs(orm.em.fork(), threshold, null, 50));
    const deepPageMs = await timeIt(() => findIdleBugs(orm.em.fork(), threshold, cursor, 50));

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
    let candidates: number | null = null;
    if (options.planningPass ?? true) {
      candidates = 0;
      for await (const candidate of scanSweepCandidates(ctx, new Date(generatedAt), nextSweepAtFor(config.sweep)))
        if (candidate) candidates += 1;
    }
    const planningPassSeconds = candidates === null ? null : (performance.now() - started) / 1000;
    await orm.close(true);
    return {
      bugs,
      conversationRows: bugs * perBug,
      loadSeconds,
      fromCache,
      baselineMedianMs,
      oursMedianMs,
      speedup: baselineMedianMs / oursMedianMs,
      firstPageMs,
      deepPageMs,
      planningPassSeconds,
      candidates,
    };
  } finally {
    await server.stop();
    if (!options.cache) await rm(dataDir, { recursive: true, force: true });
  }
}

export function printStaleQuery(result: StaleQueryResult): void {
  const row = (what: string, value: string) => console.log(`${what.padEnd(52)} ${value}`);
  console.log(
    `stale query: ${result.bugs} bugs, ${result.conversationRows} conversation rows ` +
      (result.fromCache ? '(from the cache)' : `(generated in ${result.loadSeconds.toFixed(1)} s)`),
  );
  row('baseline (correlated max over conversations), median', `${result.baselineMedianMs.toFixed(2)} ms`);
  row('bugsweep (partial index on last_activity_at), median', `${result.oursMedianMs.toFixed(2)} ms`);
  row('baseline ÷ bugsweep', `${result.speedup.toFixed(0)}×`);
  row(
    'findIdleBugs first page / deep page (ORM, hydrated)',
    `${result.firstPageMs.toFixed(2)} / ${result.deepPageMs.toFixed(2)} ms`,
  );
  if (result.planningPassSeconds !== null && result.candidates !== null)
    row(
      "one sweep's planning pass",
      `${result.candidates} candidates in ${result.planningPassSeconds.toFixed(2)} s` +
        ` (${((result.planningPassSeconds * 1e6) / Math.max(1, result.candidates)).toFixed(0)} µs per bug)`,
    );
}

if (import.meta.main) {
  const args = benchArgs();
  printStaleQuery(
    await benchStaleQuery({
      ...(args.bugs ? { bugs: Number(args.bugs) } : {}),
      ...(args.messagesPerBug ? { messagesPerBug: Number(args.messagesPerBug) } : {}),
      cache: args.cache === 'yes',
      ...(args.runs ? { runs: Number(args.runs) } : {}),
      planningPass: args.planningPass !== 'no',
    }),
  );
}
