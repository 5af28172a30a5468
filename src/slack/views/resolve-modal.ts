// The Resolve modal: a resolution note (required) and the commit or pull request that fixed it (optional);
// slack/parse/resolve-submission.ts reads it back.
import type { ModalView } from '@slack/types';
import { escapeMrkdwn, LIMITS, modalText, plain, section } from '../../messages/blocks.ts';
import { INPUTS, VIEWS } from '../../messages/ids.ts';

export function buildResolveModal(bug: { id: number; ref: string; title: string }, initialNote = ''): ModalView {
  return {
    type: 'modal',
    callback_id: VIEWS.resolveBug,
    private_metadata: JSON.stringify({ bugId: bug.id }),
    title: modalText(`Resolve ${bug.ref}`),
    submit: modalText('Resolve'),
    close: modalText('Cancel'),
    blocks: [
      section(`*${bug.ref}* ${escapeMrkdwn(bug.title)}`),
      {
        type: 'input',
        block_id: INPUTS.resolutionNote.block,
        label: plain('What fixed it?', LIMITS.label),
        element: {
          type: 'plain_text_input',
          action_id: INPUTS.resolutionNote.action,
          multiline: true,
          ...(initialNote ? { initial_value: initialNote } : {}),
          placeholder: plain('A line for the reporter: the cause and the fix', LIMITS.placeholder),
        },
      },
      {
        type: 'input',
        block_id: INPUTS.resolutionLink.block,
        optional: true,
        label: plain('Commit SHA or pull request link', LIMITS.label),
        element: {
          type: 'plain_text_input',
          action_id: INPUTS.resolutionLink.action,
          placeholder: plain('e.g. 1a2b3c4 or https://github.com/org/repo/pull/42', LIMITS.placeholder),
        },
      },
    ],
  };
}

/** "Still broken" on a fix waiting for verification: what the person sees, which goes in the thread as a note. */
export function buildStillBrokenModal(bug: { id: number; ref: string; title: string }): ModalView {
  return {
    type: 'modal',
    callback_id: VIEWS.stillBroken,
    private_metadata: JSON.stringify({ bugId: bug.id }),
    title: modalText(`Still broken: ${bug.ref}`),
    submit: modalText('Send'),
    close: modalText('Cancel'),
    blocks: [
      section(`*${bug.ref}* ${escapeMrkdwn(bug.title)}`),
      {
        type: 'input',
        block_id: INPUTS.stillBrokenNote.block,
        label: plain('What do you still see?', LIMITS.label),
        element: {
          type: 'plain_text_input',
          action_id: INPUTS.stillBrokenNote.action,
          multiline: true,
          placeholder: plain('What you did and what happened', LIMITS.placeholder),
        },
      },
    ],
  };
}
