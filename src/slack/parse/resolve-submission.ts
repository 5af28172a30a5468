// The Resolve modal's submission: a resolution note (required) and the commit or pull request that fixed it
// (optional). Bad input is an inline error, so the note typed is never lost.
import { z } from 'zod';
import { isCommitOrLink, unwrapSlackLink } from '../../domain/slack-text.ts';
import { INPUTS } from '../../messages/ids.ts';
import { readResolveBugId } from './private-metadata.ts';
import { userId } from './slack-ids.ts';
import { type FieldErrors, fieldErrors, lengthOf, textInput, type ViewValues } from './view-state.ts';

const MAX_NOTE_LENGTH = 2000;
const LOST_BUG = 'This form lost track of its bug; close it and press Resolve again.';

const resolution = z.object({
  note: z
    .string()
    .min(1, 'Please say in a line what fixed it; the reporter will see it.')
    .max(MAX_NOTE_LENGTH, {
      error: (issue) => `Keep the note to ${MAX_NOTE_LENGTH} characters (it has ${lengthOf(issue.input)}).`,
    }),
  link: z
    .string()
    .refine(
      (link) => link === '' || isCommitOrLink(link),
      'Use a commit SHA (7 to 40 hex characters) or an http(s) link to the pull request.',
    ),
  actorId: userId,
});

const BLOCKS: Record<keyof z.input<typeof resolution>, string> = {
  note: INPUTS.resolutionNote.block,
  link: INPUTS.resolutionLink.block,
  actorId: INPUTS.resolutionNote.block,
};

export type ParsedResolution =
  | { ok: true; bugId: number; note: string; link: string | null }
  | { ok: false; errors: FieldErrors };

export function parseResolveSubmission(submission: {
  values: ViewValues;
  privateMetadata: string | undefined;
  userId: string;
}): ParsedResolution {
  const parsed = resolution.safeParse({
    note: textInput(submission.values, INPUTS.resolutionNote),
    link: textInput(submission.values, INPUTS.resolutionLink),
    actorId: submission.userId,
  });
  const bugId = readResolveBugId(submission.privateMetadata);
  const errors = parsed.success ? {} : fieldErrors(parsed.error, BLOCKS);
  // Without its bug nothing else on the form matters.
  if (bugId === null) errors[INPUTS.resolutionNote.block] = LOST_BUG;
  if (!parsed.success || bugId === null) return { ok: false, errors };
  const { note, link } = parsed.data;
  return { ok: true, bugId, note, link: link ? unwrapSlackLink(link) : null };
}
