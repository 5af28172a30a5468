// The Resolve modal's submit: bad input and refusals are inline errors, so the note typed is never lost.
import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import type { AppContext } from '../../../app-context.ts';
import { INPUTS } from '../../../messages/ids.ts';
import { performBugAction } from '../../../services/bug-lifecycle.ts';
import { parseResolveSubmission } from '../../parse/resolve-submission.ts';

export function handleResolveSubmission(ctx: AppContext) {
  return async ({ ack, view, body }: SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs): Promise<void> => {
    const parsed = parseResolveSubmission({
      values: view.state.values,
      privateMetadata: view.private_metadata,
      userId: body.user.id,
    });
    if (!parsed.ok) {
      await ack({ response_action: 'errors', errors: parsed.errors });
      return;
    }
    const outcome = await performBugAction(ctx, {
      bugId: parsed.bugId,
      action: 'resolve',
      actorId: body.user.id,
      details: { note: parsed.note, link: parsed.link },
    });
    if (!outcome.ok) {
      await ack({ response_action: 'errors', errors: { [INPUTS.resolutionNote.block]: outcome.refusal.message } });
      return;
    }
    await ack();
  };
}
