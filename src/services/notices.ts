// The services' side of the outbox: what a state change owes Slack is written in the same transaction, already
// rendered (messages/), and the notifier (outbox/) sends it after commit, paced, retried and at most once.
import type { EntityManager } from '@mikro-orm/postgresql';
import { SlackNotice } from '../db/entities/index.ts';
import { NOTICE_PRIORITIES, type NoticePriority, type NoticePurpose } from '../db/entities/slack-notice.entity.ts';
import { insertCardRefresh } from '../db/repositories/notice.repository.ts';
import type { NoticePayload } from '../messages/blocks.ts';

export type NoticeRequest = {
  bugId: number | null;
  purpose: NoticePurpose;
  channelId: string;
  threadTs: string | null;
  payload: NoticePayload;
  at: Date;
  /** `bulk` for the sweep's notices; what a person waits for (the default) goes first in its channel. */
  priority?: NoticePriority;
};

/** Writes a notice in the current transaction and returns it with its id. Call `notifier.kick()` after the commit. */
export async function enqueueNotice(em: EntityManager, request: NoticeRequest): Promise<SlackNotice> {
  const notice = em.create(SlackNotice, {
    bugId: request.bugId,
    purpose: request.purpose,
    channelId: request.channelId,
    threadTs: request.threadTs,
    payload: request.payload,
    dedupeKey: null,
    status: 'pending',
    attempts: 0,
    nextAttemptAt: request.at,
    createdAt: request.at,
    priority: NOTICE_PRIORITIES[request.priority ?? 'interactive'],
  });
  await em.flush();
  return notice;
}

/** A notice in the bug's own thread: the common case. */
export function enqueueInThread(
  em: EntityManager,
  bug: { id: number; channelId: string; threadTs: string },
  purpose: Exclude<NoticePurpose, 'card'>,
  payload: NoticePayload,
  at: Date,
  priority: NoticePriority = 'interactive',
): Promise<SlackNotice> {
  return enqueueNotice(em, {
    bugId: bug.id,
    purpose,
    channelId: bug.channelId,
    threadTs: bug.threadTs,
    payload,
    at,
    priority,
  });
}

/** A top-level message in a channel (the alert channel, the digest's), in no bug's thread; `bugId` when it is about one. */
export function enqueueInChannel(
  em: EntityManager,
  channelId: string,
  payload: NoticePayload,
  at: Date,
  options: { bugId?: number; priority?: NoticePriority } = {},
): Promise<SlackNotice> {
  return enqueueNotice(em, {
    bugId: options.bugId ?? null,
    purpose: 'thread_notice',
    channelId,
    threadTs: null,
    payload,
    at,
    priority: options.priority ?? 'interactive',
  });
}

/**
 * Asks for the bug card to be posted or refreshed. The card is rendered from the bug's state when it is sent,
 * so several changes in a row cost one Slack call (one pending refresh per bug: coalesced) and a stale card is
 * never shown. A refresh the sweep asks for is `bulk`: it trails what people are waiting for.
 */
export async function requestCardRefresh(
  em: EntityManager,
  bug: { id: number; channelId: string; threadTs: string },
  at: Date,
  priority: NoticePriority = 'interactive',
): Promise<void> {
  await insertCardRefresh(em, bug, at, NOTICE_PRIORITIES[priority]);
}
