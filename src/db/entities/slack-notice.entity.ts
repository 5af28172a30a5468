// slack_notices: the outbox of Slack messages, enqueued in the transaction of a change and sent after it commits.
import { defineEntity, p } from '@mikro-orm/core';
import type { NoticePayload } from '../../messages/blocks.ts';

/**
 * - `card`: post the bug card into the thread, or update it in place; rendered from the bug's state at send time.
 * - `thread_notice`: a message in a thread.
 * - `warning` / `reminder`: thread messages the bug points at (warning_notice_id / reminder_notice_id) to edit later.
 * - `message_update`: chat.update of a message an earlier notice posted (`payload.sourceNoticeId`).
 * - `thread_root`: a new top-level message starting the Slack thread of an imported bug (`npm run import --
 *   --channel`, thread_ts null); once posted, the bug takes that thread and its card is asked for.
 */
export const NOTICE_PURPOSES = [
  'card',
  'thread_notice',
  'warning',
  'reminder',
  'message_update',
  'thread_root',
] as const;
export type NoticePurpose = (typeof NOTICE_PURPOSES)[number];

/**
 * Who goes first within a channel: `interactive` (0) is what a person is waiting for (a new bug's card, the notice
 * of their own action), `bulk` (1) is the sweep's. Within one thread notices keep their order whatever the priority.
 */
export const NOTICE_PRIORITIES = { interactive: 0, bulk: 1 } as const;
export type NoticePriority = keyof typeof NOTICE_PRIORITIES;

export const NOTICE_STATUSES = ['pending', 'sending', 'sent', 'failed', 'cancelled'] as const;
export type NoticeStatus = (typeof NOTICE_STATUSES)[number];

export const SlackNoticeSchema = defineEntity({
  name: 'SlackNotice',
  tableName: 'slack_notices',
  properties: {
    id: p.bigint('number').primary(),
    bugId: p.integer().nullable(),
    purpose: p.text().$type<NoticePurpose>(),
    channelId: p.text(),
    threadTs: p.text().nullable(),
    /** The rendered message (messages/); `{}` for card notices, which are rendered when sent. */
    payload: p.json<NoticePayload>().default('{}'),
    dedupeKey: p.text().nullable(),
    /** NOTICE_PRIORITIES: 0 interactive, 1 bulk. */
    priority: p.integer().columnType('smallint').default(0),
    status: p.enum(NOTICE_STATUSES).default('pending'),
    attempts: p.integer().default(0),
    nextAttemptAt: p.datetime().columnType('timestamptz'),
    leaseUntil: p.datetime().columnType('timestamptz').nullable(),
    lastError: p.text().nullable(),
    resultTs: p.text().nullable(),
    createdAt: p.datetime().columnType('timestamptz'),
    sentAt: p.datetime().columnType('timestamptz').nullable(),
  },
});

export class SlackNotice extends SlackNoticeSchema.class {}
SlackNoticeSchema.setClass(SlackNotice);
