import { Migration } from '@mikro-orm/migrations';

// Each replica running the sweep's schedule records a heartbeat (issue 15), so `/bugs sweep status` and the admin App
// Home say which replicas run it and warn when none has for two slots, instead of trusting the configuration.
export class Migration20261203320000_sweep_heartbeats extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table sweep_heartbeats (
        replica_id text primary key,
        host text not null,
        pid integer not null,
        started_at timestamptz not null,
        last_beat_at timestamptz not null
      );`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table sweep_heartbeats;`);
  }
}
