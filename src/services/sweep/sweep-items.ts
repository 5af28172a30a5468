// One sweep action on one bug, in its own transaction: the bug is locked and decided on again as it is at this
// moment, so a reply that landed since planning wins and nothing is warned, closed or released twice.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { AppContext } from '../../app-context.ts';
import { type BugReport, SlackNotice } from '../../db/entities/index.ts';
import { lockBug } from '../../db/repositories/bug-report.repository.ts';
import { findLastDeveloperMessage } from '../../db/repositories/turn.repository.ts';
import { actorKindOf, type BugEventType } from '../../domain/bug-event-types.ts';
import type { EngagementCounts } from '../../domain/engagement.ts';
import { statusTimestamps } from '../../domain/lifecycle.ts';
import { decideNudge } from '../../domain/nudges.ts';
import {
  claimQuietSince,
  decideClaim,
  decideInactivity,
  elapsedMs,
  type InactivityState,
  type NextSweepAt,
  type SweepSettings,
} from '../../domain/sweep-rules.ts';
import {
  buildAutoClosedNotice,
  buildClaimReleasedNotice,
  buildClaimReminder,
  buildDeveloperNudge,
  buildInactivityWarning,
  buildUnverifiedClosedNotice,
  type NudgeAudience,
} from '../../messages/thread-notices.ts';
import { recordEvent } from '../audit.ts';
import { clearClaim, NO_PENDING_WARNING, withdrawReminder } from '../bug-activity.ts';
import { enqueueInThread, requestCardRefresh } from '../notices.ts';
import { applySlaStatusChange } from '../sla.ts';

export type SweepAction = 'warned' | 'closed' | 'reminded' | 'released' | 'nudged';

export function sweepSettings(ctx: AppContext): SweepSettings {
  return {
    autoCloseAfterMs: ctx.config.autoCloseAfterMs,
    autoCloseWarningMs: ctx.config.autoCloseWarningMs,
    claimReleaseAfterMs: ctx.config.claimReleaseAfterMs,
    claimReminderMs: ctx.config.claimReminderMs,
    autoClosePolicy: ctx.config.autoClosePolicy,
    developerNudgeAfterMs: ctx.config.developerNudgeAfterMs,
    calendar: ctx.config.businessCalendar,
    engagementExempt: ctx.config.engagementExempt,
  };
}

/** The counts ENGAGEMENT_EXEMPT looks at, as the bug's row keeps them. */
export function engagementOf(bug: BugReport): EngagementCounts {
  return { reactions: bug.reactors, affectedReporters: bug.affectedReporters };
}

/** The bug's inactivity state, with its warning's delivery read from the outbox. */
export function inactivityStateOf(bug: BugReport, warningNotice: SlackNotice | null | undefined): InactivityState {
  return {
    status: bug.status,
    lastActivityAt: bug.lastActivityAt,
    warnedAt: bug.warnedAt ?? null,
    autoCloseAt: bug.autoCloseAt ?? null,
    warningVisibleSince: warningNotice?.status === 'sent' ? (warningNotice.sentAt ?? null) : null,
    warningUndeliverable: warningNotice?.status === 'failed' || warningNotice?.status === 'cancelled',
    turn: bug.turn,
    engagement: engagementOf(bug),
  };
}

/** One item, in its own transaction on the bug locked as it is now; nothing when the bug is gone. */
function onLockedBug(
  ctx: AppContext,
  bugId: number,
  act: (em: EntityManager, bug: BugReport) => Promise<SweepAction | null>,
): Promise<SweepAction | null> {
  return ctx.orm.em.fork().transactional(async (em) => {
    const bug = await lockBug(em, bugId);
    return bug ? act(em, bug) : null;
  });
}

/** Warn or close, if the bug still calls for it. */
export async function sweepInactivity(
  ctx: AppContext,
  bugId: number,
  now: Date,
  nextSweepAt: NextSweepAt,
): Promise<SweepAction | null> {
  return onLockedBug(ctx, bugId, async (em, bug) => {
    // Its thread may hold replies the bot could not store yet (thread-catch-up.ts): someone may have answered.
    if (bug.catchUpDueAt) return null;
    const notice = bug.warningNoticeId ? await em.findOne(SlackNotice, bug.warningNoticeId) : null;
    const decision = decideInactivity(inactivityStateOf(bug, notice), now, sweepSettings(ctx), nextSweepAt);
    if (decision.kind === 'warn') {
      await warn(em, ctx, bug, now, decision.closesAt);
      return 'warned';
    }
    if (decision.kind === 'close') {
      await autoClose(em, ctx, bug, now, decision.idleMs, notice);
      return 'closed';
    }
    return null;
  });
}

