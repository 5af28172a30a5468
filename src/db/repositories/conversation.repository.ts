// bug_conversations rows. Slack delivers events at least once, so every write is keyed by (channel, ts):
// the same message delivered twice leaves one row.
import type { EntityManager } from '@mikro-orm/postgresql';
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
