// The report modal's submission (/bugs report, the App Home button and the "Report as bug" shortcut): every
// problem becomes an inline error on its field and the form stays open.
import { z } from 'zod';
import { SEVERITIES } from '../../domain/bug-status.ts';
import { MAX_TITLE_LENGTH, type ReportDraft } from '../../domain/report-text.ts';
import { isCommitSha } from '../../domain/slack-text.ts';
import { INPUTS } from '../../messages/ids.ts';
import { MAX_DESCRIPTION_LENGTH } from '../views/report-modal.ts';
import { readReportOrigin } from './private-metadata.ts';
import { userId, viewId } from './slack-ids.ts';
import { type FieldErrors, fieldErrors, lengthOf, selectedOption, textInput, type ViewValues } from './view-state.ts';

const MAX_TRACE_LENGTH = 128;
const TRACE_ERROR = `A trace id is one word of at most ${MAX_TRACE_LENGTH} characters.`;

const report = z.object({
  title: z
    .string()
    .min(1, 'Please give the bug a title.')
    .max(MAX_TITLE_LENGTH, {
      error: (issue) =>
        `Keep the title to ${MAX_TITLE_LENGTH} characters (it has ${lengthOf(issue.input)}); put the rest in "What happened".`,
    }),
  description: z.string().max(MAX_DESCRIPTION_LENGTH, {
    error: (issue) =>
      `That is ${lengthOf(issue.input)} characters; ${MAX_DESCRIPTION_LENGTH} at most. Put long logs in the thread after reporting.`,
  }),
  severity: z.enum(SEVERITIES, 'Pick a severity.'),
  traceId: z.string().max(MAX_TRACE_LENGTH, TRACE_ERROR).regex(/^\S*$/, TRACE_ERROR),
  releaseSha: z
    .string()
    .refine(
      (sha) => sha === '' || isCommitSha(sha),
      'A release is a commit SHA: 7 to 40 hex characters, like 1a2b3c4.',
    ),
  reporterId: userId,
  viewId,
});

const BLOCKS: Record<keyof z.input<typeof report>, string> = {
  title: INPUTS.title.block,
  description: INPUTS.description.block,
  severity: INPUTS.severity.block,
  traceId: INPUTS.traceId.block,
  releaseSha: INPUTS.release.block,
  // Not fields anyone can fix, but the form must say something: the title is always there.
  reporterId: INPUTS.title.block,
  viewId: INPUTS.title.block,
};

export type ParsedReport =
  /** `viewId`: the submitted view, which identifies the submission however often it arrives. */
  { ok: true; value: ReportDraft; viewId: string } | { ok: false; errors: FieldErrors };

export function parseReportSubmission(submission: {
  values: ViewValues;
  privateMetadata: string | undefined;
  userId: string;
  viewId: string;
}): ParsedReport {
  const { values } = submission;
  const parsed = report.safeParse({
    title: textInput(values, INPUTS.title),
    description: textInput(values, INPUTS.description),
    severity: selectedOption(values, INPUTS.severity) ?? 'medium',
    traceId: textInput(values, INPUTS.traceId),
    releaseSha: textInput(values, INPUTS.release).toLowerCase(),
    reporterId: submission.userId,
    viewId: submission.viewId,
  });
  if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error, BLOCKS) };
  const { traceId, releaseSha, viewId: submitted, ...rest } = parsed.data;
  return {
    ok: true,
    viewId: submitted,
    value: {
      ...rest,
      traceId: traceId || null,
      releaseSha: releaseSha || null,
      origin: readReportOrigin(submission.privateMetadata),
    },
  };
}
