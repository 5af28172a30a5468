// The Resolve modal: a resolution note (required) and the commit or pull request that fixed it (optional).
import type { ModalView } from '@slack/types';
import { escapeMrkdwn, LIMITS, modalText, plain, section } from '../../messages/blocks.ts';
import { INPUTS, VIEWS } from '../../messages/ids.ts';

const MAX_NOTE_LENGTH = 2000;

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

type ViewValues = Record<string, Record<string, { value?: string | null }>>;

export type ParsedResolution =
  | { ok: true; bugId: number; note: string; link: string | null }
  | { ok: false; errors: Record<string, string> };

export function parseResolveSubmission(values: ViewValues, privateMetadata: string | undefined): ParsedResolution {
  const note = values[INPUTS.resolutionNote.block]?.[INPUTS.resolutionNote.action]?.value?.trim() ?? '';
  const link = values[INPUTS.resolutionLink.block]?.[INPUTS.resolutionLink.action]?.value?.trim() ?? '';
  const errors: Record<string, string> = {};
  if (!note) errors[INPUTS.resolutionNote.block] = 'Please say in a line what fixed it; the reporter will see it.';
  else if (note.length > MAX_NOTE_LENGTH)
    errors[INPUTS.resolutionNote.block] = `Keep the note to ${MAX_NOTE_LENGTH} characters (it has ${note.length}).`;
  if (link && !isCommitOrLink(link))
    errors[INPUTS.resolutionLink.block] =
      'Use a commit SHA (7 to 40 hex characters) or an http(s) link to the pull request.';
  let bugId = NaN;
  try {
    bugId = Number((JSON.parse(privateMetadata || '{}') as { bugId?: number }).bugId);
  } catch {
    // handled below
  }
  if (!Number.isInteger(bugId))
    errors[INPUTS.resolutionNote.block] = 'This form lost track of its bug; close it and press Resolve again.';
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, bugId, note, link: link ? link.replace(/^<(.+?)(\|.*)?>$/, '$1') : null };
}

export function isCommitOrLink(value: string): boolean {
  const unwrapped = value.replace(/^<(.+?)(\|.*)?>$/, '$1');
  if (/^[0-9a-f]{7,40}$/i.test(unwrapped)) return true;
  try {
    const url = new URL(unwrapped);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname.includes('.');
  } catch {
    return false;
  }
}
