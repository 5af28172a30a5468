import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { AppContext } from '../../../app-context.ts';
import { homeOverview } from '../../../services/bug-queries.ts';
import { userId } from '../../parse/slack-ids.ts';
import { buildAppHome } from '../../views/app-home.ts';
import { toBugListItem } from '../../views/bug-list.ts';

export function handleAppHomeOpened(ctx: AppContext) {
  return async ({ event }: SlackEventMiddlewareArgs<'app_home_opened'> & AllMiddlewareArgs): Promise<void> => {
    if (event.tab !== 'home') return;
    if (!userId.safeParse(event.user).success) {
      ctx.logger.warn('app_home_opened dropped: its user is not a Slack user id');
      return;
    }
    const overview = await homeOverview(ctx, event.user);
    const view = buildAppHome({
      claimed: overview.claimed.map((bug) => toBugListItem(bug, ctx.permalinkFor)),
      reported: overview.reported.map((bug) => toBugListItem(bug, ctx.permalinkFor)),
      unclaimed: overview.unclaimed.map((bug) => toBugListItem(bug, ctx.permalinkFor)),
      now: ctx.clock(),
      autoCloseAfterMs: ctx.config.autoCloseAfterMs,
    });
    await ctx.notifier.awaitBudget('views.publish');
    await ctx.slack.views.publish({ user_id: event.user, view });
  };
}
