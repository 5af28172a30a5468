// Confirming /bugs release: the listed claims go back to the queue at once; the answer says how many.
import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import type { AppContext } from '../../../app-context.ts';
import { releaseOrphanedClaims } from '../../../services/sweep/orphaned-claims.ts';
import { buildReleaseDoneView, parseReleaseClaimsMetadata } from '../../views/sweep-views.ts';

export function handleReleaseClaimsSubmission(ctx: AppContext) {
  return async ({ ack, view, body }: SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs): Promise<void> => {
    if (!ctx.config.adminUsers.includes(body.user.id)) {
      await ack({ response_action: 'update', view: buildReleaseDoneView({ released: [], skipped: [] }) });
      return;
    }
    const result = await releaseOrphanedClaims(ctx, body.user.id, parseReleaseClaimsMetadata(view.private_metadata));
    await ack({ response_action: 'update', view: buildReleaseDoneView(result) });
  };
}
