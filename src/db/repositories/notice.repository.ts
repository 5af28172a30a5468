// The outbox's SQL: which notice may be sent next, and how a send attempt ends. One statement per step, so
// the rules that keep a notice from being sent twice (leases, one send in flight per channel, channel pacing)
// are decided by PostgreSQL for every replica at once.
import type { EntityManager } from '@mikro-orm/postgresql';
import { SlackNotice } from '../entities/index.ts';

/**
 * Statements that compare with "now" name it once: `with clock as (select ?::timestamptz as now)` binds it a single
 * time, and every comparison reads `clock.now`, so no list of repeated positional `now`s can get out of order.
 */
const WITH_CLOCK = 'with clock as (select ?::timestamptz as now)';

/** A notice is due when it waits for its turn, or when its sender vanished (lease expired: a crash mid-send). */
const DUE = `((n.status = 'pending' and n.next_attempt_at <= clock.now) or (n.status = 'sending' and n.lease_until <= clock.now))`;

/**
 * Which Web API budget a notice spends. `post` (chat.postMessage) is paced per channel; `update` (chat.update: an
 * edit, or the refresh of a card that is already in its thread) is Tier 3, one budget for the whole workspace. The
 * two lanes never hold each other up: a card refresh Slack refuses does not stop a channel's posts.
 */
export type NoticeLane = 'post' | 'update';

const LANE = `(case when n.purpose = 'message_update'
   or (n.purpose = 'card' and exists (select 1 from bug_reports b where b.id = n.bug_id and b.card_ts is not null))
   then 'update' else 'post' end)`;

/** The workspace-wide budget of chat.update in slack_method_pacing. */
export const UPDATE_METHOD = 'chat.update';

export type NoticeHead = { id: number; channelId: string; lane: NoticeLane };

/**
 * What may be sent now, most urgent first:
 * - posts: per channel, the most urgent thread's oldest notice (priority, then age). Within one thread notices
 *   keep their order whatever their priority, so a thread never reads out of order. A channel that is paced or
 *   has a post in flight is left out, so it never crowds out channels that could go.
 * - updates: the most urgent one for the whole workspace, when the chat.update budget allows a call now; never
 *   two edits of the same message (a card, or the message another notice posted) at once.
 */
export async function findDueNoticeHeads(em: EntityManager, now: Date, limit: number): Promise<NoticeHead[]> {
  const rows = await em.execute<{ id: string; channel_id: string; lane: NoticeLane }[]>(
    `${WITH_CLOCK},
     unsent as (
       select n.id, n.channel_id, coalesce(n.thread_ts, '') as thread, n.priority, n.purpose, n.bug_id,
              (n.payload->>'sourceNoticeId')::bigint as source_id,
              n.status = 'sending' and n.lease_until > clock.now as in_flight,
              ${DUE} as due,
              ${LANE} as lane
       from slack_notices n, clock
       where n.status in ('pending', 'sending')
     ),
     thread_heads as (
       select distinct on (u.channel_id, u.thread) u.id
       from unsent u
       where u.lane = 'post' and (u.due or u.in_flight)
       order by u.channel_id, u.thread, u.id
     ),
     post_heads as (
       select distinct on (u.channel_id) u.id, u.channel_id, u.priority
       from unsent u
       join thread_heads h on h.id = u.id
       where u.due
         and not exists (select 1 from unsent f where f.lane = 'post' and f.in_flight and f.channel_id = u.channel_id)
       order by u.channel_id, u.priority, u.id
     ),
     open_posts as (
       select h.id, h.channel_id, h.priority from post_heads h
       cross join clock
       left join slack_channel_pacing p on p.channel_id = h.channel_id
       where p.next_send_at is null or p.next_send_at <= clock.now
       order by h.priority, h.id
       limit ?
     ),
     open_update as (
       select u.id, u.channel_id, u.priority from unsent u, clock
       where u.lane = 'update' and u.due
         and not exists (select 1 from slack_method_pacing m
                         where m.method = '${UPDATE_METHOD}' and m.next_call_at > clock.now)
         -- an edit of a message about to be posted (or being posted) waits for it in this pass
         and not exists (select 1 from unsent s where s.id = u.source_id and (s.due or s.in_flight))
         and not exists (select 1 from unsent f where f.lane = 'update' and f.in_flight and f.id <> u.id
                           and ((u.purpose = 'card' and f.purpose = 'card' and f.bug_id = u.bug_id)
                             or (u.source_id is not null and f.source_id = u.source_id)))
       order by u.priority, u.id
       limit 1
     )
     select id, channel_id, 'post' as lane from open_posts
     union all
     select id, channel_id, 'update' as lane from open_update`,
    [now, limit],
  );
  return rows.map((row) => ({ id: Number(row.id), channelId: row.channel_id, lane: row.lane }));
}

