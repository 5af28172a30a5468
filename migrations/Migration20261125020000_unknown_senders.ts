import { Migration } from '@mikro-orm/migrations';

// Replies stored while the developer user group could not be fetched are flagged and looked at again when it
// loads (every refresh asks): a partial index keeps that question cheap however many rows the table holds.
export class Migration20261125020000_unknown_senders extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create index bug_conversations_developers_unknown_idx on bug_conversations (id) where metadata @> '{"developersUnknown": true}';`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists bug_conversations_developers_unknown_idx;`);
  }
}
