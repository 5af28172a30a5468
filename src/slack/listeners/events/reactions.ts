// Reactions on a bug's root message count towards ENGAGEMENT_EXEMPT (services/engagement.ts). A reaction to any
// other message, or to a file, is ignored.
import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { AppContext } from '../../../app-context.ts';
import { recordReaction } from '../../../services/engagement.ts';
import { parseReactionEvent } from '../../parse/reaction-event.ts';

export function handleReaction(ctx: AppContext, added: boolean) {
  return async ({
    event,
  }: SlackEventMiddlewareArgs<'reaction_added' | 'reaction_removed'> & AllMiddlewareArgs): Promise<void> => {
    const parsed = parseReactionEvent(event);
    if (!parsed.ok) {
      if (parsed.malformed)
        ctx.logger.warn({ reason: parsed.why }, 'reaction event dropped: it is not what Slack sends');
      else ctx.logger.debug({ why: parsed.why }, 'reaction event ignored');
      return;
    }
    try {
      await recordReaction(ctx, { ...parsed.reaction, added });
    } catch (error) {
      ctx.logger.error({ err: error, channel: parsed.reaction.channelId }, 'recording a reaction failed');
    }
  };
}
