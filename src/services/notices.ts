// The outbox side of the notifier: what a state change owes Slack is written in the same transaction,
// and the dispatcher (services/notifier/) sends it after commit, paced, retried and at most once.
import type { EntityManager } from '@mikro-orm/postgresql';
import { SlackNotice } from '../db/entities/index.ts';
import { insertCardRefresh } from '../db/repositories/notice.repository.ts';

/**
 * - `card`: post the bug card into the thread, or update it in place; rendered from the bug's state at send time.
 * - `thread_notice`: a message in a thread.
 * - `warning` / `reminder`: thread messages the bug points at (warning_notice_id / reminder_notice_id) to edit later.
 * - `message_update`: chat.update of a message an earlier notice posted (`payload.sourceNoticeId`).
 */
export const NOTICE_PURPOSES = ['card', 'thread_notice', 'warning', 'reminder', 'message_update'] as const;
export type NoticePurpose = (typeof NOTICE_PURPOSES)[number];

export type NoticePayload = {
  text: string;
  blocks?: unknown[];
  /** For message_update: the notice whose posted message is edited. */
  sourceNoticeId?: number;
};

export type NoticeRequest = {
  bugId: number | null;
  purpose: NoticePurpose;
  channelId: string;
  threadTs: string | null;
  payload: NoticePayload;
  at: Date;
};

/** Writes a notice in the current transaction and returns it with its id. Call `notifier.kick()` after the commit. */
export async function enqueueNotice(em: EntityManager, request: NoticeRequest): Promise<SlackNotice> {
  const notice = em.create(SlackNotice, {
    bugId: request.bugId,
    purpose: request.purpose,
    channelId: request.channelId,
    threadTs: request.threadTs,
    payload: request.payload as unknown as Record<string, unknown>,
    dedupeKey: null,
    status: 'pending',
    attempts: 0,
    nextAttemptAt: request.at,
    createdAt: request.at,
  });
  await em.flush();
  return notice;
}

/**
 * Asks for the bug card to be posted or refreshed. The card is rendered from the bug's state when it is sent,
 * so several changes in a row cost one Slack call and a stale card is never shown.
 */
export async function requestCardRefresh(
  em: EntityManager,
  bug: { id: number; channelId: string; threadTs: string },
  at: Date,
): Promise<void> {
  await insertCardRefresh(em, bug, at);
}
