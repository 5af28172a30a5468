// The Resolve modal's submit: bad input and refusals are inline errors, so the note typed is never lost.
import type { AppContext } from '../../../app-context.ts';
import { INPUTS } from '../../../messages/ids.ts';
import { parseResolveSubmission } from '../../parse/resolve-submission.ts';
import { bugActionSubmission } from './bug-action-submission.ts';

export function handleResolveSubmission(ctx: AppContext) {
  return bugActionSubmission(ctx, {
    parse: ({ view, body }) =>
      parseResolveSubmission({
        values: view.state.values,
        privateMetadata: view.private_metadata,
        userId: body.user.id,
      }),
    request: (parsed, userId) => ({
      bugId: parsed.bugId,
      action: 'resolve',
      actorId: userId,
      details: { note: parsed.note, link: parsed.link },
    }),
    refusalBlock: INPUTS.resolutionNote.block,
  });
}
