// The /bugs slash command and its subcommands.
import type { App } from '@slack/bolt';
import type { AppContext } from '../../../app-context.ts';
import { registerBugsCommand } from './bugs-command.ts';

export function registerCommands(app: App, ctx: AppContext): void {
  registerBugsCommand(app, ctx);
}
