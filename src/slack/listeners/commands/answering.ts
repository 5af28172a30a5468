// Every subcommand runs through here, so one that fails still answers the person who typed it: before its
// acknowledgement with a short ephemeral answer (instead of Slack's "didn't respond" timeout), after it through
// the command's response_url. The error itself goes to the log.
import type { AppContext } from '../../../app-context.ts';
import type { Subcommand, SubcommandArgs } from './subcommand.ts';

export const SORRY =
  "Sorry, something went wrong on my side and I could not finish that. Please try again in a moment; the details are in bugsweep's logs.";

export async function answering(ctx: AppContext, subcommand: Subcommand, input: SubcommandArgs): Promise<void> {
  let acknowledged = false;
  const ack: SubcommandArgs['ack'] = async (response) => {
    acknowledged = true;
    await input.ack(response);
  };
  try {
    await subcommand.handle({ ...input, ack });
  } catch (error) {
    ctx.logger.error(
      { err: error, subcommand: subcommand.name, user: input.command.user_id, acknowledged },
      'a /bugs subcommand failed',
    );
    if (!acknowledged) {
      await input.ack({ response_type: 'ephemeral', text: SORRY });
      return;
    }
    await input.respond({ response_type: 'ephemeral', replace_original: false, text: SORRY }).catch((respondError) => {
      ctx.logger.warn({ err: respondError }, 'could not tell the person that their subcommand failed');
    });
  }
}
