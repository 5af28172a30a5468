// app_home_opened: builds and publishes the person's App Home (with the admin section for admins).
import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { AppContext } from '../../../app-context.ts';
import { type AdminOverview, appHomeFor } from '../../../services/app-home.ts';
import { userId } from '../../parse/slack-ids.ts';
import { type AdminHomeInput, buildAppHome } from '../../views/app-home.ts';
import { toBugListItem } from '../../views/bug-list.ts';

export function handleAppHomeOpened(ctx: AppContext) {
  return async ({ event }: SlackEventMiddlewareArgs<'app_home_opened'> & AllMiddlewareArgs): Promise<void> => {
    if (event.tab !== 'home') return;
    if (!userId.safeParse(event.user).success) {
      ctx.logger.warn('app_home_opened dropped: its user is not a Slack user id');
      return;
    }
    await publishAppHome(ctx, event.user);
  };
}

/** Publishes the person's App Home as it is now: on opening the tab, and after each admin button does its work. */
export async function publishAppHome(ctx: AppContext, user: string): Promise<void> {
  const home = await appHomeFor(ctx, user);
  const list = (bugs: Parameters<typeof toBugListItem>[0][]) =>
    bugs.map((bug) => toBugListItem(bug, ctx.threadLinkFor));
  const view = buildAppHome({
    claimed: list(home.personal.claimed),
    reported: list(home.personal.reported),
    unclaimed: list(home.personal.unclaimed),
    now: ctx.clock(),
    autoCloseAfterMs: ctx.config.autoCloseAfterMs,
    admin: home.admin ? adminInput(ctx, home.admin) : null,
  });
  await ctx.notifier.awaitBudget('views.publish');
  await ctx.slack.views.publish({ user_id: user, view });
}

function adminInput(ctx: AppContext, admin: AdminOverview): AdminHomeInput {
  const item = (bug: Parameters<typeof toBugListItem>[0]) => toBugListItem(bug, ctx.threadLinkFor);
  return {
    counts: admin.counts,
    orphanedClaims: admin.orphaned.length,
    warn: admin.preview.warn.map((entry) => ({ ...item(entry.bug), closesAt: entry.when })),
    close: admin.preview.close.map((entry) => item(entry.bug)),
    truncated: admin.preview.truncated,
    sweep: admin.sweep,
    breached: {
      items: admin.breached.bugs.map((bug) => ({ ...item(bug), dueAt: bug.slaDueAt! })),
      total: admin.breached.total,
    },
    timeZone: ctx.config.sweep.timezone,
  };
}
