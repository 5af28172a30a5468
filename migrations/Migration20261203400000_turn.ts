import { Migration } from '@mikro-orm/migrations';

// Whose turn it is (issue 16, AUTO_CLOSE_POLICY=waiting-on-reporter), kept with activity like last_activity_at:
// - bug_reports.turn: 'reporter' when a developer (or the claimant) spoke last, 'developers' when the reporter did or
//   nobody but the reporter has spoken (domain/turn.ts turnOf is the definition; the backfill below computes it).
// - bug_reports.turn_since: when the current turn began (the message that handed it over, or the bug's creation): the
//   developers' silence a nudge counts. A row inserted without it gets its created_at (trigger), so it is never null.
// - bug_reports.nudged_at / nudge_notice_id: the one nudge of the current developers' turn and its message, cleared
//   when the turn passes to the reporter.
// Two partial indexes keep the sweep's selections range scans under the policy: bugs waiting on the reporter by
// last_activity_at, and bugs waiting on developers, not yet nudged, by turn_since.
export class Migration20261203400000_turn extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      alter table bug_reports
        add column turn text not null default 'developers' check (turn in ('reporter', 'developers')),
        add column turn_since timestamptz(3) null,
        add column nudged_at timestamptz null,
        add column nudge_notice_id bigint null references slack_notices (id) on delete set null;`);
    this.addSql(`
      with last_message as (
        select distinct on (c.bug_id) c.bug_id, c.sender_type
        from bug_conversations c
        where c.deleted_at is null and c.sender_type in ('reporter', 'developer')
        order by c.bug_id, c.message_at desc, c.id desc)
      update bug_reports b set turn = 'reporter'
      from last_message m where m.bug_id = b.id and m.sender_type = 'developer';`);
    this.addSql(`update bug_reports b set turn_since = ${TURN_SINCE_SQL};`);
    this.addSql(`
      create function bug_reports_turn_since_default() returns trigger language plpgsql as $$
      begin
        new.turn_since := coalesce(new.turn_since, new.created_at);
        return new;
      end $$;`);
    this.addSql(`
      create trigger bug_reports_turn_since_default before insert on bug_reports
        for each row execute function bug_reports_turn_since_default();`);
    this.addSql(`alter table bug_reports alter column turn_since set not null;`);
    this.addSql(
      `create index bug_reports_stale_reporter_idx on bug_reports (last_activity_at, id) where status in ('open', 'in_progress') and turn = 'reporter';`,
    );
    this.addSql(
      `create index bug_reports_nudge_idx on bug_reports (turn_since, id) where status in ('open', 'in_progress') and turn = 'developers' and nudged_at is null;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists bug_reports_nudge_idx;`);
    this.addSql(`drop index if exists bug_reports_stale_reporter_idx;`);
    this.addSql(`drop trigger if exists bug_reports_turn_since_default on bug_reports;`);
    this.addSql(`drop function if exists bug_reports_turn_since_default();`);
    this.addSql(
      `alter table bug_reports drop column nudge_notice_id, drop column nudged_at, drop column turn_since, drop column turn;`,
    );
  }
}

/**
 * When the turn in `b.turn` began: the first message of the side whose message handed it over, after the other
 * side's last message; the bug's creation when only the reporter has spoken. The same expression as
 * recomputeTurn (src/db/repositories/bug-activity.repository.ts).
 */
const TURN_SINCE_SQL = `
  case when b.turn = 'reporter' then coalesce(
    (select min(c.message_at) from bug_conversations c
      where c.bug_id = b.id and c.deleted_at is null and c.sender_type = 'developer'
        and c.message_at >= coalesce((select max(r.message_at) from bug_conversations r
          where r.bug_id = b.id and r.deleted_at is null and r.sender_type = 'reporter'), '-infinity')),
    b.created_at)
  else greatest(b.created_at, coalesce(
    (select min(c.message_at) from bug_conversations c
      where c.bug_id = b.id and c.deleted_at is null and c.sender_type = 'reporter'
        and c.message_at >= (select max(d.message_at) from bug_conversations d
          where d.bug_id = b.id and d.deleted_at is null and d.sender_type = 'developer')),
    b.created_at)) end`;
