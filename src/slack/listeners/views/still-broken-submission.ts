// The "Still broken" modal's submit: the fix waiting for verification did not work; the bug opens again.
import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import type { AppContext } from '../../../app-context.ts';
import { INPUTS } from '../../../messages/ids.ts';
import { performBugAction } from '../../../services/bug-lifecycle.ts';
import { parseStillBrokenSubmission } from '../../parse/still-broken-submission.ts';

export function handleStillBrokenSubmission(ctx: AppContext) {
  return async ({ ack, view, body }: SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs): Promise<void> => {
    const parsed = parseStillBrokenSubmission({ values: view.state.values, privateMetadata: view.private_metadata });
    if (!parsed.ok) {
      await ack({ response_action: 'errors', errors: parsed.errors });
      return;
    }
    const outcome = await performBugAction(ctx, {
      bugId: parsed.bugId,
      action: 'still_broken',
      actorId: body.user.id,
      details: { note: parsed.note },
    });
    if (!outcome.ok) {
      await ack({ response_action: 'errors', errors: { [INPUTS.stillBrokenNote.block]: outcome.refusal.message } });
      return;
    }
    await ack();
  };
}
