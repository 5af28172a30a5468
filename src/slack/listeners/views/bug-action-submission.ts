// What the Resolve and Still broken modals' submits share: the form's bad input, the action's refusal and a failure
// to save it (the database away) are inline errors on the form (so the note typed is never lost), and a done action
// closes the modal.
import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import type { AppContext } from '../../../app-context.ts';
import { type ActionRequest, performBugAction } from '../../../services/bug-lifecycle.ts';
import type { FieldErrors } from '../../parse/view-state.ts';

type SubmitArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

const SAVE_FAILED = 'Something went wrong saving this. Nothing is lost: submit again in a moment.';

/**
 * A view_submission handler for one bug action: `parse` reads the form, `request` makes the action of what it read,
 * and a refusal is shown under `refusalBlock`.
 */
export function bugActionSubmission<Parsed extends { ok: true }>(
  ctx: AppContext,
  form: {
    parse: (args: SubmitArgs) => Parsed | { ok: false; errors: FieldErrors };
    request: (parsed: Parsed, userId: string) => ActionRequest;
    refusalBlock: string;
  },
) {
  return async (args: SubmitArgs): Promise<void> => {
    const parsed = form.parse(args);
    if (!parsed.ok) {
      await args.ack({ response_action: 'errors', errors: parsed.errors });
      return;
    }
    let outcome: Awaited<ReturnType<typeof performBugAction>>;
    try {
      outcome = await performBugAction(ctx, form.request(parsed, args.body.user.id));
    } catch (error) {
      // Answered without errors, Slack would close the form: what was typed and the action itself would be lost.
      ctx.logger.error({ err: error, user: args.body.user.id }, 'a bug action from a form failed');
      await args.ack({ response_action: 'errors', errors: { [form.refusalBlock]: SAVE_FAILED } });
      return;
    }
    if (!outcome.ok) {
      await args.ack({ response_action: 'errors', errors: { [form.refusalBlock]: outcome.refusal.message } });
      return;
    }
    await args.ack();
  };
}
