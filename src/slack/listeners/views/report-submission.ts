// The report modal's submit: inline errors keep the form (and everything typed) open; success shows the bug.
import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import type { AppContext } from '../../../app-context.ts';
import { INPUTS } from '../../../messages/ids.ts';
import { ReportNotPostedError, submitReportOnce } from '../../../services/report-bug.ts';
import { parseReportSubmission } from '../../parse/report-submission.ts';
import { buildReportFiledView } from '../../views/report-modal.ts';

export function handleReportSubmission(ctx: AppContext) {
  return async ({ ack, view, body }: SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs): Promise<void> => {
    const parsed = parseReportSubmission({
      values: view.state.values,
      privateMetadata: view.private_metadata,
      userId: body.user.id,
      viewId: view.id,
    });
    if (!parsed.ok) {
      await ack({ response_action: 'errors', errors: parsed.errors });
      return;
    }
    try {
      const { bug } = await submitReportOnce(ctx, parsed.viewId, parsed.value);
      await ack({
        response_action: 'update',
        view: buildReportFiledView(bug, ctx.permalinkFor(bug.channelId, bug.threadTs)),
      });
    } catch (error) {
      // Inline modal errors are plain text: no channel mentions here.
      const message =
        error instanceof ReportNotPostedError
          ? `Couldn't post to the bug channel (${error.reason}). Is bugsweep invited there? Your report is still here: submit again.`
          : `Something went wrong saving the report. Nothing is lost: submit again in a moment.`;
      ctx.logger.error({ err: error, user: parsed.value.reporterId }, 'filing a report failed');
      await ack({ response_action: 'errors', errors: { [INPUTS.title.block]: message } });
    }
  };
}
