// The Resolve modal: a resolution note (required) and the commit or pull request that fixed it (optional);
// slack/parse/resolve-submission.ts reads it back.

import { escapeMrkdwn } from '../../messages/bug-card.ts';
import { INPUTS, VIEWS } from '../../messages/ids.ts';

export function buildResolveModal(
  bug: { id: number; ref: string; title: string },
  initialNote = '',
): Record<string, unknown> {
  return {
    type: 'modal',
    callback_id: VIEWS.resolveBug,
    private_metadata: JSON.stringify({ bugId: bug.id }),
    title: { type: 'plain_text', text: `Resolve ${bug.ref}`.slice(0, 24) },
    submit: { type: 'plain_text', text: 'Resolve' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `*${bug.ref}* ${escapeMrkdwn(bug.title)}` } },
      {
        type: 'input',
        block_id: INPUTS.resolutionNote.block,
        label: { type: 'plain_text', text: 'What fixed it?' },
        element: {
          type: 'plain_text_input',
          action_id: INPUTS.resolutionNote.action,
          multiline: true,
          ...(initialNote ? { initial_value: initialNote } : {}),
          placeholder: { type: 'plain_text', text: 'A line for the reporter: the cause and the fix' },
        },
      },
      {
        type: 'input',
        block_id: INPUTS.resolutionLink.block,
        optional: true,
        label: { type: 'plain_text', text: 'Commit SHA or pull request link' },
        element: {
          type: 'plain_text_input',
          action_id: INPUTS.resolutionLink.action,
          placeholder: { type: 'plain_text', text: 'e.g. 1a2b3c4 or https://github.com/org/repo/pull/42' },
        },
      },
    ],
  };
}
