// Buttons on the bug card and the warning. They act on the bug's current state, not on what the (possibly
// stale) card showed; refusals and confirmations go to the presser alone.
import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { AppContext } from '../../../app-context.ts';
import type { UserAction } from '../../../domain/lifecycle.ts';
import { setAutomation } from '../../../services/agent-work.ts';
import { keepBugOpen, performBugAction } from '../../../services/bug-lifecycle.ts';
import { findBug } from '../../../services/bug-queries.ts';
import { splitDuplicate } from '../../../services/duplicates.ts';
import { whisper } from '../../ephemeral.ts';
import { type BugButtonPress, parseBugButtonPress } from '../../parse/button-value.ts';
import { buildActionAnswer } from '../../views/action-answer.ts';
import { buildResolveModal, buildStillBrokenModal } from '../../views/resolve-modal.ts';
import { SORRY } from '../commands/answering.ts';

type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

async function answerPresser(ctx: AppContext, press: BugButtonPress, text: string): Promise<void> {
  if (press.where)
    await whisper(ctx, { channel: press.where.channel, user: press.userId, threadTs: press.where.threadTs }, text);
}

/**
 * Acks, then hands a press bugsweep's buttons could have made to `handle`; any other is logged and dropped. A press
 * that fails once acknowledged (the database away) cannot come again from Slack: the presser is told to press again.
 */
function onPress(ctx: AppContext, handle: (press: BugButtonPress, args: ButtonArgs) => Promise<void>) {
  return async (args: ButtonArgs): Promise<void> => {
    await args.ack();
    const press = parseBugButtonPress(args.body, args.action);
    if (!press) {
      ctx.logger.warn(
        { actionId: args.action.action_id },
        'button press dropped: not a bug button as bugsweep makes them',
      );
      return;
    }
    try {
      await handle(press, args);
    } catch (error) {
      ctx.logger.error({ err: error, actionId: args.action.action_id, bugId: press.bugId }, 'a button press failed');
      await answerPresser(ctx, press, SORRY).catch((answerError: unknown) =>
        ctx.logger.warn({ err: answerError }, 'could not tell the presser that their press failed'),
      );
    }
  };
}

export function handleLifecycleButton(ctx: AppContext, action: Exclude<UserAction, 'resolve'>) {
  return onPress(ctx, async (press) => {
    const outcome = await performBugAction(ctx, { bugId: press.bugId, action, actorId: press.userId });
    // Success speaks in the thread (notice and card); only a refusal needs a private word.
    if (!outcome.ok) await answerPresser(ctx, press, buildActionAnswer(outcome, null));
  });
}

export function handleResolveButton(ctx: AppContext) {
  return onPress(ctx, async (press, { body }) => {
    const bug = await findBug(ctx, press.bugId);
    if (!bug) return answerPresser(ctx, press, 'That bug no longer exists.');
    await ctx.slack.views.open({ trigger_id: body.trigger_id, view: buildResolveModal(bug) });
  });
}

export function handleStillBrokenButton(ctx: AppContext) {
  return onPress(ctx, async (press, { body }) => {
    const bug = await findBug(ctx, press.bugId);
    if (!bug) return answerPresser(ctx, press, 'That bug no longer exists.');
    await ctx.slack.views.open({ trigger_id: body.trigger_id, view: buildStillBrokenModal(bug) });
  });
}

export function handleAutomationButton(ctx: AppContext, optOut: boolean) {
  return onPress(ctx, async (press) => {
    const outcome = await setAutomation(ctx, { bugId: press.bugId, actorId: press.userId, optOut });
    if (!outcome.ok) await answerPresser(ctx, press, outcome.message);
  });
}

export function handleKeepOpenButton(ctx: AppContext) {
  return onPress(ctx, async (press) => {
    const outcome = await keepBugOpen(ctx, { bugId: press.bugId, actorId: press.userId });
    if (!outcome.ok) await answerPresser(ctx, press, outcome.message);
  });
}

/** "Not a duplicate" under the "Looks like BUG-12" notice: the split shows in the thread, a refusal only to the presser. */
export function handleNotDuplicateButton(ctx: AppContext) {
  return onPress(ctx, async (press) => {
    const outcome = await splitDuplicate(ctx, { bugId: press.bugId, actorId: press.userId });
    if (!outcome.ok) await answerPresser(ctx, press, outcome.message);
  });
}
