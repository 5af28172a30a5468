// What a sign of life (a reporter's or developer's thread message, a "Keep open" press, a claim, a reopen) does
// to a bug, inside the caller's transaction on a bug it has locked: the inactivity clock restarts, a pending
// warning or reminder is withdrawn (and its message edited to say so), a bug auto-closed not long ago
// reopens, and whose turn it is moves on (a message passes it, a reopen gives it to developers). The rules are
// domain/bug-activity.ts and domain/turn.ts; this applies them.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { AppContext } from '../app-context.ts';
import type { BugReport } from '../db/entities/index.ts';
import { recomputeActivity, recomputeTurn } from '../db/repositories/bug-activity.repository.ts';
import { cancelIfUnsent } from '../db/repositories/notice.repository.ts';
import { effectsOfActivity, type ReminderClearedWhy, type WarningClearedWhy } from '../domain/bug-activity.ts';
import { actorKindOf } from '../domain/bug-event-types.ts';
import { statusTimestamps } from '../domain/lifecycle.ts';
import type { SenderType } from '../domain/sender-type.ts';
import { TURN_AFTER_REOPEN, turnAfterMessage } from '../domain/turn.ts';
import type { SlackMessage } from '../messages/blocks.ts';
import {
  buildAutoReopenedNotice,
  buildNudgeWithdrawn,
  buildReminderCleared,
  buildWarningCleared,
} from '../messages/thread-notices.ts';
import { recordEvent } from './audit.ts';
import { enqueueInThread, requestCardRefresh } from './notices.ts';
import { applySlaStatusChange } from './sla.ts';

export type BugActivity = {
  actorId: string;
  at: Date;
  source: 'message' | 'keep_open' | 'claim' | 'reopen';
  /** A message's sender type: a reporter's message hands the turn to developers, a developer's to the reporter. */
  senderType?: SenderType;
};

/** What the withdrawn warning's message says about why: a reopen is a change of status. */
const WARNING_CLEARED_BY: Record<BugActivity['source'], WarningClearedWhy> = {
  message: 'reply',
  keep_open: 'keep_open',
  claim: 'claim',
  reopen: 'status',
};

export async function applyBugActivity(
  em: EntityManager,
  ctx: AppContext,
  bug: BugReport,
  activity: BugActivity,
): Promise<void> {
  const effects = effectsOfActivity(bug, activity.actorId, activity.at, ctx.config.reopenWithinMs);
  if (activity.senderType) await passTurn(em, ctx, bug, activity.senderType, activity.at);
  if (activity.at > bug.lastActivityAt) bug.lastActivityAt = activity.at;
  if (effects.keepsClaimAlive && (!bug.claimantLastActivityAt || activity.at > bug.claimantLastActivityAt)) {
    bug.claimantLastActivityAt = activity.at;
  }
  if (effects.clearsWarning)
    await withdrawWarning(em, ctx, bug, { byUserId: activity.actorId, why: WARNING_CLEARED_BY[activity.source] });
  if (effects.clearsReminder) await withdrawReminder(em, ctx, bug, 'activity');
  if (effects.reopens) await autoReopen(em, ctx, bug, activity);
  bug.updatedAt = ctx.clock();
}

/**
 * Whose turn it is after this message (domain/turn.ts). The newest message decides; one older than the bug's last
 * activity or than its turn's start (delivered late; a reopen starts a turn without being activity) may not be the
 * newest, or may come before a reopen, so the turn is recomputed from the thread instead. When the turn passes to the
 * reporter, a developer answered: the nudge of the developers' turn is withdrawn.
 */
