import { Migration } from '@mikro-orm/migrations';

// The agent API (issue 13): agents as actors, an agent's fix waiting for verification, scoped API tokens whose
// secrets are stored only as hashes, retried POSTs answered from PostgreSQL (so a retry on another replica files
// nothing twice), and the remediation work queue (attempts, cool-down, opting a bug out of automation).
export class Migration20261203000000_agent_api extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      alter table bug_reports
        drop constraint bug_reports_status_check,
        add constraint bug_reports_status_check
          check (status in ('open', 'in_progress', 'resolved', 'closed', 'escalated', 'awaiting_verification')),
        drop constraint bug_reports_close_reason_check,
        add constraint bug_reports_close_reason_check
          check (close_reason in ('inactivity', 'withdrawn', 'manual', 'duplicate', 'unverified')),
        add column source text not null default 'slack' check (source in ('slack', 'agent', 'system')),
        add column resolution_note text null,
        add column resolution_link text null,
        add column automation_opt_out boolean not null default false,
        add column agent_attempts integer not null default 0,
        add column agent_retry_after timestamptz null;`);
    this.addSql(`
      alter table bug_events
        drop constraint bug_events_actor_kind_check,
        add constraint bug_events_actor_kind_check check (actor_kind in ('user', 'admin', 'system', 'agent'));`);
    this.addSql(`
      alter table sweep_runs
        drop constraint sweep_runs_trigger_check,
        add constraint sweep_runs_trigger_check check (trigger in ('schedule', 'admin', 'cli', 'api'));`);
    // The sweep also looks at fixes waiting for verification; its selection stays an index range scan.
    this.addSql(`drop index bug_reports_stale_idx;`);
    this.addSql(`
      create index bug_reports_stale_idx on bug_reports (last_activity_at, id)
        where status in ('open', 'in_progress', 'awaiting_verification');`);
    // The work queue hands out the most severe, then the oldest, open unclaimed bug: one index walk.
    this.addSql(`
      create index bug_reports_work_queue_idx on bug_reports
        ((case severity when 'critical' then 0 when 'high' then 1 when 'medium' then 2 else 3 end), created_at, id)
        where status = 'open' and claimant_id is null and not automation_opt_out;`);
    // The API lists bugs newest-updated first with a keyset cursor, filtered or not.
    this.addSql(`create index bug_reports_updated_idx on bug_reports (updated_at desc, id desc);`);
    this.addSql(`create index bug_reports_status_updated_idx on bug_reports (status, updated_at desc, id desc);`);
    this.addSql(`create index bug_reports_reporter_idx on bug_reports (reporter_id, updated_at desc, id desc);`);
    this.addSql(`create index bug_reports_trace_idx on bug_reports (trace_id) where trace_id is not null;`);
    this.addSql(`create index bug_reports_request_idx on bug_reports (request_id) where request_id is not null;`);
    this.addSql(`create index bug_reports_release_idx on bug_reports (release_sha) where release_sha is not null;`);
    this.addSql(`
      create table api_tokens (
        id bigserial primary key,
        name text not null unique check (name ~ '^[a-z0-9][a-z0-9.-]{0,62}$'),
        secret_hash bytea not null,
        scopes text[] not null check (scopes <@ array['read', 'write', 'admin']::text[] and cardinality(scopes) > 0),
        created_at timestamptz not null,
        last_used_at timestamptz null,
        revoked_at timestamptz null,
        rate_tat timestamptz null
      );`);
    this.addSql(`
      create table api_idempotency_keys (
        token_name text not null,
        key text not null,
        request_hash text not null,
        status integer null,
        response jsonb null,
        created_at timestamptz not null,
        primary key (token_name, key)
      );`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table api_idempotency_keys;`);
    this.addSql(`drop table api_tokens;`);
    this.addSql(`drop index bug_reports_work_queue_idx, bug_reports_updated_idx, bug_reports_status_updated_idx,
      bug_reports_reporter_idx, bug_reports_trace_idx, bug_reports_request_idx, bug_reports_release_idx;`);
  }
}
