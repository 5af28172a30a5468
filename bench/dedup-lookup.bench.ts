// Measures grouping at intake with many bugs: the statements a new report with a fingerprint runs (the
// fingerprint's transaction lock, its group, the canonical bug, the "Not a duplicate" pair), and the near-duplicate
// title look-up, each in its own transaction as the intake does. Prints p50/p99; asserts nothing.
//   npm run bench:dedup -- [bugs=1000000] [lookups=2000]
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres } from '../src/db/embedded-postgres.ts';
import { BugReport } from '../src/db/entities/index.ts';
import { LOCK_KEYS, lockForTransaction } from '../src/db/locks.ts';
import { migrateToLatest, openOrm } from '../src/db/orm.ts';
import {
  findGroupByFingerprint,
  findNearDuplicate,
  isNotDuplicatePair,
} from '../src/db/repositories/dedup.repository.ts';
import { NEAR_DUPLICATE_SIMILARITY } from '../src/domain/duplicates.ts';
import { freePort } from '../test/support/free-port.ts';

const args = Object.fromEntries(process.argv.slice(2).map((arg) => arg.split('=') as [string, string]));
const BUGS = Number(args.bugs ?? 1_000_000);
const LOOKUPS = Number(args.lookups ?? 2_000);

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
const ms = (value: number) => `${value.toFixed(2)} ms`;

const dataDir = await mkdtemp(path.join(os.tmpdir(), 'bugsweep-bench-dedup-'));
const server = await startEmbeddedPostgres({ dataDir, port: await freePort(), persistent: false });
try {
  await server.createDatabase('bench');
  const orm = await openOrm(server.urlFor('bench'));
  await migrateToLatest(orm);
  const em = orm.em.fork();
  const started = performance.now();
  // One bug in three has a fingerprint; groups of about three reports each; titles from a small vocabulary.
  await em.execute(`
    insert into bug_reports (id, ref, title, status, reporter_id, channel_id, thread_ts, fingerprint,
                             duplicate_of_id, created_at, updated_at, last_activity_at)
    select g, 'BUG-' || g,
           (array['Checkout','Login','Search','Export','Invoice','Avatar','Cart','Payment'])[1 + g % 8] || ' ' ||
           (array['fails','hangs','crashes','is slow','shows an error','times out'])[1 + (g / 8) % 6] || ' ' || (g % 997),
           (array['open','in_progress','resolved','closed','open','escalated'])[1 + g % 6],
           'U' || (g % 5000), 'C' || (g % 20), '1700000000.' || lpad(g::text, 7, '0'),
           case when g % 3 = 0 then 'v1:' || md5((g / 9)::text) end, null,
           now() - (g % 90) * interval '1 day', now(), now() - (g % 90) * interval '1 day'
    from generate_series(1, ${BUGS}) g`);
  await em.execute(`
    insert into bug_report_dedup (fingerprint, canonical_bug_id, occurrence_count, first_seen_at, last_seen_at)
    select distinct on (fingerprint) fingerprint, id, 3, created_at, created_at from bug_reports
    where fingerprint is not null order by fingerprint, id`);
  await em.execute('vacuum analyze bug_reports');
  await em.execute('vacuum analyze bug_report_dedup');
  const groups = await em.execute<{ n: string }[]>('select count(*) as n from bug_report_dedup');
  console.log(
    `data: ${BUGS} bugs, ${groups[0]!.n} duplicate groups (loaded in ${((performance.now() - started) / 1000).toFixed(1)} s)`,
  );

  const timings: number[] = [];
  for (let i = 0; i < LOOKUPS; i++) {
    // Half the look-ups find a group, half are new fingerprints.
    const fingerprint = i % 2 === 0 ? `v1:${await md5(String(i * 7))}` : `v1:new-${i}`;
    const t0 = performance.now();
    await orm.em.fork().transactional(async (tx) => {
      await lockForTransaction(tx, { namespace: LOCK_KEYS.fingerprint, name: fingerprint });
      const group = await findGroupByFingerprint(tx, fingerprint);
      const canonical = group ? await tx.findOne(BugReport, { id: group.canonicalBugId }, { refresh: true }) : null;
      if (canonical) await isNotDuplicatePair(tx, BUGS + 1, canonical.id);
    });
    timings.push(performance.now() - t0);
  }
  timings.sort((a, b) => a - b);
  console.log(
    `fingerprint look-up at intake (lock, group, canonical bug, pair), ${LOOKUPS} runs: p50 ${ms(percentile(timings, 0.5))}, p99 ${ms(percentile(timings, 0.99))}`,
  );

  const near: number[] = [];
  const since = new Date(Date.now() - 30 * 86_400_000);
  for (let i = 0; i < Math.min(LOOKUPS, 500); i++) {
    const title = `${['Checkout', 'Login', 'Search', 'Export'][i % 4]} fails ${i % 997} after update`;
    const t0 = performance.now();
    await orm.em
      .fork()
      .transactional((tx) =>
        findNearDuplicate(
          tx,
          { id: BUGS + 1, channelId: `C${i % 20}`, title, fingerprint: null },
          since,
          NEAR_DUPLICATE_SIMILARITY,
        ),
      );
    near.push(performance.now() - t0);
  }
  near.sort((a, b) => a - b);
  console.log(
    `near-duplicate title look-up (pg_trgm, same channel, ${near.length} runs): p50 ${ms(percentile(near, 0.5))}, p99 ${ms(percentile(near, 0.99))}`,
  );
  await orm.close(true);

  async function md5(text: string): Promise<string> {
    const rows = await em.execute<{ h: string }[]>(`select md5('${text}') as h`);
    return rows[0]!.h;
  }
} finally {
  await server.stop();
  await rm(dataDir, { recursive: true, force: true });
}
