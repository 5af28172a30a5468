import { Migration } from '@mikro-orm/migrations';

// SLA due times and backlog alerts (issue 15).
// - bug_reports.sla_started_at / sla_due_at: the SLA clock (domain/sla.ts); null while stopped or for a severity
//   without a due time. sla_breach_notified_for is the due time whose breach was announced: the sweep sets it in
//   the transaction that queues the notice, on the locked bug, so a breach is announced once per bug and due time
//   on any number of replicas and across restarts; a new due time (severity change, reopen) can be announced again.
// - The partial index holds exactly the bugs a breach could be due for, in due-time order: the sweep's phase is a
//   range scan of it.
// - backlog_alert_state: one row per BACKLOG_ALERT condition (its key), locked FOR UPDATE by the check, so of
//   several replicas checking at once one decides and announces, the others see what it decided.
export class Migration20261203300000_sla_and_backlog_alerts extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      alter table bug_reports
        add column sla_started_at timestamptz null,
        add column sla_due_at timestamptz null,
        add column sla_breach_notified_for timestamptz null;`);
    this.addSql(`
      create index bug_reports_sla_due_idx on bug_reports (sla_due_at, id)
        where sla_due_at is not null and status in ('open', 'in_progress');`);
    this.addSql(`
      create table backlog_alert_state (
        condition_key text primary key,
        over_since timestamptz null,
        raised_at timestamptz null,
        checked_at timestamptz not null,
        last_count integer not null default 0
      );`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table backlog_alert_state;`);
    this.addSql(`drop index bug_reports_sla_due_idx;`);
    this.addSql(`
      alter table bug_reports
        drop column sla_started_at,
        drop column sla_due_at,
        drop column sla_breach_notified_for;`);
  }
}