/** Remind or release a quiet claim, if it still calls for it. */
export async function sweepClaim(
  ctx: AppContext,
  bugId: number,
  now: Date,
  nextSweepAt: NextSweepAt,
): Promise<SweepAction | null> {
  return onLockedBug(ctx, bugId, async (em, bug) => {
    if (bug.catchUpDueAt) return null; // the claimant may have spoken up in a reply not read back yet
    const decision = decideClaim(bug, now, sweepSettings(ctx), nextSweepAt);
    if (decision.kind === 'remind') {
      await remind(em, ctx, bug, now, decision.quietSince, decision.releaseAt);
      return 'reminded';
    }
    if (decision.kind === 'release') {
      await releaseClaim(em, ctx, bug, now, { byAdminId: null });
      return 'released';
    }
    return null;
  });
}

/** Nudge developers once in this turn, if the bug still calls for it. */
export async function sweepNudge(ctx: AppContext, bugId: number, now: Date): Promise<SweepAction | null> {
  return onLockedBug(ctx, bugId, async (em, bug) => {
    if (bug.catchUpDueAt) return null; // a developer may have answered in a reply not read back yet
    const decision = decideNudge(bug, now, sweepSettings(ctx));
    if (decision.kind !== 'nudge') return null;
    const audience: NudgeAudience = bug.claimantId
      ? { kind: 'claimant', userId: bug.claimantId }
      : ctx.config.developerUsergroup
        ? { kind: 'usergroup', usergroupId: ctx.config.developerUsergroup }
        : { kind: 'developers', userIds: ctx.config.developerUsers };
    const nudge = buildDeveloperNudge({
      bug,
      audience,
      waitingSince: decision.waitingSince,
      timeZone: ctx.config.sweep.timezone,
    });
    const notice = await enqueueInThread(em, bug, 'thread_notice', nudge, now, 'bulk');
    bug.nudgedAt = now;
    bug.nudgeNoticeId = notice.id;
    bug.updatedAt = now;
    recordSystemEvent(em, bug, 'bug.developers_nudged', now, {
      audience: audience.kind,
      ...(audience.kind === 'claimant' ? { claimant: audience.userId } : {}),
      waitingSince: decision.waitingSince.toISOString(),
      silentMs: decision.silentMs,
      thresholdMs: ctx.config.developerNudgeAfterMs,
    });
    await em.flush();
    return 'nudged';
  });
}

async function warn(em: EntityManager, ctx: AppContext, bug: BugReport, now: Date, closesAt: Date): Promise<void> {
  // Under waiting-on-reporter the warning tells the reporter what is awaited.
  const asked =
    ctx.config.autoClosePolicy === 'waiting-on-reporter' ? await findLastDeveloperMessage(em, bug.id) : null;
  const warning = buildInactivityWarning({
    bug,
    unverified: bug.status === 'awaiting_verification',
    lastActivityAt: bug.lastActivityAt,
    closesAt,
    timeZone: ctx.config.sweep.timezone,
    awaited: asked?.senderId ? { developerId: asked.senderId, text: asked.text, at: asked.messageAt } : null,
  });
  const notice = await enqueueInThread(em, bug, 'warning', warning, now, 'bulk');
  bug.warnedAt = now;
  bug.warningNoticeId = notice.id;
  bug.autoCloseAt = closesAt;
  bug.updatedAt = now;
  recordSystemEvent(em, bug, 'bug.warned', now, {
    closesAt: closesAt.toISOString(),
    lastActivityAt: bug.lastActivityAt.toISOString(),
    idleMs: now.getTime() - bug.lastActivityAt.getTime(),
    thresholdMs: ctx.config.autoCloseAfterMs,
    warningMs: ctx.config.autoCloseWarningMs,
  });
  await em.flush();
}

