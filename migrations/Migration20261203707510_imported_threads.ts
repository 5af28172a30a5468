import { Migration } from '@mikro-orm/migrations';

// Imported bugs posted to Slack (`npm run import -- … --channel C…`): each open one gets a `thread_root` notice, a
// new top-level message in that channel; once it is posted, the bug takes its thread and its card follows.
// - slack_notices_thread_root_active_idx: at most one root message pending or being sent per bug, whoever queues it
//   (a re-run of the import, two imports at once), so PostgreSQL decides and no bug is posted twice.
export class Migration20261203707510_imported_threads extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create unique index slack_notices_thread_root_active_idx on slack_notices (bug_id)
      where purpose = 'thread_root' and status in ('pending', 'sending');`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists slack_notices_thread_root_active_idx;`);
  }
}
