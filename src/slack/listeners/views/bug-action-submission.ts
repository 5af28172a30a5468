// What the Resolve and Still broken modals' submits share: the form's bad input and the action's refusal are inline
// errors on the form (so the note typed is never lost), and a done action closes the modal.
import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import type { AppContext } from '../../../app-context.ts';
import { type ActionRequest, performBugAction } from '../../../services/bug-lifecycle.ts';
import type { FieldErrors } from '../../parse/view-state.ts';

type SubmitArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

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
    const outcome = await performBugAction(ctx, form.request(parsed, args.body.user.id));
    if (!outcome.ok) {
      await args.ack({ response_action: 'errors', errors: { [form.refusalBlock]: outcome.refusal.message } });
      return;
    }
    await args.ack();
  };
}
