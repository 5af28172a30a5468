// The App Home "Report a bug" button: opens the report modal.
import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { AppContext } from '../../../app-context.ts';
import { buildReportModal } from '../../views/report-modal.ts';

/** "Report a bug" on App Home: the same modal as /bugs report. */
export function handleHomeReportButton(ctx: AppContext) {
  return async ({
    ack,
    body,
  }: SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs): Promise<void> => {
    await ack();
    await ctx.slack.views.open({ trigger_id: body.trigger_id, view: buildReportModal() });
  };
}
