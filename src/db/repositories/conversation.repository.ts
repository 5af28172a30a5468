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
  /** `closedAt`: when the bug was closed, null while it is not closed (as the statement saw it). */
  | { kind: 'stored'; bugId: number; bugRef: string; senderType: SenderType; closedAt: Date | null };

/**
 * A thread reply stored with its activity, the bug found by its thread and row-locked, the sender classified
 * against it as it is now, the row inserted once per (channel, ts), and an activity reply restarts the bug's clocks
 * (the version goes up, like every change to the bug). The row lock keeps the sweep's guarantee: a sweep holding
 * the bug decides first and this waits and sees what it did; a sweep that comes later waits for this and sees the
 * reply.
 *
 * One statement per reply would spend most of the database's time on statements and commits, and queue a busy
 * thread's replies on its row lock one transaction each. So the replies that arrive while statements are in flight
 * go together in the next one, whatever their threads: the same work, applied per bug reply after reply in the
 * order of their Slack timestamps, in one round trip. A thread is in at most one statement in flight at a time (in
 * this process), so its replies are applied in order; the bugs of one statement are locked in id order.
 *
 * The classification is classifySender (domain/sender-type.ts) with the bot and developer answers given:
 * bot, else the reporter, else a developer or the claimant, else other. The activity update is what
 * applyBugActivity (services/bug-activity.ts) does for a bug with nothing pending: the clocks move forward, the turn
 * passes as turnAfterMessage (domain/turn.ts) says; from the first reply of a bug that finds something pending on,
 * nothing of that bug is written here and the answer is `needs_full_path`. test/slack/reply-ingestion.test.ts holds
 * both to their definitions.
 */
export async function storeReplyWithActivity(em: EntityManager, reply: IncomingReply): Promise<StoredReply> {
  const pool = await em.getConnection().getNativeClient();
  let batches = BATCHES.get(pool);
  if (!batches) {
    batches = new ReplyBatches(pool);
    BATCHES.set(pool, batches);
  }
  return batches.store(reply);
}

/** What one statement stores at most; a longer queue goes in several. */
const MAX_BATCH = 200;
/**
 * Statements in flight at once. One gives the largest batches: measured with 100 threads at concurrency 8, one
 * reached about 1,450 replies/s at 0.26 ms of database CPU each, two about 1,200 at 0.44 ms, three 1,120 at 0.57 ms.
 * The price: while a statement waits for a bug another transaction holds (a sweep deciding about it), this process's
 * next replies wait too; those transactions are short, as none calls Slack.
 */
const MAX_IN_FLIGHT = 1;

type Queued = {
  reply: IncomingReply;
  thread: string;
  resolve: (stored: StoredReply) => void;
  reject: (error: unknown) => void;
};
type NativePool = Awaited<ReturnType<ReturnType<EntityManager['getConnection']>['getNativeClient']>>;

const BATCHES = new WeakMap<NativePool, ReplyBatches>();

const threadOf = (reply: IncomingReply) => `${reply.channelId}\u0000${reply.threadTs}`;
const messageOf = (reply: { channelId: string; slackTs: string }) => `${reply.channelId}\u0000${reply.slackTs}`;

/** The replies waiting for a statement, and the threads of the statements in flight. */
class ReplyBatches {
  private waiting: Queued[] = [];
  private readonly busyThreads = new Set<string>();
  private inFlight = 0;
  private readonly pool: NativePool;

  constructor(pool: NativePool) {
    this.pool = pool;
  }

