// "Open a follow-up" on the private answer to a late reply: files the follow-up (once) and says where it is.
import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { AppContext } from '../../../app-context.ts';
import { openFollowUp } from '../../../services/follow-ups.ts';
import { whisper } from '../../ephemeral.ts';
import { parseFollowUpPress } from '../../parse/follow-up-press.ts';
import { buildFollowUpAnswer } from '../../views/follow-up.ts';

type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

export function handleFollowUpButton(ctx: AppContext) {
  return async (args: ButtonArgs): Promise<void> => {
    await args.ack();
    const press = parseFollowUpPress(args.body, args.action);
    if (!press) {
      ctx.logger.warn({ actionId: args.action.action_id }, 'follow-up press dropped: not as bugsweep makes it');
      return;
    }
    const outcome = await openFollowUp(ctx, press);
    const permalink =
      outcome.kind === 'not_found' ? null : ctx.permalinkFor(outcome.followUp.channelId, outcome.followUp.threadTs);
    if (press.where) {
      await whisper(
        ctx,
        { channel: press.where.channel, user: press.userId, threadTs: press.where.threadTs },
        buildFollowUpAnswer(outcome, permalink),
      );
    }
  };
}
