import { Migration } from '@mikro-orm/migrations';

// Bugs filed before grouping existed have no fingerprint, and the trace ids, request ids and release SHAs their text
// mentions were never indexed (the grouping migration indexed only the three columns). A fingerprint is computed in
// TypeScript (domain/fingerprint.ts), so SQL cannot fill it in here: this marks those bugs, and every bugsweep
// process works the marks off at start-up in batches (services/fingerprint-backfill.ts), each batch's rows taken
// with `for update skip locked` so replicas starting together never do the same bug twice.
// - bug_reports.fingerprint_backfill_due: true until the bug's fingerprint and telemetry ids have been computed.
export class Migration20261203707520_fingerprint_backfill extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table bug_reports add column fingerprint_backfill_due boolean not null default false;`);
    this.addSql(`update bug_reports set fingerprint_backfill_due = true where fingerprint is null;`);
    this.addSql(
      `create index bug_reports_fingerprint_backfill_idx on bug_reports (id) where fingerprint_backfill_due;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table bug_reports drop column fingerprint_backfill_due;`);
  }
}
