import { Migration } from '@mikro-orm/migrations';

// A report filed through the modal remembers the Slack view it was submitted from. Submitting the same view again
// (Slack answered slowly and the person pressed Report twice, possibly reaching another replica) finds that bug
// instead of filing a second one: the unique key decides between replicas, never process memory.
export class Migration20261202110000_report_source_view extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      alter table bug_reports
        add column source_view_id text null,
        add constraint bug_reports_source_view_unique unique (source_view_id);`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table bug_reports drop column source_view_id;`);
  }
}
