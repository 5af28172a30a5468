// "@bugsweep claim" (release, resolve <what fixed it>, reopen, close, escalate) typed in a bug thread: the ref is
// the thread itself. Slack does not allow slash commands in threads, so this is how a thread acts on its bug.
import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { AppContext } from '../../../app-context.ts';
import { performBugAction } from '../../../services/bug-lifecycle.ts';
import { findBugForCommand } from '../../../services/bug-queries.ts';
import { whisper } from '../../ephemeral.ts';
import { parseMentionCommand, parseMentionEvent } from '../../parse/mention-command.ts';
import { buildActionAnswer } from '../../views/action-answer.ts';
import { SORRY } from '../commands/answering.ts';

const THREAD_HELP =
  'In a bug thread, mention me with what to do: `@bugsweep claim`, `release`, `resolve <what fixed it> [commit or PR link]`, `reopen`, `close [reason]`, or `escalate [reason]` (admins).';
const MISSING_NOTE =
  'Add a line on what fixed it, for the reporter: `@bugsweep resolve fixed the retry loop 1a2b3c4`. Or press *Resolve* on the card.';

export function handleAppMention(ctx: AppContext) {
  return async ({ event, body }: SlackEventMiddlewareArgs<'app_mention'> & AllMiddlewareArgs): Promise<void> => {
    const log = ctx.logger.child({
      eventId: typeof body.event_id === 'string' ? body.event_id.slice(0, 64) : undefined,
    });
    const mention = parseMentionEvent(event);
    if (!mention.ok) {
      log.warn({ reason: mention.reason }, 'mention dropped: it is not what Slack sends');
      return;
    }
    const user = mention.userId;
    if (!user) return;
    const answer = (text: string) =>
      whisper(ctx, { channel: mention.channelId, user, threadTs: mention.threadTs }, text);
    try {
      const command = parseMentionCommand(mention.text);
      const lookup = await findBugForCommand(ctx, undefined, {
        channelId: mention.channelId,
        threadTs: mention.threadTs,
      });
      if (!lookup.ok) {
        if (command.kind !== 'unknown') await answer(`This is not a bug thread. ${THREAD_HELP}`);
        return;
      }
      if (command.kind === 'unknown') return answer(THREAD_HELP);
      if (command.kind === 'missing_note') return answer(MISSING_NOTE);
      const outcome = await performBugAction(ctx, {
        bugId: lookup.bug.id,
        action: command.action,
        actorId: user,
        details: command.details,
      });
      if (!outcome.ok) await answer(buildActionAnswer(outcome, null));
    } catch (error) {
      log.error({ err: error, channel: mention.channelId }, 'handling a mention failed');
      // Slack does not deliver an acknowledged event again: the person is told to ask again.
      await answer(SORRY).catch((answerError: unknown) =>
        log.warn({ err: answerError }, 'could not tell the person that their mention failed'),
      );
    }
  };
}