export type Pacing = {
  /** Time between two posts in one channel (Slack: about one a second). */
  channelIntervalMs: number;
  /** Time between two chat.update calls in the workspace (Tier 3: about 50 a minute). */
  updateIntervalMs: number;
  leaseMs: number;
};

/**
 * Takes the lane's next call slot and leases the notice, in one transaction (pass the transaction's em).
 * Returns null when the slot is taken, the channel (or the message to edit) already has a send in flight, or
 * the notice was taken meanwhile: another replica got there first.
 */
export async function leaseNotice(
  em: EntityManager,
  notice: NoticeHead,
  now: Date,
  pacing: Pacing,
): Promise<SlackNotice | null> {
  if (notice.lane === 'post') {
    // The pacing row is the channel's lock: a second sender waits here, then sees the slot taken.
    const slot = await em.execute<{ channel_id: string }[]>(
      `insert into slack_channel_pacing as p (channel_id, next_send_at) values (?, ?)
       on conflict (channel_id) do update set next_send_at = excluded.next_send_at
         where p.next_send_at <= ?
       returning channel_id`,
      [notice.channelId, new Date(now.getTime() + pacing.channelIntervalMs), now],
    );
    if (slot.length === 0) return null;
    const busy = await em.execute<{ id: string }[]>(
      `${WITH_CLOCK}
       select n.id from slack_notices n, clock
       where n.channel_id = ? and n.status = 'sending' and n.lease_until > clock.now and n.id <> ? and ${LANE} = 'post'
       limit 1`,
      [now, notice.channelId, notice.id],
    );
    if (busy.length > 0) return null;
  } else {
    if ((await takeMethodSlot(em, UPDATE_METHOD, now, pacing.updateIntervalMs)) !== null) return null;
  }
  const leased = await em.execute<{ id: string }[]>(
    `${WITH_CLOCK}
     update slack_notices n set status = 'sending', lease_until = ?, attempts = n.attempts + 1
     from clock
     where n.id = ? and ${DUE}
     returning n.id`,
    [now, new Date(now.getTime() + pacing.leaseMs), notice.id],
  );
  if (leased.length === 0) return null;
  return em.findOne(SlackNotice, notice.id, { refresh: true });
}

/**
 * One call of a workspace-wide budget (slack_method_pacing), decided by PostgreSQL for every replica: a GCRA cell
 * whose next_call_at is the theoretical time of the next call. `burst` calls may go back to back, then one per
 * interval. Returns null when this caller may call now (the budget is spent), or the moment it may try again.
 */
export async function takeMethodSlot(
  em: EntityManager,
  method: string,
  now: Date,
  intervalMs: number,
  burst = 1,
): Promise<Date | null> {
  const toleranceMs = Math.max(0, burst - 1) * intervalMs;
  const taken = await em.execute<{ method: string }[]>(
    `${WITH_CLOCK}
     insert into slack_method_pacing as m (method, next_call_at)
     select ?, clock.now + (? * interval '1 millisecond') from clock
     on conflict (method) do update
       set next_call_at = greatest(m.next_call_at, excluded.next_call_at - (? * interval '1 millisecond'))
                          + (? * interval '1 millisecond')
       where m.next_call_at - (? * interval '1 millisecond') <= excluded.next_call_at - (? * interval '1 millisecond')
     returning method`,
    [now, method, intervalMs, intervalMs, intervalMs, toleranceMs, intervalMs],
  );
  if (taken.length > 0) return null;
  const rows = await em.execute<{ at: Date | string }[]>(
    `select next_call_at - (? * interval '1 millisecond') as at from slack_method_pacing where method = ?`,
    [toleranceMs, method],
  );
  const at = rows[0]?.at;
  return at ? new Date(at) : now;
}

/** Slack answered 429 for a workspace-wide method: nobody calls it before `until` (Retry-After), on any replica. */
export async function pauseMethod(em: EntityManager, method: string, until: Date): Promise<void> {
  await em.execute(
    `insert into slack_method_pacing as m (method, next_call_at) values (?, ?)
     on conflict (method) do update set next_call_at = greatest(m.next_call_at, excluded.next_call_at)`,
    [method, until],
  );
}

export async function markNoticeSent(em: EntityManager, id: number, resultTs: string | null, now: Date): Promise<void> {
  await em.execute(
    `update slack_notices set status = 'sent', sent_at = ?, result_ts = ?, lease_until = null, last_error = null where id = ?`,
    [now, resultTs, id],
  );
}

/**
 * Tries again later. `countAttempt: false` when Slack certainly did not act on it (429, a wait on another notice).
 * A card refresh requested while this one was being sent is folded into this one (it renders the bug at send
 * time), keeping this older row because an earlier attempt of it may already be in the thread. Pass a transaction.
 */
