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
 * The oldest due notice of each channel that may be sent now (FIFO per channel), oldest first. Channels that
 * are paced or have a send in flight are left out here, so they never crowd out channels that could go.
 */
export async function findDueNoticeHeads(
  em: EntityManager,
  now: Date,
  limit: number,
): Promise<{ id: number; channelId: string }[]> {
  const rows = await em.execute<{ id: string; channel_id: string }[]>(
    `${WITH_CLOCK}
     select heads.id, heads.channel_id from (
       select distinct on (n.channel_id) n.id, n.channel_id
       from slack_notices n, clock
       where ${DUE}
       order by n.channel_id, n.id
     ) heads
     cross join clock
     left join slack_channel_pacing p on p.channel_id = heads.channel_id
     where (p.next_send_at is null or p.next_send_at <= clock.now)
       and not exists (select 1 from slack_notices s
                       where s.channel_id = heads.channel_id and s.status = 'sending' and s.lease_until > clock.now and s.id <> heads.id)
     order by heads.id
     limit ?`,
    [now, limit],
  );
  return rows.map((row) => ({ id: Number(row.id), channelId: row.channel_id }));
}

/**
 * Takes the channel's next send slot and leases the notice, in one transaction (pass the transaction's em).
 * Returns null when the channel is paced or already has a send in flight, or the notice was taken meanwhile.
 */
export async function leaseNotice(
  em: EntityManager,
  notice: { id: number; channelId: string },
  now: Date,
  options: { channelIntervalMs: number; leaseMs: number },
): Promise<SlackNotice | null> {
  // The pacing row is the channel's lock: a second sender waits here, then sees the slot taken.
  const slot = await em.execute<{ channel_id: string }[]>(
    `insert into slack_channel_pacing as p (channel_id, next_send_at) values (?, ?)
     on conflict (channel_id) do update set next_send_at = excluded.next_send_at
       where p.next_send_at <= ?
     returning channel_id`,
    [notice.channelId, new Date(now.getTime() + options.channelIntervalMs), now],
  );
  if (slot.length === 0) return null;
  const busy = await em.execute<{ id: string }[]>(
    `select id from slack_notices where channel_id = ? and status = 'sending' and lease_until > ? and id <> ? limit 1`,
    [notice.channelId, now, notice.id],
  );
  if (busy.length > 0) return null;
  const leased = await em.execute<{ id: string }[]>(
    `${WITH_CLOCK}
     update slack_notices n set status = 'sending', lease_until = ?, attempts = n.attempts + 1
     from clock
     where n.id = ? and ${DUE}
     returning n.id`,
    [now, new Date(now.getTime() + options.leaseMs), notice.id],
  );
  if (leased.length === 0) return null;
  return em.findOne(SlackNotice, notice.id, { refresh: true });
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
  await em.execute(
    `update slack_notices set status = 'cancelled', last_error = 'folded into an earlier pending notice'
     where status = 'pending' and id <> ? and dedupe_key = (select dedupe_key from slack_notices where id = ? and dedupe_key is not null)`,
    [id, id],
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
    // greatest() skips NULLs: a channel never paced does not hold its notices back.
    `select min(greatest(case when n.status = 'pending' then n.next_attempt_at else n.lease_until end, p.next_send_at)) as at
     from slack_notices n left join slack_channel_pacing p on p.channel_id = n.channel_id
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
): Promise<void> {
  await em.execute(
    `insert into slack_notices (bug_id, purpose, channel_id, thread_ts, payload, dedupe_key, status, attempts, next_attempt_at, created_at)
     values (?, 'card', ?, ?, '{}', ?, 'pending', 0, ?, ?)
     on conflict (dedupe_key) where dedupe_key is not null and status = 'pending' do nothing`,
    [bug.id, bug.channelId, bug.threadTs, `card:${bug.id}`, at, at],
  );
}
