// bug_conversations rows. Slack delivers events at least once, so every write is keyed by (channel, ts):
// the same message delivered twice leaves one row.
import type { EntityManager } from '@mikro-orm/postgresql';
import { sql } from 'kysely';
import { ACTIVITY_SENDER_TYPES } from '../../domain/bug-activity.ts';
import type { SenderType } from '../../domain/sender-type.ts';
import { INITIAL_TURN, turnAfterMessage } from '../../domain/turn.ts';
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

export type IncomingReply = {
  channelId: string;
  threadTs: string;
  slackTs: string;
  /** The author's Slack user id; null for a bot post without one. */
  userId: string | null;
  senderId: string | null;
  /** A bot's post (bugsweep's own included): stored as `bot`, whoever the user is. */
  isBot: boolean;
  /** The author is a developer (DEVELOPER_USERS or the user group), as the directory knows it now. */
  isDeveloper: boolean;
  /** The directory could not tell developers yet: an `other` row is flagged DEVELOPERS_UNKNOWN. */
  developersUnknown: boolean;
  text: string;
  messageAt: Date;
  metadata: Record<string, unknown>;
  now: Date;
  /** A change of turn refreshes the card (AUTO_CLOSE_POLICY=waiting-on-reporter): the full path does that. */
  cardShowsTurn: boolean;
};

export type StoredReply =
  /** The thread is no bug's. */
  | { kind: 'no_bug' }
  /**
   * An activity reply to a bug with more to do than restart its clocks and pass the turn (a pending warning, claim
   * reminder or nudge to withdraw, an auto-close to undo, a card to refresh, a turn to recompute because the reply
   * arrived older than the newest, a duplicate's canonical bug kept alive by its reporter): nothing was written;
   * the caller takes the full path.
   */
  | { kind: 'needs_full_path'; bugId: number; duplicateOfId: number | null }
  | { kind: 'duplicate'; bugId: number; bugRef: string }
  | { kind: 'stored'; bugId: number; bugRef: string; senderType: SenderType };

/**
 * A thread reply in one statement: the bug is found by its thread and row-locked, the sender classified against it
 * as it is now, the row inserted once per (channel, ts), and an activity reply restarts the bug's clocks (the
 * version goes up, like every change to the bug). The row lock keeps the sweep's guarantee: a sweep holding the
 * bug decides first and this waits and sees what it did; a sweep that comes later waits for this and sees the reply.
 *
 * The classification is classifySender (domain/sender-type.ts) with the bot and developer answers given:
 * bot, else the reporter, else a developer or the claimant, else other. The activity update is what
 * applyBugActivity (services/bug-activity.ts) does for a bug with nothing pending: the clocks move forward, the turn
 * passes as turnAfterMessage (domain/turn.ts) says; for one with something pending, nothing is written here and the
 * answer is `needs_full_path`. test/integration/reply-ingestion.test.ts holds
 * both to their definitions.
 */
export async function storeReplyWithActivity(em: EntityManager, reply: IncomingReply): Promise<StoredReply> {
  const result = await replyStatement(reply).execute(em.getKysely());
  const row = result.rows[0];
  if (!row) return { kind: 'no_bug' };
  const bugId = Number(row.bug_id);
  if (!row.plain)
    return {
      kind: 'needs_full_path',
      bugId,
      duplicateOfId: row.duplicate_of_id === null ? null : Number(row.duplicate_of_id),
    };
  if (!row.inserted) return { kind: 'duplicate', bugId, bugRef: row.bug_ref };
  return { kind: 'stored', bugId, bugRef: row.bug_ref, senderType: row.sender_type };
}

/** The turn after a reporter's and after a developer's message: neither depends on the turn before. */
const TURN_AFTER = {
  reporter: turnAfterMessage(INITIAL_TURN, 'reporter'),
  developer: turnAfterMessage(INITIAL_TURN, 'developer'),
} as const;

/** The statement of storeReplyWithActivity (exported for the benchmark, which explains its plan). */
export function replyStatement(reply: IncomingReply) {
  const activitySenders = [...ACTIVITY_SENDER_TYPES];
  return sql<{
    bug_id: number;
    bug_ref: string;
    sender_type: SenderType;
    duplicate_of_id: number | null;
    plain: boolean;
    inserted: boolean;
  }>`
    with bug as (
      select b.id, b.ref, b.reporter_id, b.claimant_id, b.status, b.close_reason, b.warned_at, b.reminded_at,
             b.last_activity_at, b.turn, b.nudged_at, b.duplicate_of_id
      from bug_reports b
      where b.channel_id = ${reply.channelId} and b.thread_ts = ${reply.threadTs}
      for update
    ),
    sender as (
      select bug.*, case
          when ${reply.isBot}::boolean or ${reply.userId}::text is null then 'bot'
          when bug.reporter_id = ${reply.userId}::text then 'reporter'
          when ${reply.isDeveloper}::boolean or bug.claimant_id = ${reply.userId}::text then 'developer'
          else 'other'
        end as sender_type
      from bug
    ),
    turned as (
      select sender.*, case sender.sender_type
          when 'reporter' then ${TURN_AFTER.reporter}::text when 'developer' then ${TURN_AFTER.developer}::text
          else sender.turn
        end as next_turn
      from sender
    ),
    plain as (
      select * from turned
      where not (turned.sender_type = any(${activitySenders}::text[]) and (
        turned.warned_at is not null
        or (turned.reminded_at is not null and turned.claimant_id = ${reply.userId}::text)
        or (turned.status = 'closed' and turned.close_reason = 'inactivity')
        or ${reply.messageAt}::timestamptz < turned.last_activity_at
        or (turned.sender_type = 'reporter' and turned.duplicate_of_id is not null)
        or (turned.next_turn <> turned.turn and (${reply.cardShowsTurn}::boolean or turned.nudged_at is not null))))
    ),
    ins as (
      insert into bug_conversations (bug_id, sender_type, sender_id, channel_id, slack_ts, text, message_at, metadata)
      select plain.id, plain.sender_type, ${reply.senderId}, ${reply.channelId}, ${reply.slackTs}, ${reply.text},
             ${reply.messageAt}::timestamptz,
             ${JSON.stringify(reply.metadata)}::jsonb || case when plain.sender_type = 'other' and ${reply.developersUnknown}::boolean
               then ${FLAGGED}::jsonb else '{}'::jsonb end
      from plain
      on conflict (channel_id, slack_ts) do nothing
      returning bug_id, sender_type
    ),
    passed as (select ins.*, plain.turn, plain.next_turn from ins join plain on plain.id = ins.bug_id),
    activity as (
      update bug_reports b set
        last_activity_at = greatest(b.last_activity_at, ${reply.messageAt}::timestamptz),
        claimant_last_activity_at = case when b.claimant_id = ${reply.userId}::text
          then greatest(b.claimant_last_activity_at, ${reply.messageAt}::timestamptz)
          else b.claimant_last_activity_at end,
        turn = passed.next_turn,
        turn_since = case when passed.next_turn <> passed.turn then ${reply.messageAt}::timestamptz else b.turn_since end,
        updated_at = ${reply.now}::timestamptz,
        version = b.version + 1
      from passed
      where b.id = passed.bug_id and passed.sender_type = any(${activitySenders}::text[])
      returning b.id
    )
    select sender.id as bug_id, sender.ref as bug_ref, sender.sender_type, sender.duplicate_of_id,
           exists (select 1 from plain) as plain, exists (select 1 from ins) as inserted
    from sender`;
}
