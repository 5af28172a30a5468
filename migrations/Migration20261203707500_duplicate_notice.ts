import { Migration } from '@mikro-orm/migrations';

// The "Looks like *BUG-12*…" notice of a duplicate, so a split ("Not a duplicate", `/bugs split`) can edit it to say
// the bug was split out and by whom, without its button.
// - bug_reports.duplicate_notice_id: the outbox notice that posted it; set when the bug is linked, cleared by a split.
// - Duplicates linked before this column existed get theirs from the outbox: the newest thread notice of the bug
//   carrying the Not a duplicate block (messages/ids.ts BLOCKS.duplicateActions).
export class Migration20261203707500_duplicate_notice extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table bug_reports add column duplicate_notice_id bigint null;`);
    this.addSql(`
      update bug_reports b set duplicate_notice_id = (
        select max(n.id) from slack_notices n
        where n.bug_id = b.id and n.purpose = 'thread_notice'
          and n.payload -> 'blocks' @> jsonb_build_array(jsonb_build_object('block_id', 'duplicate_actions:' || b.id)))
      where b.duplicate_of_id is not null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table bug_reports drop column duplicate_notice_id;`);
  }
}
