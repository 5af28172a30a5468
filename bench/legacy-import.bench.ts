// Measures the legacy import (npm run import): records per second for a file of 100,000 old reports (1% of them
// bad), then the same file again (everything already present, nothing written). Prints figures; asserts nothing.
//   node bench/legacy-import.bench.ts [records=100000] [batch=500]
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createAppContext } from '../src/bugsweep.ts';
import { loadConfig } from '../src/config.ts';
import { startEmbeddedPostgres } from '../src/db/embedded-postgres.ts';
import { migrateToLatest, openOrm } from '../src/db/orm.ts';
import { createLogger } from '../src/logger.ts';
import { importLegacyReports } from '../src/services/legacy-import/import-legacy.ts';
import { freePort } from '../test/support/free-port.ts';

const args = Object.fromEntries(process.argv.slice(2).map((arg) => arg.split('=') as [string, string]));
const RECORDS = Number(args.records ?? 100_000);
const BATCH = Number(args.batch ?? 500);

const dataDir = await mkdtemp(path.join(os.tmpdir(), 'bugsweep-bench-import-'));
const server = await startEmbeddedPostgres({ dataDir, port: await freePort(), persistent: false });
try {
  await server.createDatabase('bench');
  const orm = await openOrm(server.urlFor('bench'));
  await migrateToLatest(orm);
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

  const severities = ['P0', 'major', 'normal', 'minor', 'low'];
  const statuses = ['open', 'In Progress', 'fixed', 'closed', 'new'];
  const lines: string[] = [];
  for (let i = 1; i <= RECORDS; i += 1) {
    // One in a hundred has no creation time: rejected.
    const created = i % 100 === 0 ? {} : { created_at: new Date(Date.UTC(2022, 0, 1) + i * 60_000).toISOString() };
    lines.push(
      JSON.stringify({
        id: `OLD-${i}`,
        title: `Old report number ${i}: the export fails on large files`,
        description: `TypeError: Cannot read properties of undefined (reading 'rows')\n    at exportRows (src/export.ts:${i % 400}:12)\ntrace_id=tr-${i.toString(16)}`,
        priority: severities[i % severities.length],
        status: statuses[i % statuses.length],
        reporter: i % 3 === 0 ? `U0${(i % 500).toString().padStart(6, '0')}` : `person${i % 500}@example.com`,
        assignee: i % 5 === 1 ? 'U0DEV0001' : undefined,
        ...created,
        updated_at: new Date(Date.UTC(2023, 0, 1) + i * 60_000).toISOString(),
        release_sha: (0x1a2b3c4d + i).toString(16),
      }),
    );
  }
  const file = path.join(dataDir, 'reports.jsonl');
  await writeFile(file, `${lines.join('\n')}\n`);
  const rejectsPath = path.join(dataDir, 'rejects.jsonl');

  for (const label of ['first import', 'the same file again (all already present)']) {
    const summary = await importLegacyReports(ctx, { input: file, batchSize: BATCH, rejectsPath });
    const seconds = summary.elapsedMs / 1000;
    console.log(
      `${label}: ${summary.read} records in ${seconds.toFixed(2)} s = ${Math.round(summary.read / seconds)} records/s ` +
        `(imported ${summary.imported}, already present ${summary.alreadyPresent}, rejected ${summary.rejected}; batches of ${BATCH})`,
    );
  }
  await ctx.notifier.stop();
  await orm.close(true);
} finally {
  await server.stop();
  await rm(dataDir, { recursive: true, force: true });
}
