import { Migration } from '@mikro-orm/migrations';

// The sweep pages through bugs by (activity time, id). Cursors travel through JavaScript Dates, which hold
// milliseconds; a column holding microseconds would make a cursor compare below its own row and pages repeat.
// Keeping these two columns at millisecond precision makes every cursor round-trip exactly.
export class Migration20261125010000_millisecond_activity extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table bug_reports alter column last_activity_at type timestamptz(3), alter column claimant_last_activity_at type timestamptz(3);`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(
      `alter table bug_reports alter column last_activity_at type timestamptz, alter column claimant_last_activity_at type timestamptz;`,
    );
  }
}
