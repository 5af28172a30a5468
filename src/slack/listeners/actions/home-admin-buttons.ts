// The admin buttons of App Home (issue 15): Release orphaned claims (the same confirmation modal as /bugs release),
// Pause, Resume and Run now; the Home view is published again after each. Anyone may sign a button press, so each
// checks that the presser is an admin: anyone else is refused and nothing changes.
import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { AppContext } from '../../../app-context.ts';
import { listOrphanedClaims } from '../../../services/sweep/orphaned-claims.ts';
import { pauseSweep, resumeSweep } from '../../../services/sweep/sweep-control.ts';
import { runSweep } from '../../../services/sweep/sweep-runner.ts';
import { userId } from '../../parse/slack-ids.ts';
import { buildReleaseClaimsModal } from '../../views/sweep-views.ts';
import { publishAppHome } from '../events/app-home-opened.ts';

export type HomeAdminButton = 'release' | 'pause' | 'resume' | 'run';

export function handleHomeAdminButton(ctx: AppContext, kind: HomeAdminButton) {
  return async ({
    ack,
    body,
  }: SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs): Promise<void> => {
    await ack();
    const presser = userId.safeParse(body.user?.id);
    if (!presser.success) return;
    const user = presser.data;
    if (!ctx.config.adminUsers.includes(user)) {
      ctx.logger.warn({ user, button: kind }, 'an admin App Home button was pressed by a non-admin: refused');
      return;
    }
    switch (kind) {
      case 'release': {
        const claims = await listOrphanedClaims(ctx);
        // Nothing left to release (someone else did, or the claimants spoke up): the refreshed Home says so.
        if (claims.length > 0) {
          await ctx.slack.views.open({ trigger_id: body.trigger_id, view: buildReleaseClaimsModal(claims) });
          return;
        }
        break;
      }
      case 'pause':
        await pauseSweep(ctx, user, null);
        break;
      case 'resume':
        await resumeSweep(ctx, user);
        break;
      case 'run':
        try {
          await runSweep(ctx, { trigger: 'admin', triggeredBy: user });
        } catch (error) {
          ctx.logger.error({ err: error, by: user }, 'sweep run from App Home failed');
        }
        break;
    }
    await publishAppHome(ctx, user);
  };
}
