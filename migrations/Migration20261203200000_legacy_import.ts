import { Migration } from '@mikro-orm/migrations';

// Legacy import (issue 14): each imported report keeps the old system's id, unique, so running an import twice (or
// again after a crash part-way) imports nothing twice; PostgreSQL decides, whichever process runs the import.
// An imported bug without a Slack thread has channel_id '' (see domain/legacy-report.ts): the sweep's partial
// indexes leave those out, so an import of thousands of old reports never slows the sweep's range scans. Listed
// after Migration20261203400000_turn, whose two indexes it narrows the same way.
const SWEEP_INDEXES = [
  ['bug_reports_stale_idx', `(last_activity_at, id) where status in ('open', 'in_progress')`],
  ['bug_reports_claim_idle_idx', `(claimant_last_activity_at, id) where status = 'in_progress'`],
  [
    'bug_reports_stale_reporter_idx',
    `(last_activity_at, id) where status in ('open', 'in_progress') and turn = 'reporter'`,
  ],
  [
    'bug_reports_nudge_idx',
    `(turn_since, id) where status in ('open', 'in_progress') and turn = 'developers' and nudged_at is null`,
  ],
] as const;

export class Migration20261203200000_legacy_import extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      alter table bug_reports
        add column legacy_id text null,
        add constraint bug_reports_legacy_id_unique unique (legacy_id);`);
    for (const [name, definition] of SWEEP_INDEXES) {
      this.addSql(`drop index if exists ${name};`);
      this.addSql(`create index ${name} on bug_reports ${definition} and channel_id <> '';`);
    }
  }

  override async down(): Promise<void> {
    for (const [name, definition] of SWEEP_INDEXES) {
      this.addSql(`drop index if exists ${name};`);
      this.addSql(`create index ${name} on bug_reports ${definition};`);
    }
    this.addSql(`alter table bug_reports drop column legacy_id;`);
  }
}
