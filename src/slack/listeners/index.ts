// Every Slack listener, registered by kind: commands, actions, views, events, shortcuts. Each listener acks,
// parses (slack/parse/), calls one service and renders (messages/, slack/views/); none imports a repository or the ORM.
import type { App } from '@slack/bolt';
import type { AppContext } from '../../app-context.ts';
import { registerActions } from './actions/index.ts';
import { registerCommands } from './commands/index.ts';
import { registerEvents } from './events/index.ts';
import { registerShortcuts } from './shortcuts/index.ts';
import { registerViews } from './views/index.ts';

/** Maps every Slack surface to its handler. Each folder's index registers its own listeners. */
export function registerListeners(app: App, ctx: AppContext): void {
  registerEvents(app, ctx);
  registerCommands(app, ctx);
  registerActions(app, ctx);
  registerShortcuts(app, ctx);
  registerViews(app, ctx);
}
