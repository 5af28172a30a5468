// `/bugs <subcommand> ...`: routes to one subcommand; help for nothing, "help" or an unknown word.
import type { App } from '@slack/bolt';
import type { AppContext } from '../../../app-context.ts';
import { SLASH_COMMAND } from '../../../messages/ids.ts';
import { buildHelpText } from '../../views/help-text.ts';
import { SUBCOMMANDS } from './subcommands.ts';

export function registerBugsCommand(app: App, ctx: AppContext): void {
  app.command(SLASH_COMMAND, async (args) => {
    const [name = '', ...rest] = args.command.text.trim().split(/\s+/).filter(Boolean);
    const isAdmin = ctx.config.adminUsers.includes(args.command.user_id);
    const subcommand = SUBCOMMANDS.find((candidate) => candidate.name === name.toLowerCase());
    if (!subcommand) {
      const prefix = name && name.toLowerCase() !== 'help' ? `I don't know \`${SLASH_COMMAND} ${name}\`. ` : '';
      await args.ack({ response_type: 'ephemeral', text: prefix + buildHelpText(SUBCOMMANDS, isAdmin) });
      return;
    }
    if (subcommand.adminOnly && !isAdmin) {
      await args.ack({
        response_type: 'ephemeral',
        text: `Sorry, \`${SLASH_COMMAND} ${subcommand.name}\` is for bugsweep admins. Ask one of them if something needs doing.`,
      });
      return;
    }
    await subcommand.handle({ ...args, ctx, args: rest, isAdmin });
  });
}
