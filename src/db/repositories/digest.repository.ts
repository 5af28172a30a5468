// The digest's reads and its one-per-slot record (digest_runs): the slot's row is inserted in the transaction that
// queues the digest, so the first replica to insert it sends the digest and the others find it taken.
import type { EntityManager } from '@mikro-orm/postgresql';
import { sql } from 'kysely';
import { SWEEPABLE_STATUSES } from '../../domain/bug-status.ts';
import { NO_SLACK_CHANNEL } from '../../domain/legacy-report.ts';
import { BugReport } from '../entities/index.ts';

/** Takes the slot for this replica; false when another replica (or an earlier run) already has it. */
export async function claimDigestSlot(
  em: EntityManager,
  slot: { slotKey: string; channelId: string; status: 'sent' | 'empty'; items: number; at: Date },
): Promise<boolean> {
  const result = await sql<{ slot_key: string }>`
    insert into digest_runs (slot_key, channel_id, status, items, created_at)
    values (${slot.slotKey}, ${slot.channelId}, ${slot.status}, ${slot.items}, ${slot.at})
    on conflict (slot_key) do nothing
    returning slot_key`.execute(em.getKysely());
  return result.rows.length > 0;
}

export async function setDigestNotice(em: EntityManager, slotKey: string, noticeId: number): Promise<void> {
  await sql`update digest_runs set notice_id = ${noticeId} where slot_key = ${slotKey}`.execute(em.getKysely());
}

/**
 * Open and claimed bugs waiting on developers, the longest waiting first, and how many there are in all. Imported
 * bugs without a Slack thread (channel_id '') are left out: there is no thread to link to.
 */
export async function findWaitingOnDevelopers(
  em: EntityManager,
  limit: number,
): Promise<{ bugs: BugReport[]; total: number }> {
  const where = {
    status: { $in: [...SWEEPABLE_STATUSES] },
    channelId: { $ne: NO_SLACK_CHANNEL },
    turn: 'developers' as const,
  };
  const [bugs, total] = await em.findAndCount(BugReport, where, {
    orderBy: { turnSince: 'asc', id: 'asc' },
    limit,
  });
  return { bugs, total };
}