export async function retryNoticeLater(
  em: EntityManager,
  id: number,
  at: Date,
  error: string,
  countAttempt: boolean,
): Promise<void> {
  // The folded request's urgency carries over: a person's refresh folded into a bulk one still goes first.
  await em.execute(
    `with folded as (
       update slack_notices set status = 'cancelled', last_error = 'folded into an earlier pending notice'
       where status = 'pending' and id <> ? and dedupe_key = (select dedupe_key from slack_notices where id = ? and dedupe_key is not null)
       returning priority)
     update slack_notices set priority = least(priority, (select min(priority) from folded))
     where id = ? and exists (select 1 from folded)`,
    [id, id, id],
  );
  await em.execute(
    `update slack_notices set status = 'pending', next_attempt_at = ?, lease_until = null, last_error = ?,
       attempts = case when ? then attempts else greatest(attempts - 1, 0) end
     where id = ?`,
    [at, error, countAttempt, id],
  );
}

export async function markNoticeFailed(em: EntityManager, id: number, error: string): Promise<void> {
  await em.execute(`update slack_notices set status = 'failed', lease_until = null, last_error = ? where id = ?`, [
    error,
    id,
  ]);
}

export async function markNoticeCancelled(em: EntityManager, id: number, reason: string): Promise<void> {
  await em.execute(`update slack_notices set status = 'cancelled', lease_until = null, last_error = ? where id = ?`, [
    reason,
    id,
  ]);
}

/** Slack asked us to slow down in this channel: nobody posts there before `until`. */
export async function pauseChannel(em: EntityManager, channelId: string, until: Date): Promise<void> {
  await em.execute(
    `insert into slack_channel_pacing as p (channel_id, next_send_at) values (?, ?)
     on conflict (channel_id) do update set next_send_at = greatest(p.next_send_at, excluded.next_send_at)`,
    [channelId, until],
  );
}

/** The earliest moment something in the outbox may become sendable (for the dispatcher's sleep). */
export async function nextNoticeDueAt(em: EntityManager): Promise<Date | null> {
  const rows = await em.execute<{ at: Date | string | null }[]>(
    // greatest() skips NULLs: a channel (or method) never paced does not hold its notices back. Each notice waits
    // for its own lane's budget: a post for its channel's, an edit for the workspace's chat.update.
    `select min(greatest(case when n.status = 'pending' then n.next_attempt_at else n.lease_until end,
                         case when ${LANE} = 'post' then p.next_send_at else m.next_call_at end)) as at
     from slack_notices n
     left join slack_channel_pacing p on p.channel_id = n.channel_id
     left join slack_method_pacing m on m.method = '${UPDATE_METHOD}'
     where n.status in ('pending', 'sending')`,
  );
  // Raw queries hand timestamptz back as text.
  const at = rows[0]?.at;
  return at ? new Date(at) : null;
}

export async function countUnsent(em: EntityManager): Promise<number> {
  const rows = await em.execute<{ n: string }[]>(
    `select count(*) as n from slack_notices where status in ('pending', 'sending')`,
  );
  return Number(rows[0]?.n ?? 0);
}

/**
 * Cancels a notice that is no longer wanted if Slack has certainly not seen it (never attempted).
 * Returns the notice's status afterwards: 'cancelled', or 'pending'/'sending'/'sent'/'failed' when it may be visible.
 * The notice is read back through the unit of work, so a copy the caller (the sweep) already holds shows the
 * change and a later flush of it cannot write the old status back.
 */
export async function cancelIfUnsent(em: EntityManager, id: number, reason: string): Promise<string | null> {
  await em.execute(
    `update slack_notices set status = 'cancelled', last_error = ? where id = ? and status = 'pending' and attempts = 0`,
    [reason, id],
  );
  const notice = await em.findOne(SlackNotice, id, { refresh: true });
  return notice?.status ?? null;
}

/**
 * Asks for the bug card to be posted or refreshed (see services/notices.ts). ON CONFLICT on the partial unique
 * index of pending card refreshes: one already pending covers this one too.
 */
export async function insertCardRefresh(
  em: EntityManager,
  bug: { id: number; channelId: string; threadTs: string },
  at: Date,
  priority: number,
): Promise<void> {
  await em.execute(
    `insert into slack_notices (bug_id, purpose, channel_id, thread_ts, payload, dedupe_key, status, attempts, next_attempt_at, created_at, priority)
     values (?, 'card', ?, ?, '{}', ?, 'pending', 0, ?, ?, ?)
     on conflict (dedupe_key) where dedupe_key is not null and status = 'pending'
       do update set priority = least(slack_notices.priority, excluded.priority)`,
    [bug.id, bug.channelId, bug.threadTs, `card:${bug.id}`, at, at, priority],
  );
}
