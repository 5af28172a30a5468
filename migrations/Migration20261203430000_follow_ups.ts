import { Migration } from '@mikro-orm/migrations';

// Late replies (issue 16): a reporter's or developer's reply in the thread of a bug closed longer ago than
// REOPEN_WITHIN is answered once, privately, with "Open a follow-up", which files a new bug linked to the old one.
// - bug_reports.follow_up_of: the bug a follow-up follows; unique, so pressing the button twice (or on two replicas)
//   files one follow-up.
// - follow_up_offers: the private answer is given once per (bug, person).
export class Migration20261203430000_follow_ups extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table bug_reports add column follow_up_of integer null references bug_reports (id) on delete set null;`,
    );
    this.addSql(
      `create unique index bug_reports_follow_up_of_unique on bug_reports (follow_up_of) where follow_up_of is not null;`,
    );
    this.addSql(`
      create table follow_up_offers (
        bug_id integer not null references bug_reports (id) on delete cascade,
        user_id text not null,
        reply_ts text not null,
        created_at timestamptz not null,
        primary key (bug_id, user_id)
      );`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists follow_up_offers;`);
    this.addSql(`drop index if exists bug_reports_follow_up_of_unique;`);
    this.addSql(`alter table bug_reports drop column follow_up_of;`);
  }
}
