// `/bugs list [open|mine|claimed|all] [due]`: the bugs, as an ephemeral list.
import { LIST_FILTERS, listBugs } from '../../../services/bug-queries.ts';
import { buildBugList, toBugListItem } from '../../views/bug-list.ts';
import type { Subcommand } from './subcommand.ts';

export const listSubcommand: Subcommand = {
  name: 'list',
  usage: 'list [open|mine|claimed|all] [due]',
  summary: 'bugs with their status, claimant and how long they have been quiet; `due` sorts by SLA due time',
  async handle({ ack, ctx, command, args }) {
    const words = args.map((word) => word.toLowerCase());
    const sort = words.includes('due') ? 'due' : 'created';
    const wanted = words.find((word) => word !== 'due') ?? 'open';
    const filter = LIST_FILTERS.find((known) => known === wanted);
    if (!filter) {
      await ack({
        response_type: 'ephemeral',
        text: `I can list \`open\`, \`mine\`, \`claimed\` or \`all\` bugs, not \`${wanted}\`. Try \`/bugs list mine\` (add \`due\` to sort by due time).`,
      });
      return;
    }
    const { bugs, total } = await listBugs(ctx, filter, command.user_id, 20, sort);
    const message = buildBugList({
      filter,
      total,
      now: ctx.clock(),
      timeZone: ctx.config.sweep.timezone,
      items: bugs.map((bug) => toBugListItem(bug, ctx.threadLinkFor)),
    });
    await ack({ response_type: 'ephemeral', ...message });
  },
};
