// The "Still broken" modal's submission: what the person still sees (required). Bad input is an inline error.
import { z } from 'zod';
import { INPUTS } from '../../messages/ids.ts';
import { readResolveBugId } from './private-metadata.ts';
import { type FieldErrors, lengthOf, textInput, type ViewValues } from './view-state.ts';

const MAX_NOTE_LENGTH = 2000;

const note = z
  .string()
  .min(1, 'Please say what you still see; the fix author reads it.')
  .max(MAX_NOTE_LENGTH, {
    error: (issue) => `Keep it to ${MAX_NOTE_LENGTH} characters (it has ${lengthOf(issue.input)}).`,
  });

export type ParsedStillBroken = { ok: true; bugId: number; note: string } | { ok: false; errors: FieldErrors };

export function parseStillBrokenSubmission(submission: {
  values: ViewValues;
  privateMetadata: string | undefined;
}): ParsedStillBroken {
  const parsed = note.safeParse(textInput(submission.values, INPUTS.stillBrokenNote));
  // The modal carries its bug the way the Resolve modal does.
  const bugId = readResolveBugId(submission.privateMetadata);
  if (bugId === null) {
    return {
      ok: false,
      errors: { [INPUTS.stillBrokenNote.block]: 'This form lost track of its bug; close it and try again.' },
    };
  }
  if (!parsed.success) {
    return {
      ok: false,
      errors: { [INPUTS.stillBrokenNote.block]: parsed.error.issues[0]?.message ?? 'Say what you see.' },
    };
  }
  return { ok: true, bugId, note: parsed.data };
}
