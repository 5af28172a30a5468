// `/bugs claim|release|resolve|reopen|escalate|close <ref> [words]`: one subcommand per lifecycle action.
// Resolve opens the resolution modal; the others act at once and answer ephemerally.
import type { UserAction } from '../../../domain/lifecycle.ts';
import { performBugAction } from '../../../services/bug-lifecycle.ts';
import { buildActionAnswer } from '../../views/action-answer.ts';
import { buildResolveModal } from '../../views/resolve-modal.ts';
import { bugNamedBy, type Subcommand } from './subcommand.ts';

type Spec = {
  action: UserAction;
  usage: string;
  summary: string;
  adminOnly?: boolean;
  onMissingRef?: Subcommand['handle'];
};

export function bugActionSubcommand(spec: Spec): Subcommand {
  return {
    name: spec.action,
    usage: spec.usage,
    summary: spec.summary,
    adminOnly: spec.adminOnly ?? false,
    async handle(input) {
      const { ack, ctx, command, args, threadTs } = input;
      const [ref, ...rest] = args;
      if (!ref && !threadTs && spec.onMissingRef) return spec.onMissingRef(input);
      const bug = await bugNamedBy({ ack, ctx, command, threadTs }, ref);
      if (!bug) return;
      const note = rest.join(' ');
      if (spec.action === 'resolve') {
        await ack();
        await ctx.slack.views.open({
          trigger_id: command.trigger_id,
          view: buildResolveModal(bug, note),
        });
        return;
      }
      const outcome = await performBugAction(ctx, {
        bugId: bug.id,
        action: spec.action,
        actorId: command.user_id,
        details: note ? { reason: note } : {},
      });
      await ack({
        response_type: 'ephemeral',
        text: buildActionAnswer(outcome, ctx.permalinkFor(bug.channelId, bug.threadTs)),
      });
    },
  };
}
