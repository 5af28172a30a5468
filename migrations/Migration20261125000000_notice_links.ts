import { Migration } from '@mikro-orm/migrations';

// The warning and the reminder are outbox notices: the bug points at the notice, so "has the warning been
// visible for the whole warning period" is the notice's sent_at, and the message to edit later is its result_ts.
// A notice that is no longer wanted before it was sent (a warning cleared by a reply) is cancelled, not sent.
export class Migration20261125000000_notice_links extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table bug_reports drop column warning_ts, drop column reminder_ts;`);
    this.addSql(`
      alter table bug_reports
        add column warning_notice_id bigint null references slack_notices (id) on delete set null,
        add column reminder_notice_id bigint null references slack_notices (id) on delete set null,
        add column auto_close_at timestamptz null;`);
    this.addSql(`alter table slack_notices drop constraint slack_notices_status_check;`);
    this.addSql(
      `alter table slack_notices add constraint slack_notices_status_check check (status in ('pending', 'sending', 'sent', 'failed', 'cancelled'));`,
    );
    // /bugs list and App Home: the open work, newest first.
    this.addSql(`create index bug_reports_status_created_idx on bug_reports (status, created_at desc);`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists bug_reports_status_created_idx;`);
    this.addSql(`update slack_notices set status = 'failed', last_error = 'cancelled' where status = 'cancelled';`);
    this.addSql(`alter table slack_notices drop constraint slack_notices_status_check;`);
    this.addSql(
      `alter table slack_notices add constraint slack_notices_status_check check (status in ('pending', 'sending', 'sent', 'failed'));`,
    );
    this.addSql(
      `alter table bug_reports drop column warning_notice_id, drop column reminder_notice_id, drop column auto_close_at;`,
    );
    this.addSql(`alter table bug_reports add column warning_ts text null, add column reminder_ts text null;`);
  }
}
