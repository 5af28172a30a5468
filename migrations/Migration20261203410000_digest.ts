import { Migration } from '@mikro-orm/migrations';

// The digest of what waits on developers (issue 16, DIGEST_SCHEDULE / DIGEST_CHANNEL): one row per scheduled slot,
// inserted in the transaction that queues the digest's message, so with several replicas each slot's digest is
// decided once in PostgreSQL (the primary key) and sent once. `empty` slots are recorded too, with nothing sent.
// notice_id is the slack_notices row that carries it (no foreign key: notices may be truncated or pruned alone).
export class Migration20261203410000_digest extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table digest_runs (
        slot_key text primary key,
        channel_id text not null,
        status text not null check (status in ('sent', 'empty')),
        items integer not null default 0,
        notice_id bigint null,
        created_at timestamptz not null
      );`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists digest_runs;`);
  }
}
