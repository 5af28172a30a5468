// The shape of a `/bugs` subcommand and the arguments the dispatcher hands it.
import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { AppContext } from '../../../app-context.ts';

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
  adminOnly: boolean;
  /**
   * Must ack (with the ephemeral answer, or empty before opening a modal). Runs inside answering(): a throw is
   * logged and answered with a short apology, so a handler need not catch what it cannot help.
   */
  handle(args: SubcommandArgs): Promise<void>;
};
