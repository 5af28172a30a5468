// "@bugsweep claim" (release, resolve <what fixed it>, reopen, close, escalate) typed in a bug thread: the ref is
// the thread itself. Slack does not allow slash commands in threads, so this is how a thread acts on its bug.
import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { AppContext } from '../../../app-context.ts';
import { findBugByThread } from '../../../db/repositories/bug-report.repository.ts';
import { USER_ACTIONS, type UserAction } from '../../../domain/lifecycle.ts';
import { performBugAction } from '../../../services/bug-lifecycle.ts';
import { whisper } from '../../ephemeral.ts';
import { buildActionAnswer } from '../../views/action-answer.ts';
import { isCommitOrLink } from '../../views/resolve-modal.ts';

const THREAD_HELP =
  'In a bug thread, mention me with what to do: `@bugsweep claim`, `release`, `resolve <what fixed it> [commit or PR link]`, `reopen`, `close [reason]`, or `escalate [reason]` (admins).';

export function handleAppMention(ctx: AppContext) {
  return async ({ event, body }: SlackEventMiddlewareArgs<'app_mention'> & AllMiddlewareArgs): Promise<void> => {
    const log = ctx.logger.child({ eventId: (body as { event_id?: string }).event_id, channel: event.channel });
    const user = event.user;
    if (!user) return;
    const answer = (text: string) => whisper(ctx, { channel: event.channel, user, threadTs: event.thread_ts }, text);
    try {
      const words = event.text
        .replace(/<@[A-Z0-9]+>/g, ' ')
        .trim()
        .split(/\s+/)
        .filter(Boolean);
      const action = words[0]?.toLowerCase() as UserAction | undefined;
      const bug = event.thread_ts ? await findBugByThread(ctx.orm.em.fork(), event.channel, event.thread_ts) : null;
      if (!bug) {
        if (action && (USER_ACTIONS as readonly string[]).includes(action))
          await answer(`This is not a bug thread. ${THREAD_HELP}`);
        return;
      }
      if (!action || !(USER_ACTIONS as readonly string[]).includes(action)) {
        await answer(THREAD_HELP);
        return;
      }
      const rest = words.slice(1);
      const last = rest.at(-1);
      const link = action === 'resolve' && last && isCommitOrLink(last) ? last.replace(/^<(.+?)(\|.*)?>$/, '$1') : null;
      const text = (link ? rest.slice(0, -1) : rest).join(' ');
      if (action === 'resolve' && !text) {
        await answer(
          'Add a line on what fixed it, for the reporter: `@bugsweep resolve fixed the retry loop 1a2b3c4`. Or press *Resolve* on the card.',
        );
        return;
      }
      const outcome = await performBugAction(ctx, {
        bugId: bug.id,
        action,
        actorId: user,
        details: action === 'resolve' ? { note: text, link } : text ? { reason: text } : {},
      });
      if (!outcome.ok) await answer(buildActionAnswer(outcome, null));
    } catch (error) {
      log.error({ err: error }, 'handling a mention failed');
    }
  };
}