async function passTurn(
  em: EntityManager,
  ctx: AppContext,
  bug: BugReport,
  senderType: SenderType,
  at: Date,
): Promise<void> {
  const before = bug.turn;
  const nudgeId = bug.nudgeNoticeId ?? null;
  const nudged = Boolean(bug.nudgedAt);
  if (at.getTime() < bug.lastActivityAt.getTime() || at.getTime() < bug.turnSince.getTime()) {
    await recomputeTurn(em, bug);
  } else {
    const next = turnAfterMessage(bug.turn, senderType);
    if (next !== bug.turn) {
      bug.turn = next;
      bug.turnSince = at;
    }
  }
  // The card says whose turn it is under the policy.
  if (bug.turn !== before && ctx.config.autoClosePolicy === 'waiting-on-reporter')
    await requestCardRefresh(em, bug, ctx.clock());
  if (before === 'developers' && bug.turn === 'reporter' && nudged) {
    Object.assign(bug, NO_PENDING_NUDGE);
    recordEvent(em, {
      bugId: bug.id,
      type: 'bug.nudge_withdrawn',
      actorId: null,
      actorKind: 'system',
      at: ctx.clock(),
      metadata: { answeredAt: at.toISOString() },
    });
    if (nudgeId)
      await retractNotice(
        em,
        bug,
        nudgeId,
        buildNudgeWithdrawn({ bug, at, timeZone: ctx.config.sweep.timezone }),
        ctx.clock(),
      );
  }
}

/**
 * A bug reopened at `at` (Reopen, `/bugs reopen`, the API, "still broken", "Not a duplicate"; the bot's own reopen
 * goes through autoReopen): from then on it is the developers' turn, a new one, so a nudge of an earlier developers'
 * turn is forgotten and the next is due DEVELOPER_NUDGE_AFTER from `at`. The card, which says whose turn it is under
 * the policy, is refreshed when the turn changed. The caller records the reopen's event (domain/turn.ts
 * REOPEN_EVENT_TYPES) at `at`, which is how the recompute (recomputeTurn) knows of it.
 */
export async function startDevelopersTurn(em: EntityManager, ctx: AppContext, bug: BugReport, at: Date): Promise<void> {
  const before = bug.turn;
  bug.turn = TURN_AFTER_REOPEN;
  bug.turnSince = at;
  Object.assign(bug, NO_PENDING_NUDGE);
  if (before !== bug.turn && ctx.config.autoClosePolicy === 'waiting-on-reporter')
    await requestCardRefresh(em, bug, ctx.clock());
}

/**
 * Activity taken away or counted again (a deleted message, a reply reclassified as a developer's): the activity
 * times and the turn recomputed from the thread (recomputeActivity), and the card, which says whose turn it is under
 * the policy, refreshed when the turn changed. True when a notice was queued: call `notifier.kick()` after commit.
 */
export async function recomputeBugActivity(em: EntityManager, ctx: AppContext, bug: BugReport): Promise<boolean> {
  const before = bug.turn;
  await recomputeActivity(em, bug);
  if (bug.turn === before || ctx.config.autoClosePolicy !== 'waiting-on-reporter') return false;
  await requestCardRefresh(em, bug, ctx.clock());
  return true;
}

/** A bug whose developers' turn has not been nudged. */
export const NO_PENDING_NUDGE = { nudgedAt: null, nudgeNoticeId: null } as const;

/** A bug with no inactivity warning pending: what a warning set (sweep-items.ts warn), cleared. */
export const NO_PENDING_WARNING = { warnedAt: null, warningNoticeId: null, autoCloseAt: null } as const;

/** A bug with no claim reminder pending. */
const NO_PENDING_REMINDER = { remindedAt: null, reminderNoticeId: null, claimReleaseAt: null } as const;

/**
 * Withdraws the bug's pending inactivity warning: never posted yet → cancelled; already visible → edited in
 * place to say it no longer applies. The next close then needs a new warning.
 */
