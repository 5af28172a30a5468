// Buttons on the bug card and the warning. They act on the bug's current state, not on what the (possibly
// stale) card showed; refusals and confirmations go to the presser alone.
import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { AppContext } from '../../../app-context.ts';
import { BugReport } from '../../../db/entities/index.ts';
import type { UserAction } from '../../../domain/lifecycle.ts';
import { keepBugOpen, performBugAction } from '../../../services/bug-lifecycle.ts';
import { whisper } from '../../ephemeral.ts';
import { buildActionAnswer } from '../../views/action-answer.ts';
import { buildResolveModal } from '../../views/resolve-modal.ts';

type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

/** Where to whisper the answer: the thread the button sits in. */
function whereFrom(body: BlockAction): { channel: string; threadTs: string | undefined } | null {
  const channel = body.channel?.id ?? body.container?.channel_id;
  if (!channel) return null;
  const message = body.message as { ts?: string; thread_ts?: string } | undefined;
  return { channel, threadTs: message?.thread_ts ?? message?.ts };
}

async function answerPresser(ctx: AppContext, body: BlockAction, text: string): Promise<void> {
  const where = whereFrom(body);
  if (where) await whisper(ctx, { channel: where.channel, user: body.user.id, threadTs: where.threadTs }, text);
}

export function handleLifecycleButton(ctx: AppContext, action: Exclude<UserAction, 'resolve'>) {
  return async ({ ack, body, action: button }: ButtonArgs): Promise<void> => {
    await ack();
    const outcome = await performBugAction(ctx, { bugId: Number(button.value), action, actorId: body.user.id });
    // Success speaks in the thread (notice and card); only a refusal needs a private word.
    if (!outcome.ok) await answerPresser(ctx, body, buildActionAnswer(outcome, null));
  };
}

export function handleResolveButton(ctx: AppContext) {
  return async ({ ack, body, action: button }: ButtonArgs): Promise<void> => {
    await ack();
    const bug = await ctx.orm.em.fork().findOne(BugReport, { id: Number(button.value) });
    if (!bug) return answerPresser(ctx, body, 'That bug no longer exists.');
    await ctx.slack.views.open({ trigger_id: body.trigger_id, view: buildResolveModal(bug) });
  };
}

export function handleKeepOpenButton(ctx: AppContext) {
  return async ({ ack, body, action: button }: ButtonArgs): Promise<void> => {
    await ack();
    const outcome = await keepBugOpen(ctx, { bugId: Number(button.value), actorId: body.user.id });
    if (!outcome.ok) await answerPresser(ctx, body, outcome.message);
  };
}
