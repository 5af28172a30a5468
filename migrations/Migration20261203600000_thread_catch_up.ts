import { Migration } from '@mikro-orm/migrations';

// Replies posted while the bot was stopped or could not store them are read back from Slack (issue 12). Until a
// bug's thread has been read again, catch_up_due_at holds when that was asked for, and the sweep neither warns nor
// closes the bug nor releases its claim: someone may have answered.
export class Migration20261203600000_thread_catch_up extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      alter table bug_reports add column catch_up_due_at timestamptz null;
      create index bug_reports_catch_up_idx on bug_reports (catch_up_due_at, id) where catch_up_due_at is not null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table bug_reports drop column catch_up_due_at;`);
  }
}
