// `/bugs <subcommand> ...`: routes to one subcommand; help for nothing, "help" or an unknown word.
import type { App } from '@slack/bolt';
import type { AppContext } from '../../../app-context.ts';
import { SLASH_COMMAND } from '../../../messages/ids.ts';
import { parseSlashCommand } from '../../parse/slash-command.ts';
import { buildHelpText } from '../../views/help-text.ts';
import { answering } from './answering.ts';
import { SUBCOMMANDS } from './subcommands.ts';

export function registerBugsCommand(app: App, ctx: AppContext): void {
  app.command(SLASH_COMMAND, async (args) => {
    const parsed = parseSlashCommand(args.command);
    if (!parsed) {
      ctx.logger.warn('slash command dropped: its user or channel is not a Slack id');
      await args.ack({ response_type: 'ephemeral', text: 'I could not read that command; please try again.' });
      return;
    }
    const isAdmin = ctx.config.adminUsers.includes(parsed.userId);
    const subcommand = SUBCOMMANDS.find((candidate) => candidate.name === parsed.name);
    if (!subcommand) {
      const prefix =
        parsed.name && parsed.name !== 'help' ? `I don't know \`${SLASH_COMMAND} ${parsed.typedName}\`. ` : '';
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
    await answering(ctx, subcommand, { ...args, ctx, args: parsed.args, isAdmin, threadTs: parsed.threadTs });
  });
}
