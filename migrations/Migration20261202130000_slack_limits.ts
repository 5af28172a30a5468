import { Migration } from '@mikro-orm/migrations';

// Slack's real limits (issue 17) and who goes first (issue 12):
// - slack_notices.priority: 0 for what a person is waiting for (a new bug's card, a lifecycle notice), 1 for the
//   sweep's bulk notices; a channel sends its most urgent thread first, each thread stays in order.
// - slack_method_pacing: the workspace-wide budget of a Web API method (chat.update and conversations.replies are
//   Tier 3, about 50 a minute for the whole workspace), shared by every replica: next_call_at is the theoretical
//   time of the next call (a GCRA cell), pushed forward by each call and by a 429's Retry-After.
// - bug_reports.claim_release_at: the release time a claim reminder stated; the sweep never releases before it.
export class Migration20261202130000_slack_limits extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table slack_notices add column priority smallint not null default 0 check (priority in (0, 1));`,
    );
    this.addSql(`
      create table slack_method_pacing (
        method text primary key,
        next_call_at timestamptz not null
      );`);
    this.addSql(`alter table bug_reports add column claim_release_at timestamptz null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table bug_reports drop column claim_release_at;`);
    this.addSql(`drop table if exists slack_method_pacing;`);
    this.addSql(`alter table slack_notices drop column priority;`);
  }
}
