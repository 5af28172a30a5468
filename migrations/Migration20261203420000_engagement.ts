import { Migration } from '@mikro-orm/migrations';

// Engagement (issue 16, ENGAGEMENT_EXEMPT): how many people care about a bug, kept as each reaction or reply comes
// in, never aggregated by the sweep.
// - bug_reactions: one row per (bug, user, reaction) on the bug's root message; bug_reports.reactors is the number
//   of distinct users among them (the reporter and the bot aside), recounted for that one bug on each change.
// - bug_affected: one row per bystander whose reply said they are affected too ("same here", "+1", the same error);
//   bug_reports.affected_reporters counts them, each once.
export class Migration20261203420000_engagement extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      alter table bug_reports
        add column reactors integer not null default 0,
        add column affected_reporters integer not null default 0;`);
    this.addSql(`
      create table bug_reactions (
        bug_id integer not null references bug_reports (id) on delete cascade,
        user_id text not null,
        reaction text not null,
        primary key (bug_id, user_id, reaction)
      );`);
    this.addSql(`
      create table bug_affected (
        bug_id integer not null references bug_reports (id) on delete cascade,
        user_id text not null,
        created_at timestamptz not null,
        primary key (bug_id, user_id)
      );`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists bug_affected;`);
    this.addSql(`drop table if exists bug_reactions;`);
    this.addSql(`alter table bug_reports drop column affected_reporters, drop column reactors;`);
  }
}
