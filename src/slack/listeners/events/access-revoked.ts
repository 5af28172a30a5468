// app_uninstalled and tokens_revoked: once bugsweep has lost its bot token, it stops calling Slack.
import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { AppContext } from '../../../app-context.ts';
import { stopSlackCalls } from '../../../services/slack-access.ts';

export function handleAppUninstalled(ctx: AppContext) {
  return async ({ body }: SlackEventMiddlewareArgs<'app_uninstalled'> & AllMiddlewareArgs): Promise<void> => {
    await stopSlackCalls(ctx, {
      reason: 'app_uninstalled',
      teamId: typeof body.team_id === 'string' ? body.team_id : null,
    });
  };
}

/** tokens_revoked lists the revoked user and bot tokens by user id; only the loss of bugsweep's own bot matters. */
export function handleTokensRevoked(ctx: AppContext) {
  return async ({ event, body }: SlackEventMiddlewareArgs<'tokens_revoked'> & AllMiddlewareArgs): Promise<void> => {
    const bots: unknown = event.tokens?.bot;
    if (!Array.isArray(bots) || !bots.includes(ctx.identity.botUserId)) return;
    await stopSlackCalls(ctx, {
      reason: 'tokens_revoked',
      teamId: typeof body.team_id === 'string' ? body.team_id : null,
    });
  };
}
