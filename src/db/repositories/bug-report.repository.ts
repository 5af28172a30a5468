// Finding and locking a bug by id, thread, modal submission or reference, and the bug-number reservation.
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { BugLocator } from '../../domain/slack-refs.ts';
import { BugConversation, BugReport } from '../entities/index.ts';

/** Reserves the next bug id so its human reference (BUG-42) can be written with the row. */
export async function reserveBugNumber(em: EntityManager): Promise<number> {
  const rows = await em.execute<{ id: string }[]>(`select nextval(pg_get_serial_sequence('bug_reports', 'id')) as id`);
  return Number(rows[0]!.id);
}

export function bugRefFor(id: number): string {
  return `BUG-${id}`;
}

export async function findBugByThread(
  em: EntityManager,
  channelId: string,
  threadTs: string,
): Promise<BugReport | null> {
  return em.findOne(BugReport, { channelId, threadTs });
}

/** The bug filed from this modal submission (its Slack view id), if one was. */
export async function findBugBySourceView(em: EntityManager, viewId: string): Promise<BugReport | null> {
  return em.findOne(BugReport, { sourceViewId: viewId });
}

/** The bug a typed reference or a permalink points at: its thread's first message, or any message in it. */
export async function findBugByLocator(em: EntityManager, locator: BugLocator): Promise<BugReport | null> {
  if (locator.kind === 'number') return em.findOne(BugReport, { id: locator.number });
  const byThread = await findBugByThread(em, locator.channelId, locator.threadTs ?? locator.ts);
  if (byThread) return byThread;
  const message = await em.findOne(BugConversation, { channelId: locator.channelId, slackTs: locator.ts });
  return message ? em.findOne(BugReport, { id: message.bugId }) : null;
}

/** Loads a bug for a change that must see every earlier change and keep later ones waiting (sweep, replies). */
export async function lockBug(em: EntityManager, id: number): Promise<BugReport | null> {
  return em.findOne(BugReport, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
}

/** Remembers the bug card's message so later changes edit it in place. */
export async function setCardTs(em: EntityManager, bugId: number, ts: string): Promise<void> {
  await em.execute('update bug_reports set card_ts = ? where id = ? and card_ts is null', [ts, bugId]);
}
