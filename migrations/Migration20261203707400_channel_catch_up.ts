import { Migration } from '@mikro-orm/migrations';

// Top-level reports posted in a bug channel while the bot was stopped or could not store them are read back from
// conversations.history (issue 12). Per bug channel, seen_to_ts is the newest top-level message a complete read of
// its history has handled (or, for a channel the catch-up met with nothing stored, when it began watching it): the
// next read starts there or at the newest message stored since, whichever is later, never before.
export class Migration20261203707400_channel_catch_up extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table bug_channel_catch_up (
        channel_id text primary key,
        seen_to_ts text not null check (seen_to_ts ~ '^[0-9]{1,16}\\.[0-9]{1,16}$'),
        updated_at timestamptz not null default now()
      );`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists bug_channel_catch_up;`);
  }
}
