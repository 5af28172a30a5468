// The /bugs report modal (also opened, prefilled, by the "Report as bug" shortcut); slack/parse/report-submission.ts
// reads it back.
import { SEVERITIES, type Severity } from '../../domain/bug-status.ts';
import type { ReportOrigin } from '../../domain/report-text.ts';
import { INPUTS, VIEWS } from '../../messages/ids.ts';

export const MAX_DESCRIPTION_LENGTH = 2800;

export type ReportModalInput = {
  title?: string;
  description?: string;
  severity?: Severity;
  origin?: ReportOrigin;
};

export function buildReportModal(input: ReportModalInput = {}): Record<string, unknown> {
  const text = (actionId: string, options: { multiline?: boolean; initial?: string; placeholder: string }) => ({
    type: 'plain_text_input',
    action_id: actionId,
    multiline: options.multiline ?? false,
    placeholder: { type: 'plain_text', text: options.placeholder },
    ...(options.initial ? { initial_value: options.initial } : {}),
  });
  const severity = input.severity ?? 'medium';
  const option = (value: Severity) => ({
    text: { type: 'plain_text', text: value[0]!.toUpperCase() + value.slice(1) },
    value,
  });
  return {
    type: 'modal',
    callback_id: VIEWS.reportBug,
    private_metadata: JSON.stringify({ origin: input.origin ?? null }),
    title: { type: 'plain_text', text: 'Report a bug' },
    submit: { type: 'plain_text', text: 'Report' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      ...(input.origin?.permalink
        ? [
            {
              type: 'context',
              elements: [
                {
                  type: 'mrkdwn',
                  text: `From <${input.origin.permalink}|this message>${input.origin.authorId ? ` by <@${input.origin.authorId}>` : ''}`,
                },
              ],
            },
          ]
        : []),
      {
        type: 'input',
        block_id: INPUTS.title.block,
        label: { type: 'plain_text', text: 'Title' },
        element: text(INPUTS.title.action, { initial: input.title, placeholder: 'What goes wrong, in one line' }),
      },
      {
        type: 'input',
        block_id: INPUTS.description.block,
        optional: true,
        label: { type: 'plain_text', text: 'What happened' },
        element: text(INPUTS.description.action, {
          multiline: true,
          initial: input.description,
          placeholder: 'Steps, what you expected, what you saw',
        }),
      },
      {
        type: 'input',
        block_id: INPUTS.severity.block,
        label: { type: 'plain_text', text: 'Severity' },
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
        label: { type: 'plain_text', text: 'Trace id' },
        element: text(INPUTS.traceId.action, { placeholder: 'e.g. 4bf92f3577b34da6a3ce929d0e0e4736' }),
      },
      {
        type: 'input',
        block_id: INPUTS.release.block,
        optional: true,
        label: { type: 'plain_text', text: 'Release (commit SHA)' },
        element: text(INPUTS.release.action, { placeholder: 'e.g. 1a2b3c4' }),
      },
    ],
  };
}

/** Shown in place of the form once the report is filed. */
export function buildReportFiledView(bug: { ref: string; title: string }, permalink: string): Record<string, unknown> {
  return {
    type: 'modal',
    callback_id: `${VIEWS.reportBug}_done`,
    title: { type: 'plain_text', text: 'Bug reported' },
    close: { type: 'plain_text', text: 'Done' },
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: `:white_check_mark: Filed as *${bug.ref}*. <${permalink}|Follow it in the thread>.`,
        },
      },
    ],
  };
}
