import { Migration } from '@mikro-orm/migrations';

// /metrics shows bugs by status and severity (bugsweep_bugs). Counting them with a GROUP BY read the whole of
// bug_reports at every scrape (350 ms at 1,000,000 bugs, growing with the history of closed bugs). Triggers now
// record every change of a bug's (status, severity) as a signed count in bug_report_count_deltas, and the gauge sums
// that small table. Rows are only ever inserted, never updated, so writers never wait for each other on a counter
// row and cannot deadlock on one; the reader folds the rows into one per pair now and then (metrics.repository.ts).
// - INSERT and DELETE: statement triggers over their transition tables, one row per pair and statement (an import
//   batch of 500 bugs adds a few rows, not 500).
// - UPDATE: a row trigger, only when status or severity really changed (a reply's activity update does not fire it).
// - TRUNCATE of bug_reports empties the counts.
const DELTA = 'bug_report_count_deltas';

export class Migration20261204799000_bug_count_deltas extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table ${DELTA} (status text not null, severity text not null, delta bigint not null);`);
    this.addSql(`
      create function bug_report_counts_inserted() returns trigger language plpgsql as $$
      begin
        insert into ${DELTA} (status, severity, delta)
          select status, severity, count(*) from inserted_bugs group by status, severity;
        return null;
      end $$;`);
    this.addSql(`
      create function bug_report_counts_deleted() returns trigger language plpgsql as $$
      begin
        insert into ${DELTA} (status, severity, delta)
          select status, severity, -count(*) from deleted_bugs group by status, severity;
        return null;
      end $$;`);
    this.addSql(`
      create function bug_report_counts_updated() returns trigger language plpgsql as $$
      begin
        insert into ${DELTA} (status, severity, delta)
          values (old.status, old.severity, -1), (new.status, new.severity, 1);
        return null;
      end $$;`);
    this.addSql(`
      create function bug_report_counts_truncated() returns trigger language plpgsql as $$
      begin
        delete from ${DELTA};
        return null;
      end $$;`);
    this.addSql(`
      create trigger bug_report_counts_insert after insert on bug_reports
        referencing new table as inserted_bugs for each statement execute function bug_report_counts_inserted();`);
    this.addSql(`
      create trigger bug_report_counts_delete after delete on bug_reports
        referencing old table as deleted_bugs for each statement execute function bug_report_counts_deleted();`);
    this.addSql(`
      create trigger bug_report_counts_update after update of status, severity on bug_reports for each row
        when (old.status is distinct from new.status or old.severity is distinct from new.severity)
        execute function bug_report_counts_updated();`);
    this.addSql(`
      create trigger bug_report_counts_truncate after truncate on bug_reports
        for each statement execute function bug_report_counts_truncated();`);
    // Creating the triggers locks out writes to bug_reports until this commits, so the backfill sees them all.
    this.addSql(`
      insert into ${DELTA} (status, severity, delta)
        select status, severity, count(*) from bug_reports group by status, severity;`);
  }

  override async down(): Promise<void> {
    for (const event of ['insert', 'delete', 'update', 'truncate']) {
      this.addSql(`drop trigger if exists bug_report_counts_${event} on bug_reports;`);
    }
    for (const fn of ['inserted', 'deleted', 'updated', 'truncated']) {
      this.addSql(`drop function if exists bug_report_counts_${fn}();`);
    }
    this.addSql(`drop table if exists ${DELTA};`);
  }
}
