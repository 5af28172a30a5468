// The /bugs report modal (also opened, prefilled, by the "Report as bug" shortcut), and reading it back.
import type { ModalView, PlainTextInput, PlainTextOption } from '@slack/types';
import { SEVERITIES, type Severity } from '../../domain/bug-status.ts';
import { MAX_TITLE_LENGTH, type ReportOrigin } from '../../domain/report-text.ts';
import { context, LIMITS, modalText, plain, section } from '../../messages/blocks.ts';
import { INPUTS, VIEWS } from '../../messages/ids.ts';

export const MAX_DESCRIPTION_LENGTH = 2800;
const MAX_TRACE_LENGTH = 128;

export type ReportModalInput = {
  title?: string;
  description?: string;
  severity?: Severity;
  origin?: ReportOrigin;
};

export function buildReportModal(input: ReportModalInput = {}): ModalView {
  const text = (
    actionId: string,
    options: { multiline?: boolean; initial?: string | undefined; placeholder: string },
  ): PlainTextInput => ({
    type: 'plain_text_input',
    action_id: actionId,
    multiline: options.multiline ?? false,
    placeholder: plain(options.placeholder, LIMITS.placeholder),
    ...(options.initial ? { initial_value: options.initial } : {}),
  });
  const severity = input.severity ?? 'medium';
  const option = (value: Severity): PlainTextOption => ({
    text: plain(value[0]!.toUpperCase() + value.slice(1), LIMITS.option),
    value,
  });
  const label = (words: string) => plain(words, LIMITS.label);
  return {
    type: 'modal',
    callback_id: VIEWS.reportBug,
    private_metadata: JSON.stringify({ origin: input.origin ?? null }),
    title: modalText('Report a bug'),
    submit: modalText('Report'),
    close: modalText('Cancel'),
    blocks: [
      ...(input.origin?.permalink
        ? [
            context(
              `From <${input.origin.permalink}|this message>${input.origin.authorId ? ` by <@${input.origin.authorId}>` : ''}`,
            ),
          ]
        : []),
      {
        type: 'input',
        block_id: INPUTS.title.block,
        label: label('Title'),
        element: text(INPUTS.title.action, { initial: input.title, placeholder: 'What goes wrong, in one line' }),
      },
      {
        type: 'input',
        block_id: INPUTS.description.block,
        optional: true,
        label: label('What happened'),
        element: text(INPUTS.description.action, {
          multiline: true,
          initial: input.description,
          placeholder: 'Steps, what you expected, what you saw',
        }),
      },
      {
        type: 'input',
        block_id: INPUTS.severity.block,
        label: label('Severity'),
        element: {
          type: 'static_select',
          action_id: INPUTS.severity.action,
          options: SEVERITIES.map(option),
          initial_option: option(severity),
        },
      },
      {
        type: 'input',
        block_id: INPUTS.traceId.block,
        optional: true,
        label: label('Trace id'),
        element: text(INPUTS.traceId.action, { placeholder: 'e.g. 4bf92f3577b34da6a3ce929d0e0e4736' }),
      },
      {
        type: 'input',
        block_id: INPUTS.release.block,
        optional: true,
        label: label('Release (commit SHA)'),
        element: text(INPUTS.release.action, { placeholder: 'e.g. 1a2b3c4' }),
      },
    ],
  };
}

type ViewValues = Record<
  string,
  Record<string, { value?: string | null; selected_option?: { value?: string } | null }>
>;

export type ParsedReport =
  | {
      ok: true;
      value: {
        title: string;
        description: string;
        severity: Severity;
        traceId: string | null;
        releaseSha: string | null;
        origin: ReportOrigin | null;
      };
    }
  | { ok: false; errors: Record<string, string> };

/** Validates a submission; every problem becomes an inline error on its field, and the form stays open. */
export function parseReportSubmission(values: ViewValues, privateMetadata: string | undefined): ParsedReport {
  const read = (input: { block: string; action: string }) => values[input.block]?.[input.action]?.value?.trim() ?? '';
  const title = read(INPUTS.title);
  const description = read(INPUTS.description);
  const traceId = read(INPUTS.traceId);
  const release = read(INPUTS.release).toLowerCase();
  const severity = values[INPUTS.severity.block]?.[INPUTS.severity.action]?.selected_option?.value ?? 'medium';
  const errors: Record<string, string> = {};
  if (!title) errors[INPUTS.title.block] = 'Please give the bug a title.';
  else if (title.length > MAX_TITLE_LENGTH)
    errors[INPUTS.title.block] =
      `Keep the title to ${MAX_TITLE_LENGTH} characters (it has ${title.length}); put the rest in "What happened".`;
  if (description.length > MAX_DESCRIPTION_LENGTH)
    errors[INPUTS.description.block] =
      `That is ${description.length} characters; ${MAX_DESCRIPTION_LENGTH} at most. Put long logs in the thread after reporting.`;
  if (traceId.length > MAX_TRACE_LENGTH || /\s/.test(traceId))
    errors[INPUTS.traceId.block] = `A trace id is one word of at most ${MAX_TRACE_LENGTH} characters.`;
  if (release && !/^[0-9a-f]{7,40}$/.test(release))
    errors[INPUTS.release.block] = 'A release is a commit SHA: 7 to 40 hex characters, like 1a2b3c4.';
  if (!(SEVERITIES as readonly string[]).includes(severity)) errors[INPUTS.severity.block] = 'Pick a severity.';
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    value: {
      title,
      description,
      severity: severity as Severity,
      traceId: traceId || null,
      releaseSha: release || null,
      origin: readOrigin(privateMetadata),
    },
  };
}

function readOrigin(privateMetadata: string | undefined): ReportOrigin | null {
  try {
    const parsed = JSON.parse(privateMetadata || '{}') as { origin?: ReportOrigin | null };
    return parsed.origin ?? null;
  } catch {
    return null;
  }
}

/** Shown in place of the form once the report is filed. */
export function buildReportFiledView(bug: { ref: string; title: string }, permalink: string): ModalView {
  return {
    type: 'modal',
    callback_id: `${VIEWS.reportBug}_done`,
    title: modalText('Bug reported'),
    close: modalText('Done'),
    blocks: [section(`:white_check_mark: Filed as *${bug.ref}*. <${permalink}|Follow it in the thread>.`)],
  };
}
