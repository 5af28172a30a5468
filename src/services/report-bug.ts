// A bug reported through the /bugs report modal or the "Report as bug" shortcut: posted to the bug channel as
// the start of a new thread (credited to the submitter), then created with the submitter as reporter.
// The post comes first because the bug's identity is its thread; if saving then fails, the post is taken back
// so the user can submit again without leaving a stray report behind.
import type { AppContext } from '../app-context.ts';
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
 * form open although the report went through; submitting again must not file it twice. Submissions are keyed by
 * the view id: a repeat waits for, and gets, the first one's bug. Failed ones are forgotten so a retry can work.
 */
const submissions = new Map<string, Promise<CreateBugResult>>();
const REMEMBER_SUBMISSION_MS = 10 * 60_000;

export function submitReportOnce(ctx: AppContext, viewId: string, report: ReportDraft): Promise<CreateBugResult> {
  const earlier = submissions.get(viewId);
  if (earlier) return earlier;
  const attempt = submitReport(ctx, report);
  submissions.set(viewId, attempt);
  attempt.then(
    () => setTimeout(() => submissions.delete(viewId), REMEMBER_SUBMISSION_MS).unref(),
    () => submissions.delete(viewId),
  );
  return attempt;
}

export async function submitReport(ctx: AppContext, report: ReportDraft): Promise<CreateBugResult> {
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
  try {
    return await createBug(ctx, {
      channelId,
      threadTs: ts,
      title: report.title,
      description: report.description,
      severity: report.severity,
      reporterId: report.reporterId,
      createdAt: tsToDate(ts),
      telemetry: {
        traceId: report.traceId ?? found.traceId,
        requestId: found.requestId,
        releaseSha: report.releaseSha ?? found.releaseSha,
      },
      source: report.origin ? 'message_shortcut' : 'report_modal',
      rootMessage: { senderId: report.reporterId, text: post.text },
      origin: report.origin ?? null,
    });
  } catch (error) {
    await ctx.slack.chat.delete({ channel: channelId, ts }).catch((deleteError: unknown) => {
      ctx.logger.warn(
        { err: deleteError, channel: channelId, ts },
        'could not take back the report post after a failed save',
      );
    });
    throw error;
  }
}
