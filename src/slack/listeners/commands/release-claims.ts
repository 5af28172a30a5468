// `/bugs release` without a ref, for admins: the orphaned claims in a confirmation modal.

import { SLASH_COMMAND } from '../../../messages/ids.ts';
import { listOrphanedClaims } from '../../../services/sweep/orphaned-claims.ts';
import { buildReleaseClaimsModal } from '../../views/sweep-views.ts';
import type { Subcommand } from './subcommand.ts';

export const releaseOrphanedClaimsCommand: Subcommand['handle'] = async ({ ack, ctx, command, isAdmin }) => {
  if (!isAdmin) {
    await ack({
      response_type: 'ephemeral',
      text: `Which bug? \`${SLASH_COMMAND} release BUG-42\` gives your claim back. (Without a ref, \`${SLASH_COMMAND} release\` is for admins.)`,
    });
    return;
  }
  const claims = await listOrphanedClaims(ctx);
  if (claims.length === 0) {
    await ack({
      response_type: 'ephemeral',
      text: 'No orphaned claims: every claim has seen its claimant recently. :sparkles:',
    });
    return;
  }
  await ack();
  await ctx.slack.views.open({ trigger_id: command.trigger_id, view: buildReleaseClaimsModal(claims) });
};
