// The shape of a `/bugs` subcommand and the arguments the dispatcher hands it.
import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { AppContext } from '../../../app-context.ts';
import type { BugReport } from '../../../db/entities/index.ts';
import { findBugForCommand } from '../../../services/bug-queries.ts';

export type SubcommandArgs = SlackCommandMiddlewareArgs &
  AllMiddlewareArgs & {
    ctx: AppContext;
    /** The words after the subcommand name. */
    args: string[];
    isAdmin: boolean;
    /** The thread the command was typed in, should Slack ever say (it does not today). */
    threadTs: string | null;
  };

/** One `/bugs <name>` subcommand. Each lives in its own file and is listed in ./subcommands.ts. */
export type Subcommand = {
  name: string;
  /** e.g. "claim <ref>" */
  usage: string;
  summary: string;
  /** Only admins may run it (and only they see it in help); left out for everyone's subcommands. */
  adminOnly?: boolean;
  /**
   * Must ack (with the ephemeral answer, or empty before opening a modal). Runs inside answering(): a throw is
   * logged and answered with a short apology, so a handler need not catch what it cannot help.
   */
  handle(args: SubcommandArgs): Promise<void>;
};

/**
 * The bug `ref` names, or without one the bug of the thread the command was typed in; null once the person has been
 * told (privately) why there is none.
 */
export async function bugNamedBy(
  { ack, ctx, command, threadTs }: Pick<SubcommandArgs, 'ack' | 'ctx' | 'command' | 'threadTs'>,
  ref: string | undefined,
): Promise<BugReport | null> {
  const lookup = await findBugForCommand(ctx, ref, { channelId: command.channel_id, threadTs });
  if (lookup.ok) return lookup.bug;
  await ack({ response_type: 'ephemeral', text: lookup.message });
  return null;
}
