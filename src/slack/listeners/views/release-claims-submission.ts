// Confirming /bugs release: the listed claims go back to the queue at once; the answer says how many. Only admins
// may; anyone else is told so and nothing changes.
import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import type { AppContext } from '../../../app-context.ts';
import { releaseOrphanedClaims } from '../../../services/sweep/orphaned-claims.ts';
import { readConfirmedClaims } from '../../parse/private-metadata.ts';
import { buildReleaseDoneView, buildReleaseRefusedView } from '../../views/sweep-views.ts';
import { publishAppHome } from '../events/app-home-opened.ts';

export function handleReleaseClaimsSubmission(ctx: AppContext) {
  return async ({ ack, view, body }: SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs): Promise<void> => {
    if (!ctx.config.adminUsers.includes(body.user.id)) {
      await ack({ response_action: 'update', view: buildReleaseRefusedView() });
      return;
    }
    const result = await releaseOrphanedClaims(ctx, body.user.id, readConfirmedClaims(view.private_metadata));
    await ack({ response_action: 'update', view: buildReleaseDoneView(result) });
    // The admin's App Home shows the orphaned claims: it is published again without them.
    await publishAppHome(ctx, body.user.id);
  };
}