  store(reply: IncomingReply): Promise<StoredReply> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ reply, thread: threadOf(reply), resolve, reject });
      this.startStatements();
    });
  }

  /** Starts statements while there is room, each with the waiting replies of threads no statement in flight holds. */
  private startStatements(): void {
    while (this.inFlight < MAX_IN_FLIGHT && this.waiting.length > 0) {
      const batch: Queued[] = [];
      const rest: Queued[] = [];
      for (const queued of this.waiting) {
        if (batch.length < MAX_BATCH && !this.busyThreads.has(queued.thread)) batch.push(queued);
        else rest.push(queued);
      }
      if (batch.length === 0) return;
      this.waiting = rest;
      const threads = new Set(batch.map((queued) => queued.thread));
      for (const thread of threads) this.busyThreads.add(thread);
      this.inFlight += 1;
      void this.run(batch).finally(() => {
        for (const thread of threads) this.busyThreads.delete(thread);
        this.inFlight -= 1;
        this.startStatements();
      });
    }
  }

  private async run(batch: Queued[]): Promise<void> {
    try {
      await this.storeBatch(batch);
    } catch (error) {
      if (batch.length === 1) {
        for (const queued of batch) queued.reject(error);
        return;
      }
      // One reply the database refuses must not fail the others: each is tried on its own, oldest first.
      for (const queued of [...batch].sort((a, b) => compareReplies(a.reply, b.reply))) {
        await this.storeBatch([queued]).catch(queued.reject);
      }
    }
  }

  /** The replies in one statement, each answered; throws (answering none) when the statement fails. */
  private async storeBatch(batch: Queued[]): Promise<void> {
    const sorted = [...batch].sort((a, b) => compareReplies(a.reply, b.reply));
    // The same message twice in one batch (a redelivery): stored by its first copy only.
    const rows = sorted
      .map((queued) => queued.reply)
      .filter((reply, k, all) => {
        const previous = all[k - 1];
        return !previous || messageOf(reply) !== messageOf(previous);
      });
    if (rows.length === 0) return;
    const result = await this.pool.query<BatchRow>({
      name: 'bugsweep_store_replies',
      text: STORE_REPLIES_SQL,
      values: [
        new Date(Math.max(...rows.map((reply) => reply.now.getTime()))),
        rows.some((reply) => reply.cardShowsTurn),
        [...ACTIVITY_SENDER_TYPES],
        TURN_AFTER.reporter,
        TURN_AFTER.developer,
        FLAGGED,
        rows.map((reply) => reply.channelId),
        rows.map((reply) => reply.threadTs),
        rows.map((reply) => reply.slackTs),
        rows.map((reply) => reply.userId),
        rows.map((reply) => reply.senderId),
        rows.map((reply) => reply.isBot),
        rows.map((reply) => reply.isDeveloper),
        rows.map((reply) => reply.text),
        rows.map((reply) => reply.messageAt),
        rows.map((reply) => JSON.stringify(reply.metadata)),
        rows.map((reply) => reply.developersUnknown),
      ],
    });
    const byMessage = new Map(
      result.rows.map((row) => [messageOf({ channelId: row.channel_id, slackTs: row.slack_ts }), row]),
    );
    const answered = new Map<string, StoredReply>();
    for (const { reply, resolve } of sorted) {
      const message = messageOf(reply);
      const earlier = answered.get(message);
      if (earlier) {
        resolve(
          earlier.kind === 'stored' ? { kind: 'duplicate', bugId: earlier.bugId, bugRef: earlier.bugRef } : earlier,
        );
        continue;
      }
      const stored = answerFor(byMessage.get(message));
      answered.set(message, stored);
      resolve(stored);
    }
  }
}

type BatchRow = {
  channel_id: string;
  slack_ts: string;
  bug_id: number | string;
  bug_ref: string;
  sender_type: SenderType;
  duplicate_of_id: number | string | null;
  closed_at: Date | null;
  plain: boolean;
  inserted: boolean;
};

function answerFor(row: BatchRow | undefined): StoredReply {
  if (!row) return { kind: 'no_bug' };
  const bugId = Number(row.bug_id);
  if (!row.plain)
    return {
      kind: 'needs_full_path',
      bugId,
      duplicateOfId: row.duplicate_of_id === null ? null : Number(row.duplicate_of_id),
    };
  if (!row.inserted) return { kind: 'duplicate', bugId, bugRef: row.bug_ref };
  return { kind: 'stored', bugId, bugRef: row.bug_ref, senderType: row.sender_type, closedAt: row.closed_at };
}

/** Slack timestamp order (the channel breaks ties, so copies of one message end up next to each other). */
function compareReplies(a: IncomingReply, b: IncomingReply): number {
  return (
    a.messageAt.getTime() - b.messageAt.getTime() ||
    (a.slackTs < b.slackTs ? -1 : a.slackTs > b.slackTs ? 1 : 0) ||
    (a.channelId < b.channelId ? -1 : a.channelId > b.channelId ? 1 : 0)
  );
}

/** The turn after a reporter's and after a developer's message: neither depends on the turn before. */
const TURN_AFTER = {
  reporter: turnAfterMessage(INITIAL_TURN, 'reporter'),
  developer: turnAfterMessage(INITIAL_TURN, 'developer'),
} as const;

/**
 * The statement of storeReplyWithActivity. $1 now, $2 the card shows the turn, $3 the activity sender types, $4/$5
 * the turn after a reporter's/developer's message, $6 the DEVELOPERS_UNKNOWN flag; then one array per field of the
 * replies, sorted by Slack timestamp. The bugs are locked in id order, so two statements (or a statement and any
 * other transaction locking bugs in that order) cannot deadlock. Per bug: a reply's turn before it is the turn the
 * last activity reply of that bug ahead of it in the batch left, else the bug's. Since the replies are sorted, one
 * arrived older than the newest only when it is older than the bug's last activity, or than its turn's start (a
 * reopen starts one, domain/turn.ts, and may come after it without being activity). From the bug's first reply that
 * needs the full path on (its cut), nothing of it is written; the bug's clocks move to its newest stored activity
 * reply, its turn to the one its last stored activity reply leaves, and `turn_since` to its last stored reply that
 * changed it.
 */
