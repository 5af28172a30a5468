// Threads that may be missing replies (posted while the bot was stopped or could not store them) until they are
// read back from Slack: bug_reports.catch_up_due_at. PostgreSQL's own clock orders a mark against the reading that
// clears it, so a mark made while a thread is being read is never cleared by that reading.
import type { EntityManager } from '@mikro-orm/postgresql';
import { sql } from 'kysely';
import { UNRESOLVED_STATUSES } from '../../domain/bug-status.ts';
import { NO_SLACK_CHANNEL } from '../../domain/legacy-report.ts';
import { compareSlackTs } from '../../domain/slack-refs.ts';

/** Every unresolved bug's thread is to be read again (imported bugs without one have none). Returns how many. */
export async function markThreadsForCatchUp(em: EntityManager): Promise<number> {
  const marked = await sql<{ id: number }>`
    update bug_reports set catch_up_due_at = clock_timestamp()
    where status = any(${[...UNRESOLVED_STATUSES]}) and channel_id <> ${NO_SLACK_CHANNEL}
    returning id`.execute(em.getKysely());
  return marked.rows.length;
}

export type ThreadToCatchUp = {
  bugId: number;
  channelId: string;
  threadTs: string;
  /** The newest message of the thread already stored, if any. */
  latestStoredTs: string | null;
  /** Stored replies (the report left out) not marked deleted, and the newest of them. */
  liveReplies: number;
  latestLiveReplyTs: string | null;
};

/**
 * The threads marked for catch-up (oldest mark first), or only the given bugs' (when marked), and the moment they
 * were read from the database.
 */
export async function findThreadsToCatchUp(
  em: EntityManager,
  limit: number,
  bugIds?: readonly number[],
): Promise<{ readAt: string; threads: ThreadToCatchUp[] }> {
  const only = bugIds ? sql`and b.id = any(${[...bugIds]}::int[])` : sql``;
  const result = await sql<{
    id: number;
    channel_id: string;
    thread_ts: string;
    latest_ts: string | null;
    live_replies: string | number;
    latest_live_reply_ts: string | null;
    read_at: string;
  }>`
    select b.id, b.channel_id, b.thread_ts, clock_timestamp()::text as read_at,
           (select max(c.slack_ts::numeric)::text from bug_conversations c where c.bug_id = b.id) as latest_ts,
           (select count(*) from bug_conversations c
             where c.bug_id = b.id and c.channel_id = b.channel_id and c.slack_ts <> b.thread_ts
               and c.deleted_at is null) as live_replies,
           (select max(c.slack_ts::numeric)::text from bug_conversations c
             where c.bug_id = b.id and c.channel_id = b.channel_id and c.slack_ts <> b.thread_ts
               and c.deleted_at is null) as latest_live_reply_ts
    from bug_reports b
    where b.catch_up_due_at is not null ${only}
    order by b.catch_up_due_at, b.id
    limit ${limit}`.execute(em.getKysely());
  return {
    // Kept as PostgreSQL wrote it: a JavaScript Date would drop the microseconds the comparison needs.
    readAt: result.rows[0]?.read_at ?? '-infinity',
    threads: result.rows.map((row) => ({
      bugId: Number(row.id),
      channelId: row.channel_id,
      threadTs: row.thread_ts,
      latestStoredTs: row.latest_ts,
      liveReplies: Number(row.live_replies),
      latestLiveReplyTs: row.latest_live_reply_ts,
    })),
  };
}

/** One bug's thread is to be read again: a report filed by the catch-up itself, in the transaction filing it. */
export async function markBugForCatchUp(em: EntityManager, bugId: number): Promise<void> {
  await sql`update bug_reports set catch_up_due_at = clock_timestamp() where id = ${bugId}`.execute(em.getKysely());
}

export type StoredThreadMessage = { ts: string; text: string; deleted: boolean };

/** The messages stored for a bug's thread in its channel (what a thread read back is compared with). */
export async function findStoredThreadMessages(em: EntityManager, bugId: number): Promise<StoredThreadMessage[]> {
  const result = await sql<{ slack_ts: string; text: string; deleted: boolean }>`
    select c.slack_ts, c.text, c.deleted_at is not null as deleted
    from bug_conversations c join bug_reports b on b.id = c.bug_id and b.channel_id = c.channel_id
    where c.bug_id = ${bugId}`.execute(em.getKysely());
  return result.rows.map((row) => ({ ts: row.slack_ts, text: row.text, deleted: row.deleted }));
}

/** The bug whose thread holds this stored message (or whose report it is), if any. */
export async function findThreadOfMessage(
  em: EntityManager,
  channelId: string,
  ts: string,
): Promise<{ bugId: number; threadTs: string } | null> {
  const result = await sql<{ id: number; thread_ts: string }>`
    select b.id, b.thread_ts from bug_reports b
    where b.channel_id = ${channelId}
      and (b.thread_ts = ${ts}
           or b.id = (select c.bug_id from bug_conversations c where c.channel_id = ${channelId} and c.slack_ts = ${ts}))
    limit 1`.execute(em.getKysely());
  const row = result.rows[0];
  return row ? { bugId: Number(row.id), threadTs: row.thread_ts } : null;
}

/**
 * Where a bug channel's history is to be read back from for missed top-level reports: the later of what a complete
 * read has seen (bug_channel_catch_up) and the newest message a person posted there that is stored. Null when the
 * channel has neither: the catch-up has not met it yet, and nothing posted before it begins watching is a report.
 */
export async function findChannelReadFrom(em: EntityManager, channelId: string): Promise<string | null> {
  const result = await sql<{ seen: string | null; stored: string | null }>`
    select (select seen_to_ts from bug_channel_catch_up where channel_id = ${channelId}) as seen,
           (select max(slack_ts::numeric)::text from bug_conversations
             where channel_id = ${channelId} and sender_type <> 'bot') as stored`.execute(em.getKysely());
  const { seen, stored } = result.rows[0] ?? { seen: null, stored: null };
  if (seen === null || stored === null) return seen ?? stored;
  return compareSlackTs(seen, stored) >= 0 ? seen : stored;
}

/** Every top-level message of the channel up to `ts` has been handled (never moves back). */
export async function recordChannelSeen(em: EntityManager, channelId: string, ts: string): Promise<void> {
  await sql`
    insert into bug_channel_catch_up (channel_id, seen_to_ts) values (${channelId}, ${ts})
    on conflict (channel_id) do update
      set seen_to_ts = case when excluded.seen_to_ts::numeric > bug_channel_catch_up.seen_to_ts::numeric
                            then excluded.seen_to_ts else bug_channel_catch_up.seen_to_ts end,
          updated_at = now()`.execute(em.getKysely());
}

/** The thread has been read back: cleared, unless it was marked again after `readAt`. */
export async function finishThreadCatchUp(em: EntityManager, bugId: number, readAt: string): Promise<void> {
  await sql`
    update bug_reports set catch_up_due_at = null
    where id = ${bugId} and catch_up_due_at <= ${readAt}::timestamptz`.execute(em.getKysely());
}