export async function withdrawWarning(
  em: EntityManager,
  ctx: AppContext,
  bug: BugReport,
  cause: { byUserId: string | null; why: WarningClearedWhy },
): Promise<void> {
  if (!bug.warnedAt) return;
  const now = ctx.clock();
  const noticeId = bug.warningNoticeId;
  Object.assign(bug, NO_PENDING_WARNING);
  recordEvent(em, {
    bugId: bug.id,
    type: 'bug.warning_cleared',
    actorId: cause.byUserId,
    actorKind: actorKindOf(cause.byUserId, ctx.config.adminUsers),
    at: now,
    metadata: { why: cause.why },
  });
  if (noticeId) {
    const message = buildWarningCleared({
      bug,
      byUserId: cause.byUserId,
      at: now,
      why: cause.why,
      timeZone: ctx.config.sweep.timezone,
    });
    await retractNotice(em, bug, noticeId, message, now);
  }
}

/** The claimant spoke up, or the claim ended: the gentle reminder is withdrawn the same way as a warning. */
export async function withdrawReminder(
  em: EntityManager,
  ctx: AppContext,
  bug: BugReport,
  why: ReminderClearedWhy,
): Promise<void> {
  if (!bug.remindedAt) return;
  const now = ctx.clock();
  const noticeId = bug.reminderNoticeId;
  Object.assign(bug, NO_PENDING_REMINDER);
  if (noticeId)
    await retractNotice(
      em,
      bug,
      noticeId,
      buildReminderCleared({
        bug,
        at: now,
        why,
        timeZone: ctx.config.sweep.timezone,
      }),
      now,
    );
}

/**
 * A posted message that no longer applies: never sent yet → cancelled; possibly visible → edited in place to say
 * so (after commit, through the outbox); failed for good → nothing to edit.
 */
export async function retractNotice(
  em: EntityManager,
  bug: BugReport,
  noticeId: number,
  replacement: SlackMessage,
  now: Date,
): Promise<void> {
  const status = await cancelIfUnsent(em, noticeId, 'withdrawn before it was posted');
  if (status === 'cancelled' || status === 'failed') return;
  await enqueueInThread(em, bug, 'message_update', { ...replacement, sourceNoticeId: noticeId }, now);
}

/** The claim ends (released by hand or by the sweep, or the bug reopened): nobody holds it any more. */
export async function clearClaim(
  em: EntityManager,
  ctx: AppContext,
  bug: BugReport,
  why: ReminderClearedWhy,
): Promise<void> {
  bug.claimantId = null;
  bug.claimedAt = null;
  bug.claimantLastActivityAt = null;
  await withdrawReminder(em, ctx, bug, why);
}

/**
 * The bot's own reopen of a bug auto-closed not long ago, on a reply or a Keep open press. The reopen is recorded at
 * the activity's moment, and the reply that caused it counts after it (domain/turn.ts): the turn is the developers',
 * unless a developer's reply reopened it, which asks the reporter. Recomputed from the thread, so a reply delivered
 * late, with newer ones already stored, is placed right too.
 */
async function autoReopen(em: EntityManager, ctx: AppContext, bug: BugReport, activity: BugActivity): Promise<void> {
  const now = ctx.clock();
  const closedAt = bug.closedAt;
  const from = bug.status;
  bug.status = 'open';
  Object.assign(bug, statusTimestamps('open', now));
  applySlaStatusChange(ctx, bug, from, now);
  await clearClaim(em, ctx, bug, 'status');
  recordEvent(em, {
    bugId: bug.id,
    type: 'bug.auto_reopened',
    actorId: activity.actorId,
    actorKind: actorKindOf(activity.actorId, ctx.config.adminUsers),
    at: activity.at,
    metadata: {
      from: 'closed',
      to: 'open',
      closedAt: closedAt?.toISOString(),
      reopenWithinMs: ctx.config.reopenWithinMs,
    },
  });
  await recomputeTurn(em, bug);
  await enqueueInThread(em, bug, 'thread_notice', buildAutoReopenedNotice(bug, activity.actorId), now);
  await requestCardRefresh(em, bug, now);
}