const STORE_REPLIES_SQL = `
  with incoming as (
    select * from unnest($7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::boolean[],
                         $13::boolean[], $14::text[], $15::timestamptz[], $16::text[], $17::boolean[])
      with ordinality as r(channel_id, thread_ts, slack_ts, user_id, sender_id, is_bot, is_developer, text,
                           message_at, metadata, developers_unknown, ord)
  ),
  bug as (
    select b.id, b.channel_id, b.thread_ts, b.ref, b.reporter_id, b.claimant_id, b.status, b.close_reason,
           b.warned_at, b.reminded_at, b.last_activity_at, b.turn, b.turn_since, b.nudged_at, b.duplicate_of_id,
           b.closed_at
    from bug_reports b
    where (b.channel_id, b.thread_ts) in (select channel_id, thread_ts from incoming)
    order by b.id
    for update of b
  ),
  sender as (
    select incoming.*, bug.id as bug_id, case
        when incoming.is_bot or incoming.user_id is null then 'bot'
        when bug.reporter_id = incoming.user_id then 'reporter'
        when incoming.is_developer or bug.claimant_id = incoming.user_id then 'developer'
        else 'other'
      end as sender_type
    from incoming join bug on bug.channel_id = incoming.channel_id and bug.thread_ts = incoming.thread_ts
  ),
  turned as (
    select sender.*, case sender.sender_type when 'reporter' then $4::text when 'developer' then $5::text end
      as turn_after
    from sender
  ),
  judged as (
    select t.*, (t.sender_type = any($3::text[]) and (
        bug.warned_at is not null
        or (bug.reminded_at is not null and bug.claimant_id = t.user_id)
        or (bug.status = 'closed' and bug.close_reason = 'inactivity')
        or t.message_at < bug.last_activity_at
        or t.message_at < bug.turn_since
        or (t.sender_type = 'reporter' and bug.duplicate_of_id is not null)
        or (t.turn_after <> t.turn_before and ($2::boolean or bug.nudged_at is not null)))) as needs_full_path
    from (
      select turned.*, coalesce((
          select p.turn_after from turned p
          where p.bug_id = turned.bug_id and p.ord < turned.ord and p.turn_after is not null
          order by p.ord desc limit 1), bug.turn) as turn_before
      from turned join bug on bug.id = turned.bug_id
    ) t join bug on bug.id = t.bug_id
  ),
  cut as (
    select bug_id, coalesce(min(ord) filter (where needs_full_path), 9223372036854775807) as ord
    from judged group by bug_id
  ),
  plain as (select judged.* from judged join cut on cut.bug_id = judged.bug_id where judged.ord < cut.ord),
  ins as (
    insert into bug_conversations (bug_id, sender_type, sender_id, channel_id, slack_ts, text, message_at, metadata)
    select plain.bug_id, plain.sender_type, plain.sender_id, plain.channel_id, plain.slack_ts, plain.text,
           plain.message_at, plain.metadata::jsonb || case when plain.sender_type = 'other' and plain.developers_unknown
             then $6::jsonb else '{}'::jsonb end
    from plain
    order by plain.ord
    on conflict (channel_id, slack_ts) do nothing
    returning channel_id, slack_ts
  ),
  passed as (
    select plain.* from plain join ins on ins.channel_id = plain.channel_id and ins.slack_ts = plain.slack_ts
    where plain.sender_type = any($3::text[])
  ),
  activity as (
    update bug_reports b set
      last_activity_at = greatest(b.last_activity_at, moved.newest),
      claimant_last_activity_at = greatest(b.claimant_last_activity_at,
        (select max(p.message_at) from passed p where p.bug_id = b.id and p.user_id = b.claimant_id)),
      turn = coalesce((select p.turn_after from passed p where p.bug_id = b.id order by p.ord desc limit 1), b.turn),
      turn_since = coalesce((select p.message_at from passed p where p.bug_id = b.id and p.turn_after <> p.turn_before
        order by p.ord desc limit 1), b.turn_since),
      updated_at = $1::timestamptz,
      version = b.version + 1
    from (select bug_id, max(message_at) as newest from passed group by bug_id) moved
    where b.id = moved.bug_id
    returning b.id
  )
  select judged.channel_id, judged.slack_ts, bug.id as bug_id, bug.ref as bug_ref, judged.sender_type,
         bug.duplicate_of_id, case when bug.status = 'closed' then bug.closed_at end as closed_at,
         judged.ord < cut.ord as plain,
         exists (select 1 from ins where ins.channel_id = judged.channel_id and ins.slack_ts = judged.slack_ts)
           as inserted
  from judged join bug on bug.id = judged.bug_id join cut on cut.bug_id = judged.bug_id`;
