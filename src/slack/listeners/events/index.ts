// Events API: messages and edits in bug channels, mentions, reactions, App Home, uninstall and revoked tokens.
import type { App } from '@slack/bolt';
import type { AppContext } from '../../../app-context.ts';
import { handleAppUninstalled, handleTokensRevoked } from './access-revoked.ts';
import { handleAppHomeOpened } from './app-home-opened.ts';
import { handleAppMention } from './app-mention.ts';
import { handleMessageEvent } from './message-events.ts';
import { handleReaction } from './reactions.ts';

/** The Events API types bugsweep listens to; any other event is acknowledged and dropped before Bolt sees it. */
export const HANDLED_EVENT_TYPES: ReadonlySet<string> = new Set([
  'message',
  'app_mention',
  'app_home_opened',
  'app_uninstalled',
  'tokens_revoked',
  'reaction_added',
  'reaction_removed',
]);

export function registerEvents(app: App, ctx: AppContext): void {
  app.event('message', handleMessageEvent(ctx));
  app.event('app_mention', handleAppMention(ctx));
  app.event('app_home_opened', handleAppHomeOpened(ctx));
  app.event('app_uninstalled', handleAppUninstalled(ctx));
  app.event('tokens_revoked', handleTokensRevoked(ctx));
  app.event('reaction_added', handleReaction(ctx, true));
  app.event('reaction_removed', handleReaction(ctx, false));
}
