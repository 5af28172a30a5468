// `/bugs merge BUG-13 into BUG-12` and `/bugs split BUG-13` (developers and admins; the reporter may split their own).
import { findBugForCommand } from '../../../services/bug-queries.ts';
import { mergeBugs, splitDuplicate } from '../../../services/duplicates.ts';
import { buildDuplicateAnswer } from '../../views/duplicate-answer.ts';
import { bugNamedBy, type Subcommand } from './subcommand.ts';

const MERGE_USAGE = 'Say which bug duplicates which: `/bugs merge BUG-13 into BUG-12`.';

export const mergeSubcommand: Subcommand = {
  name: 'merge',
  usage: 'merge <ref> into <ref>',
  summary: 'close a bug as a duplicate of another (developers and admins)',
  async handle({ ack, ctx, command, args }) {
    const words = args.filter((word) => word.toLowerCase() !== 'into');
    if (words.length !== 2) {
      await ack({ response_type: 'ephemeral', text: MERGE_USAGE });
      return;
    }
    const where = { channelId: command.channel_id, threadTs: null };
    const [duplicate, canonical] = await Promise.all([
      findBugForCommand(ctx, words[0], where),
      findBugForCommand(ctx, words[1], where),
    ]);
    if (!duplicate.ok || !canonical.ok) {
      await ack({
        response_type: 'ephemeral',
        text: !duplicate.ok ? duplicate.message : (canonical as { message: string }).message,
      });
      return;
    }
    const outcome = await mergeBugs(ctx, {
      bugId: duplicate.bug.id,
      intoBugId: canonical.bug.id,
      actorId: command.user_id,
    });
    await ack({ response_type: 'ephemeral', text: buildDuplicateAnswer(outcome, 'merge', ctx.threadLinkFor) });
  },
};

export const splitSubcommand: Subcommand = {
  name: 'split',
  usage: 'split <ref>',
  summary: 'a duplicate is its own bug after all: open it again, never link the two again',
  async handle({ ack, ctx, command, args, threadTs }) {
    const bug = await bugNamedBy({ ack, ctx, command, threadTs }, args[0]);
    if (!bug) return;
    const outcome = await splitDuplicate(ctx, { bugId: bug.id, actorId: command.user_id });
    await ack({ response_type: 'ephemeral', text: buildDuplicateAnswer(outcome, 'split', ctx.threadLinkFor) });
  },
};