async function autoClose(
  em: EntityManager,
  ctx: AppContext,
  bug: BugReport,
  now: Date,
  idleMs: number,
  warning: SlackNotice | null,
): Promise<void> {
  const from = bug.status;
  // An agent's fix nobody said was still broken counts as resolved (issue 13), with its own close reason.
  const unverified = from === 'awaiting_verification';
  const to = unverified ? 'resolved' : 'closed';
  bug.status = to;
  Object.assign(bug, statusTimestamps(to, now));
  applySlaStatusChange(ctx, bug, from, now);
  bug.closeReason = unverified ? 'unverified' : 'inactivity';
  bug.updatedAt = now;
  // The warning did its job and stays as it is; a claim reminder no longer applies.
  Object.assign(bug, NO_PENDING_WARNING);
  await withdrawReminder(em, ctx, bug, 'status');
  recordSystemEvent(em, bug, 'bug.auto_closed', now, {
    from,
    to,
    ...(unverified ? { closeReason: 'unverified' } : {}),
    idleMs,
    idleDays: daysOf(idleMs),
    thresholdMs: ctx.config.autoCloseAfterMs,
    lastActivityAt: bug.lastActivityAt.toISOString(),
    warningVisibleSince: warning?.sentAt?.toISOString() ?? null,
  });
  const closed = unverified
    ? buildUnverifiedClosedNotice({
        bug,
        lastActivityAt: bug.lastActivityAt,
        timeZone: ctx.config.sweep.timezone,
      })
    : buildAutoClosedNotice({
        bug,
        lastActivityAt: bug.lastActivityAt,
        now,
        reopenWithinMs: ctx.config.reopenWithinMs,
        timeZone: ctx.config.sweep.timezone,
      });
  await enqueueInThread(em, bug, 'thread_notice', closed, now, 'bulk');
  await requestCardRefresh(em, bug, now, 'bulk');
}

async function remind(
  em: EntityManager,
  ctx: AppContext,
  bug: BugReport,
  now: Date,
  quietSince: Date,
  releaseAt: Date,
): Promise<void> {
  const claimantId = bug.claimantId!;
  const reminder = buildClaimReminder({
    bug,
    claimantId,
    quietSince,
    releaseAt,
    timeZone: ctx.config.sweep.timezone,
  });
  const notice = await enqueueInThread(em, bug, 'reminder', reminder, now, 'bulk');
  bug.remindedAt = now;
  bug.reminderNoticeId = notice.id;
  bug.claimReleaseAt = releaseAt;
  bug.updatedAt = now;
  recordSystemEvent(em, bug, 'claim.reminded', now, {
    claimant: claimantId,
    quietSince: quietSince.toISOString(),
    releaseAt: releaseAt.toISOString(),
    thresholdMs: ctx.config.claimReleaseAfterMs,
  });
  await em.flush();
}

/** An event of the sweep's own doing (no person acted), on the bug it acted on. */
function recordSystemEvent(
  em: EntityManager,
  bug: BugReport,
  type: BugEventType,
  now: Date,
  metadata: Record<string, unknown>,
): void {
  recordEvent(em, { bugId: bug.id, type, actorId: null, actorKind: 'system', at: now, metadata });
}

/** Milliseconds as days, to one decimal, for the audit trail. */
function daysOf(ms: number): number {
  return Math.round((ms / 86_400_000) * 10) / 10;
}

/** Back to the queue, kindly: by the sweep (byAdminId null) or by an admin confirming /bugs release. */
export async function releaseClaim(
  em: EntityManager,
  ctx: AppContext,
  bug: BugReport,
  now: Date,
  by: { byAdminId: string | null },
): Promise<void> {
  const claimantId = bug.claimantId!;
  const quietSince = claimQuietSince(bug) ?? now;
  // The notice says how long in real time; the event, like bug.auto_closed, in the clocks' time (business time).
  const idleMs = now.getTime() - quietSince.getTime();
  const clockIdleMs = elapsedMs(quietSince, now, sweepSettings(ctx));
  const from = bug.status;
  bug.status = 'open';
  bug.updatedAt = now;
  await clearClaim(em, ctx, bug, 'released');
  recordEvent(em, {
    bugId: bug.id,
    type: 'claim.timeout_released',
    actorId: by.byAdminId,
    actorKind: actorKindOf(by.byAdminId, ctx.config.adminUsers),
    at: now,
    metadata: {
      from,
      to: 'open',
      claimant: claimantId,
      quietSince: quietSince.toISOString(),
      idleMs: clockIdleMs,
      daysIdle: daysOf(clockIdleMs),
      thresholdMs: ctx.config.claimReleaseAfterMs,
    },
  });
  const released = buildClaimReleasedNotice({ bug, claimantId, idleMs, byAdminId: by.byAdminId });
  await enqueueInThread(em, bug, 'thread_notice', released, now, 'bulk');
  await requestCardRefresh(em, bug, now, 'bulk');
}
