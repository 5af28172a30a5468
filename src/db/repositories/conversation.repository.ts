// bug_conversations rows. Slack delivers events at least once, so every write is keyed by (channel, ts):
// the same message delivered twice leaves one row.
import type { EntityManager } from '@mikro-orm/postgresql';
import { sql } from 'kysely';
import type { SenderType } from '../../domain/sender-type.ts';
import { BugConversation } from '../entities/index.ts';

export type NewConversationRow = {
  bugId: number;
  senderType: SenderType;
  senderId: string | null;
  channelId: string;
  slackTs: string;
  text: string;
  messageAt: Date;
  metadata?: Record<string, unknown>;
};

/** Inserts the row unless this message is already stored. True when this call stored it. */
export async function insertConversationOnce(em: EntityManager, row: NewConversationRow): Promise<boolean> {
  const inserted = await em.execute<{ id: string }[]>(
    `insert into bug_conversations (bug_id, sender_type, sender_id, channel_id, slack_ts, text, message_at, metadata)
     values (?, ?, ?, ?, ?, ?, ?, ?)
     on conflict (channel_id, slack_ts) do nothing
     returning id`,
    [
      row.bugId,
      row.senderType,
      row.senderId,
      row.channelId,
      row.slackTs,
      row.text,
      row.messageAt,
      JSON.stringify(row.metadata ?? {}),
    ],
  );
  return inserted.length > 0;
}

export async function findConversation(
  em: EntityManager,
  channelId: string,
  slackTs: string,
): Promise<BugConversation | null> {
  return em.findOne(BugConversation, { channelId, slackTs });
}

/**
 * metadata key of replies stored as `other` while the developer user group could not be fetched: looked at
 * again once it loads (services/sender-reclassification.ts).
 */
export const DEVELOPERS_UNKNOWN = 'developersUnknown';
const FLAGGED = JSON.stringify({ [DEVELOPERS_UNKNOWN]: true });

/** The bugs that have replies flagged DEVELOPERS_UNKNOWN. */
export async function findBugsWithUnknownSenders(em: EntityManager): Promise<number[]> {
  const result = await sql<{ bug_id: number }>`
    select distinct bug_id from bug_conversations where metadata @> ${FLAGGED}::jsonb order by bug_id`.execute(
    em.getKysely(),
  );
  return result.rows.map((row) => Number(row.bug_id));
}

/**
 * In the caller's transaction on the locked bug: its flagged replies whose sender is among `developers` become
 * `developer` rows, and every flagged reply of the bug loses the flag. Returns how many became developer rows.
 */
export async function reclassifyFlaggedReplies(
  em: EntityManager,
  bugId: number,
  developers: readonly string[],
): Promise<number> {
  const kysely = em.getKysely();
  const changed = await sql<{ id: string }>`
    update bug_conversations set sender_type = 'developer'
    where bug_id = ${bugId} and metadata @> ${FLAGGED}::jsonb and sender_type = 'other'
      and sender_id = any(${[...developers]})
    returning id`.execute(kysely);
  await sql`
    update bug_conversations set metadata = metadata - ${DEVELOPERS_UNKNOWN}::text
    where bug_id = ${bugId} and metadata @> ${FLAGGED}::jsonb`.execute(kysely);
  return changed.rows.length;
}
