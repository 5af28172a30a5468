// Bugs come in three ways (a top-level message in a bug channel, the /bugs report modal, the "Report as bug"
// shortcut); all of them end here. Creating a bug is idempotent on its thread: a retried event makes no second bug.
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { AppContext } from '../app-context.ts';
import { BugReport } from '../db/entities/index.ts';
import {
  bugRefFor,
  findBugBySourceView,
  findBugByThread,
  reserveBugNumber,
} from '../db/repositories/bug-report.repository.ts';
import { markBugForCatchUp } from '../db/repositories/catch-up.repository.ts';
import { insertConversationOnce } from '../db/repositories/conversation.repository.ts';
import { recordTelemetryIds } from '../db/repositories/telemetry.repository.ts';
import { actorKindOf } from '../domain/bug-event-types.ts';
import type { Severity } from '../domain/bug-status.ts';
import { fingerprintReport } from '../domain/fingerprint.ts';
import { extractTelemetryIds, type ReportOrigin, type Telemetry, withTelemetry } from '../domain/report-text.ts';
import { bugLogger } from '../logger.ts';
import { buildFiledFromMessageNotice } from '../messages/thread-notices.ts';
import { recordEvent } from './audit.ts';
import { groupNewBug, suggestNearDuplicate } from './duplicates.ts';
import { enqueueNotice, requestCardRefresh } from './notices.ts';
import { slaClockForNewBug } from './sla.ts';

export type NewBug = {
  channelId: string;
  /** The ts of the thread's first message. */
  threadTs: string;
  title: string;
  description: string;
  severity: Severity;
  reporterId: string;
  createdAt: Date;
  telemetry: Telemetry;
  source: 'channel' | 'report_modal' | 'message_shortcut' | 'api' | 'follow_up';
  /** Filed through the agent API: by an agent or a system (bug_reports.source); otherwise from Slack. */
  apiSource?: 'agent' | 'system';
  category?: string | null;
  /** The thread's first message, stored as the first conversation row. */
  rootMessage: { senderId: string | null; text: string };
  /** For reports filed from another message: where it came from, and where to say where it went. */
  origin?: ReportOrigin | null;
  /** For modal reports: the Slack view submitted. Unique: the same submission never files two bugs. */
  sourceViewId?: string | null;
  /** For a follow-up filed from a late reply: the bug it follows (unique: one follow-up per bug). */
  followUpOfId?: number | null;
  /**
   * Read back by the catch-up (a report posted while the bot could not store it): marked for catch-up in the same
   * transaction, so no sweep decides about it before its thread has been read back too.
   */
  awaitsCatchUp?: boolean;
};

export type CreateBugResult = {
  created: boolean;
  bug: BugReport;
  /** The canonical bug a new report was linked to as its duplicate (only when created). */
  duplicateOf?: BugReport | null;
};

export async function createBug(ctx: AppContext, input: NewBug): Promise<CreateBugResult> {
  const em = ctx.orm.em.fork();
  const existing = await findBugByThread(em, input.channelId, input.threadTs);
  if (existing) return { created: false, bug: existing };
  const now = ctx.clock();
  const fingerprint = fingerprintReport({ title: input.title, description: input.description });
  let bug: BugReport;
  let duplicateOf = null as BugReport | null; // set inside the transaction
  try {
    bug = await em.transactional(async (tx) => {
      const id = await reserveBugNumber(tx);
      const created = tx.create(BugReport, {
        id,
        ref: bugRefFor(id),
        title: input.title,
        description: input.description,
        severity: input.severity,
        status: 'open',
        reporterId: input.reporterId,
        channelId: input.channelId,
        threadTs: input.threadTs,
        sourcePermalink: input.origin?.permalink ?? null,
        sourceViewId: input.sourceViewId ?? null,
        source: input.apiSource ?? 'slack',
        category: input.category ?? null,
        followUpOf: input.followUpOfId ?? null,
        traceId: input.telemetry.traceId,
        requestId: input.telemetry.requestId,
        releaseSha: input.telemetry.releaseSha,
        fingerprint: fingerprint?.fingerprint ?? null,
        createdAt: input.createdAt,
        updatedAt: now,
        lastActivityAt: input.createdAt,
        // From the report's own time, never later than now (a Slack timestamp may run ahead of our clock).
        ...slaClockForNewBug(ctx, input.severity, input.createdAt < now ? input.createdAt : now),
      });
      await tx.flush();
      await insertConversationOnce(tx, {
        bugId: id,
        senderType: 'reporter',
        senderId: input.rootMessage.senderId,
        channelId: input.channelId,
        slackTs: input.threadTs,
        text: input.rootMessage.text,
        messageAt: input.createdAt,
        metadata: { root: true, source: input.source },
      });
      // Every id the report mentions, so any of them finds it (the columns keep the first of each).
      const ids = withTelemetry(extractTelemetryIds(`${input.title}\n${input.description}`), input.telemetry);
      await recordTelemetryIds(tx, id, ids);
      recordEvent(tx, {
        bugId: id,
        type: 'bug.created',
        actorId: input.reporterId,
        actorKind: actorKindOf(input.reporterId, ctx.config.adminUsers),
        at: now,
        metadata: { source: input.source, severity: input.severity, ...(input.origin ? { origin: input.origin } : {}) },
      });
      if (input.awaitsCatchUp) await markBugForCatchUp(tx, id);
      await requestCardRefresh(tx, created, now);
      if (fingerprint) duplicateOf = (await groupNewBug(tx, ctx, created, fingerprint)).linkedTo;
      if (!duplicateOf) await suggestNearDuplicate(tx, ctx, created);
      // Said where the report came from, so this one notice is not in the bug's own thread.
      if (input.origin) {
        await enqueueNotice(tx, {
          bugId: id,
          purpose: 'thread_notice',
          channelId: input.origin.channelId,
          threadTs: input.origin.threadTs ?? input.origin.ts,
          payload: buildFiledFromMessageNotice(created, ctx.permalinkFor(input.channelId, input.threadTs)),
          at: now,
        });
      }
      return created;
    });
  } catch (error) {
    // The same message delivered twice at the same moment (or the same modal submitted twice): the other
    // delivery created it.
    if (error instanceof UniqueConstraintViolationException) {
      const em = ctx.orm.em.fork();
      const winner =
        (await findBugByThread(em, input.channelId, input.threadTs)) ??
        (input.sourceViewId ? await findBugBySourceView(em, input.sourceViewId) : null);
      if (winner) return { created: false, bug: winner };
    }
    throw error;
  }
  bugLogger(ctx.logger, bug).info(
    { source: input.source, reporter: input.reporterId, ...(duplicateOf ? { duplicateOf: duplicateOf.ref } : {}) },
    'bug reported',
  );
  ctx.notifier.kick();
  return { created: true, bug, duplicateOf };
}
