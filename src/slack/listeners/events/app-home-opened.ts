import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { AppContext } from '../../../app-context.ts';
import type { BugReport } from '../../../db/entities/index.ts';
import { homeOverview } from '../../../services/bug-queries.ts';
import { buildAppHome } from '../../views/app-home.ts';
import { toBugListItem } from '../../views/bug-list.ts';

export function handleAppHomeOpened(ctx: AppContext) {
  return async ({ event }: SlackEventMiddlewareArgs<'app_home_opened'> & AllMiddlewareArgs): Promise<void> => {
    if (event.tab !== 'home') return;
    const overview = await homeOverview(ctx, event.user);
    const item = (bug: BugReport) => toBugListItem(bug, ctx.permalinkFor);
    const view = buildAppHome({
      claimed: overview.claimed.map(item),
      reported: overview.reported.map(item),
      unclaimed: overview.unclaimed.map(item),
      now: ctx.clock(),
      autoCloseAfterMs: ctx.config.autoCloseAfterMs,
    });
    await ctx.slack.views.publish({ user_id: event.user, view });
  };
}
