// Threads that may be missing replies (posted while the bot was stopped or could not store them) until they are
// read back from Slack: bug_reports.catch_up_due_at. PostgreSQL's own clock orders a mark against the reading that
// clears it, so a mark made while a thread is being read is never cleared by that reading.
import type { EntityManager } from '@mikro-orm/postgresql';
import { sql } from 'kysely';
import { UNRESOLVED_STATUSES } from '../../domain/bug-status.ts';
import { NO_SLACK_CHANNEL } from '../../domain/legacy-report.ts';

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
};

/** The threads marked for catch-up (oldest mark first), and the moment they were read from the database. */
export async function findThreadsToCatchUp(
  em: EntityManager,
  limit: number,
): Promise<{ readAt: string; threads: ThreadToCatchUp[] }> {
  const result = await sql<{
    id: number;
    channel_id: string;
    thread_ts: string;
    latest_ts: string | null;
    read_at: string;
  }>`
    select b.id, b.channel_id, b.thread_ts, clock_timestamp()::text as read_at,
           (select max(c.slack_ts::numeric)::text from bug_conversations c where c.bug_id = b.id) as latest_ts
    from bug_reports b
    where b.catch_up_due_at is not null
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
    })),
  };
}

/** The thread has been read back: cleared, unless it was marked again after `readAt`. */
export async function finishThreadCatchUp(em: EntityManager, bugId: number, readAt: string): Promise<void> {
  await sql`
    update bug_reports set catch_up_due_at = null
    where id = ${bugId} and catch_up_due_at <= ${readAt}::timestamptz`.execute(em.getKysely());
}
