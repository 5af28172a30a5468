// The report modal's submit: inline errors keep the form (and everything typed) open; success shows the bug.
import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import type { AppContext } from '../../../app-context.ts';
import { INPUTS } from '../../../messages/ids.ts';
import { ReportNotPostedError, submitReportOnce } from '../../../services/report-bug.ts';
import { buildReportFiledView, parseReportSubmission } from '../../views/report-modal.ts';

export function handleReportSubmission(ctx: AppContext) {
  return async ({ ack, view, body }: SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs): Promise<void> => {
    const parsed = parseReportSubmission(view.state.values as never, view.private_metadata);
    if (!parsed.ok) {
      await ack({ response_action: 'errors', errors: parsed.errors });
      return;
    }
    try {
      const { bug } = await submitReportOnce(ctx, view.id, { reporterId: body.user.id, ...parsed.value });
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
      ctx.logger.error({ err: error, user: body.user.id }, 'filing a report failed');
      await ack({ response_action: 'errors', errors: { [INPUTS.title.block]: message } });
    }
  };
}
