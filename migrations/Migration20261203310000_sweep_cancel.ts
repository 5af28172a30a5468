import { Migration } from '@mikro-orm/migrations';

// `/bugs sweep cancel` (issue 15): an admin asks the running sweep to stop, on whichever replica runs it. The request
// is stored on the run's row; the runner reads it between items, stops, and records the run as `cancelled` with its
// counts so far.
export class Migration20261203310000_sweep_cancel extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      alter table sweep_runs
        add column cancel_requested_at timestamptz null,
        add column cancel_requested_by text null,
        drop constraint sweep_runs_status_check,
        add constraint sweep_runs_status_check
          check (status in ('running', 'completed', 'failed', 'skipped', 'cancelled'));`);
  }

  override async down(): Promise<void> {
    this.addSql(`update sweep_runs set status = 'completed' where status = 'cancelled';`);
    this.addSql(`
      alter table sweep_runs
        drop column cancel_requested_at,
        drop column cancel_requested_by,
        drop constraint sweep_runs_status_check,
        add constraint sweep_runs_status_check check (status in ('running', 'completed', 'failed', 'skipped'));`);
  }
}
