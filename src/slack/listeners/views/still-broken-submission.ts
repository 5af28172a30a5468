// The "Still broken" modal's submit: the fix waiting for verification did not work; the bug opens again.
import type { AppContext } from '../../../app-context.ts';
import { INPUTS } from '../../../messages/ids.ts';
import { parseStillBrokenSubmission } from '../../parse/still-broken-submission.ts';
import { bugActionSubmission } from './bug-action-submission.ts';

export function handleStillBrokenSubmission(ctx: AppContext) {
  return bugActionSubmission(ctx, {
    parse: ({ view }) =>
      parseStillBrokenSubmission({ values: view.state.values, privateMetadata: view.private_metadata }),
    request: (parsed, userId) => ({
      bugId: parsed.bugId,
      action: 'still_broken',
      actorId: userId,
      details: { note: parsed.note },
    }),
    refusalBlock: INPUTS.stillBrokenNote.block,
  });
}
