import { Migration } from '@mikro-orm/migrations';

// The sweep selects open, claimed and awaiting-verification bugs (SWEEPABLE_STATUSES), but the legacy import's and
// the turn's migrations rebuilt its partial indexes for open and claimed only: PostgreSQL cannot prove the sweep's
// predicate implies theirs, so every page of findIdleBugs scanned and sorted the table (about 300 ms at 1,000,000
// bugs). The same indexes, for the statuses the sweep reads: each page is an index range scan again.
const SWEEPABLE = `status in ('open', 'in_progress', 'awaiting_verification') and channel_id <> ''`;
const NARROW = `status in ('open', 'in_progress') and channel_id <> ''`;
const INDEXES = [
  ['bug_reports_stale_idx', '(last_activity_at, id)', ''],
  ['bug_reports_stale_reporter_idx', '(last_activity_at, id)', ` and turn = 'reporter'`],
  ['bug_reports_nudge_idx', '(turn_since, id)', ` and turn = 'developers' and nudged_at is null`],
] as const;

export class Migration20261203707700_sweep_index_statuses extends Migration {
  override async up(): Promise<void> {
    for (const [name, columns, extra] of INDEXES) {
      this.addSql(`drop index if exists ${name};`);
      this.addSql(`create index ${name} on bug_reports ${columns} where ${SWEEPABLE}${extra};`);
    }
  }

  override async down(): Promise<void> {
    for (const [name, columns, extra] of INDEXES) {
      this.addSql(`drop index if exists ${name};`);
      this.addSql(`create index ${name} on bug_reports ${columns} where ${NARROW}${extra};`);
    }
  }
}
