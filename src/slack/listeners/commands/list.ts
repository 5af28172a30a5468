import { LIST_FILTERS, listBugs } from '../../../services/bug-queries.ts';
import { buildBugList, toBugListItem } from '../../views/bug-list.ts';
import type { Subcommand } from './subcommand.ts';

export const listSubcommand: Subcommand = {
  name: 'list',
  usage: 'list [open|mine|claimed|all]',
  summary: 'bugs with their status, claimant and how long they have been quiet',
  adminOnly: false,
  async handle({ ack, ctx, command, args }) {
    const wanted = args[0]?.toLowerCase() ?? 'open';
    const filter = LIST_FILTERS.find((known) => known === wanted);
    if (!filter) {
      await ack({
        response_type: 'ephemeral',
        text: `I can list \`open\`, \`mine\`, \`claimed\` or \`all\` bugs, not \`${args[0]}\`. Try \`/bugs list mine\`.`,
      });
      return;
    }
    const { bugs, total } = await listBugs(ctx, filter, command.user_id);
    const message = buildBugList({
      filter,
      total,
      now: ctx.clock(),
      items: bugs.map((bug) => toBugListItem(bug, ctx.permalinkFor)),
    });
    await ack({ response_type: 'ephemeral', ...message });
  },
};
