// The /bugs report modal (also opened, prefilled, by the "Report as bug" shortcut); slack/parse/report-submission.ts
// reads it back.
import type { ModalView, PlainTextInput, PlainTextOption } from '@slack/types';
import { SEVERITIES, type Severity } from '../../domain/bug-status.ts';
import type { ReportOrigin } from '../../domain/report-text.ts';
import { context, LIMITS, modalText, plain, section } from '../../messages/blocks.ts';
import { INPUTS, VIEWS } from '../../messages/ids.ts';

export const MAX_DESCRIPTION_LENGTH = 2800;

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
