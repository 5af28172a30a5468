// A bug reported through the /bugs report modal or the "Report as bug" shortcut: posted to the bug channel as
// the start of a new thread (credited to the submitter), then created with the submitter as reporter.
// The post comes first because the bug's identity is its thread; if saving then fails, the post is taken back
// so the user can submit again without leaving a stray report behind.
import type { AppContext } from '../app-context.ts';
import { LOCK_KEYS, withSessionAdvisoryLock } from '../db/locks.ts';
import { findBugBySourceView } from '../db/repositories/bug-report.repository.ts';
import { extractTelemetry, type ReportDraft } from '../domain/report-text.ts';
import { classifySlackFailure } from '../domain/slack-errors.ts';
import { tsToDate } from '../domain/slack-refs.ts';
import { buildReportPost } from '../messages/report-post.ts';
import { type CreateBugResult, createBug } from './bug-intake.ts';

export class ReportNotPostedError extends Error {
  readonly reason: string;
  constructor(reason: string) {
    super(`could not post the report to the bug channel: ${reason}`);
    this.name = 'ReportNotPostedError';
    this.reason = reason;
  }
}

/**
 * Slack gives a view submission 3 seconds. When posting takes longer, Slack shows the user an error and keeps the
 * form open although the report went through; submitting again (possibly to another replica) must not file it
 * twice. PostgreSQL decides: a lock per view id makes a repeat wait for the first attempt, then find its bug
 * (bug_reports.source_view_id, unique) instead of posting again. A failed attempt stores nothing, so a retry works.
 */
export async function submitReportOnce(ctx: AppContext, viewId: string, report: ReportDraft): Promise<CreateBugResult> {
  return withSessionAdvisoryLock(ctx.orm, { namespace: LOCK_KEYS.reportSubmission, name: viewId }, async () => {
    const earlier = await findBugBySourceView(ctx.orm.em.fork(), viewId);
    if (earlier) return { created: false, bug: earlier };
    return submitReport(ctx, report, { viewId });
  });
}

/** What the agent API adds to a report: who files it (an agent or a system), a category and a request id. */
export type ApiReport = ReportDraft & { source: 'agent' | 'system'; category: string | null; requestId: string | null };

/** A report filed through the agent API: posted and carded in the first bug channel exactly like /bugs report. */
export async function fileApiReport(ctx: AppContext, report: ApiReport): Promise<CreateBugResult> {
  return submitReport(ctx, report, { api: report });
}

async function submitReport(
  ctx: AppContext,
  report: ReportDraft,
  from: { viewId: string } | { api: ApiReport },
): Promise<CreateBugResult> {
  const viewId = 'viewId' in from ? from.viewId : null;
  const api = 'api' in from ? from.api : null;
  const channelId = ctx.config.bugChannels[0]!;
  const post = buildReportPost(report);
  let ts: string;
  try {
    const posted = await ctx.slack.chat.postMessage({
      channel: channelId,
      text: post.text,
      blocks: post.blocks,
      unfurl_links: false,
    });
    ts = posted.ts!;
  } catch (error) {
    throw new ReportNotPostedError(classifySlackFailure(error).reason);
  }
  // Telemetry typed into the description counts too, unless the fields say otherwise.
  const found = extractTelemetry(report.description);
  let result: CreateBugResult;
  try {
    result = await createBug(ctx, {
      channelId,
      threadTs: ts,
      title: report.title,
      description: report.description,
      severity: report.severity,
      reporterId: report.reporterId,
      createdAt: tsToDate(ts),
      telemetry: {
        traceId: report.traceId ?? found.traceId,
        requestId: api?.requestId ?? found.requestId,
        releaseSha: report.releaseSha ?? found.releaseSha,
      },
      source: api ? 'api' : report.origin ? 'message_shortcut' : 'report_modal',
      ...(api ? { apiSource: api.source, category: api.category } : {}),
      rootMessage: { senderId: report.reporterId, text: post.text },
      origin: report.origin ?? null,
      sourceViewId: viewId,
    });
  } catch (error) {
    await takeBack(ctx, channelId, ts, 'could not take back the report post after a failed save');
    throw error;
  }
  // Another attempt at the same submission filed it first: this post is a stray.
  if (!result.created && result.bug.threadTs !== ts) {
    await takeBack(ctx, channelId, ts, 'could not take back a second post of the same report');
  }
  return result;
}

async function takeBack(ctx: AppContext, channel: string, ts: string, failure: string): Promise<void> {
  await ctx.slack.chat.delete({ channel, ts }).catch((deleteError: unknown) => {
    ctx.logger.warn({ err: deleteError, channel, ts }, failure);
  });
}
