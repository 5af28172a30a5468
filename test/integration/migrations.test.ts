import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { migrateToLatest, type Orm, openOrm } from '../../src/db/orm.ts';
import { adminQuery, withDatabase } from '../support/global-setup.ts';

const adminUrl = inject('adminDatabaseUrl');
const name = `bugsweep_migrate_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
const orms: Orm[] = [];

afterAll(async () => {
  await Promise.all(orms.map((orm) => orm.close(true)));
  await adminQuery(adminUrl, `drop database if exists ${name} with (force)`);
});

describe('migrations at start-up', () => {
  it('two instances starting at once on an empty database migrate it exactly once', async () => {
    await adminQuery(adminUrl, `create database ${name}`);
    const [first, second] = await Promise.all([
      openOrm(withDatabase(adminUrl, name)),
      openOrm(withDatabase(adminUrl, name)),
    ]);
    orms.push(first, second);
    const [a, b] = await Promise.all([migrateToLatest(first), migrateToLatest(second)]);
    expect([...a, ...b]).toEqual([
      'Migration20261124000000_initial_schema',
      'Migration20261125000000_notice_links',
      'Migration20261125010000_millisecond_activity',
      'Migration20261125020000_unknown_senders',
      'Migration20261202110000_report_source_view',
      'Migration20261202130000_slack_limits',
      'Migration20261203000000_agent_api',
      'Migration20261203100000_duplicates_and_telemetry',
      'Migration20261203300000_sla_and_backlog_alerts',
      'Migration20261203310000_sweep_cancel',
      'Migration20261203320000_sweep_heartbeats',
      'Migration20261203400000_turn',
      'Migration20261203410000_digest',
      'Migration20261203420000_engagement',
      'Migration20261203430000_follow_ups',
      'Migration20261203600000_thread_catch_up',
      'Migration20261203200000_legacy_import',
      'Migration20261203707100_sweep_schedule',
      'Migration20261203707400_channel_catch_up',
      'Migration20261203707500_duplicate_notice',
      'Migration20261203707510_imported_threads',
      'Migration20261203707520_fingerprint_backfill',
      'Migration20261203707700_sweep_index_statuses',
      'Migration20261204799000_bug_count_deltas',
    ]);
    const tables = await first.em
      .fork()
      .execute<{ table_name: string }[]>(
        `select table_name from information_schema.tables where table_schema = 'public' order by table_name`,
      );
    expect(tables.map((t) => t.table_name)).toEqual(
      expect.arrayContaining([
        'bug_reports',
        'bug_conversations',
        'bug_events',
        'slack_notices',
        'sweep_runs',
        'sweep_state',
        'sweep_events',
      ]),
    );
    expect(await migrateToLatest(first)).toEqual([]);
  });
});
