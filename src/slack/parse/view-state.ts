// Reading a submitted modal: its inputs as typed, and zod's verdict turned into Slack's inline field errors
// (`response_action: 'errors'`, keyed by block id), so the form stays open with everything typed in it.
import type { ViewOutput } from '@slack/bolt';
import type { z } from 'zod';
import { storableText } from '../../domain/slack-text.ts';

export type ViewValues = ViewOutput['state']['values'];
export type InputId = { block: string; action: string };
export type FieldErrors = Record<string, string>;

/** A text input's value, trimmed and storable; '' when empty or missing. */
export function textInput(values: ViewValues, input: InputId): string {
  const value = values[input.block]?.[input.action]?.value;
  return typeof value === 'string' ? storableText(value.trim()) : '';
}

/** A select's chosen value, or undefined when nothing is chosen. */
export function selectedOption(values: ViewValues, input: InputId): string | undefined {
  const value = values[input.block]?.[input.action]?.selected_option?.value;
  return typeof value === 'string' ? value : undefined;
}

/** The first problem of each field, on the block that shows the field. */
export function fieldErrors(error: z.ZodError, blocks: Record<string, string>): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const block = blocks[String(issue.path[0])];
    if (block && !(block in errors)) errors[block] = issue.message;
  }
  return errors;
}

/** The length of the value a zod issue is about, for messages that say how long it was. */
export function lengthOf(input: unknown): number {
  return typeof input === 'string' ? input.length : 0;
}
