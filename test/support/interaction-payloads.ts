// Interactivity payloads in the shapes Slack sends them (block_actions, view_submission, message_action): our own
// ids and texts.
import { INPUTS, SHORTCUTS, VIEWS } from '../../src/messages/ids.ts';

type InputValue =
  | { type: 'plain_text_input'; value: string | null }
  | { type: 'static_select'; selected_option: { value: string } | null };
export type ViewStateValues = Record<string, Record<string, InputValue>>;

export type ReportForm = {
  title?: string | null;
  description?: string | null;
  severity?: string | null;
  traceId?: string | null;
  release?: string | null;
};

/** The report modal's state.values as Slack submits them: every input present, empty optional fields as null. */
export function reportFormValues(form: ReportForm): ViewStateValues {
  const text = (value: string | null | undefined): InputValue => ({ type: 'plain_text_input', value: value ?? null });
  return {
    [INPUTS.title.block]: { [INPUTS.title.action]: text(form.title) },
    [INPUTS.description.block]: { [INPUTS.description.action]: text(form.description) },
    [INPUTS.severity.block]: {
      [INPUTS.severity.action]: {
        type: 'static_select',
        selected_option: form.severity === null ? null : { value: form.severity ?? 'medium' },
      },
    },
    [INPUTS.traceId.block]: { [INPUTS.traceId.action]: text(form.traceId) },
    [INPUTS.release.block]: { [INPUTS.release.action]: text(form.release) },
  };
}

let viewSeq = 0;

export function viewSubmission(fields: {
  userId: string;
  values: ViewStateValues;
  privateMetadata?: string;
  callbackId?: string;
}) {
  viewSeq += 1;
  const viewId = `VSUB${String(viewSeq).padStart(6, '0')}`;
  return {
    type: 'view_submission',
    team: { id: 'TTEAM', domain: 'example' },
    user: {
      id: fields.userId,
      username: fields.userId.toLowerCase(),
      name: fields.userId.toLowerCase(),
      team_id: 'TTEAM',
    },
    api_app_id: 'AAPP',
    token: 'legacy-verification-token',
    trigger_id: `4242.${viewSeq}.submittrigger`,
    view: {
      id: viewId,
      team_id: 'TTEAM',
      type: 'modal',
      blocks: [],
      private_metadata: fields.privateMetadata ?? JSON.stringify({ origin: null }),
      callback_id: fields.callbackId ?? VIEWS.reportBug,
      state: { values: fields.values },
      hash: `1700000000.${viewSeq}abc`,
      title: { type: 'plain_text', text: 'Report a bug' },
      clear_on_close: false,
      notify_on_close: false,
      close: { type: 'plain_text', text: 'Cancel' },
      submit: { type: 'plain_text', text: 'Report' },
      previous_view_id: null,
      root_view_id: viewId,
      app_id: 'AAPP',
      external_id: '',
      app_installed_team_id: 'TTEAM',
      bot_id: 'BBUGSWEEP',
    },
    response_urls: [],
    is_enterprise_install: false,
  };
}

/** The "Report as bug" message shortcut, invoked by `userId` on a message in `channelId`. */
export function messageAction(fields: {
  userId: string;
  channelId: string;
  triggerId: string;
  message: { ts: string; text: string; user?: string; threadTs?: string };
}) {
  return {
    type: 'message_action',
    token: 'legacy-verification-token',
    action_ts: String(Date.now() / 1000),
    team: { id: 'TTEAM', domain: 'example' },
    user: { id: fields.userId, name: fields.userId.toLowerCase(), team_id: 'TTEAM' },
    channel: { id: fields.channelId, name: 'general' },
    is_enterprise_install: false,
    callback_id: SHORTCUTS.reportAsBug,
    trigger_id: fields.triggerId,
    message_ts: fields.message.ts,
    message: {
      type: 'message',
      ...(fields.message.user ? { user: fields.message.user } : {}),
      text: fields.message.text,
      ts: fields.message.ts,
      ...(fields.message.threadTs ? { thread_ts: fields.message.threadTs } : {}),
      team: 'TTEAM',
    },
    response_url: 'http://127.0.0.1:9/actions/fake',
  };
}

let pressSeq = 0;

/** A block_actions payload: a button pressed on a message in a thread. */

export function buttonPress(fields: {
  userId: string;
  actionId: string;
  value: string;
  channelId: string;
  messageTs: string;
  threadTs?: string;
}) {
  pressSeq += 1;
  return {
    type: 'block_actions',
    user: {
      id: fields.userId,
      username: fields.userId.toLowerCase(),
      name: fields.userId.toLowerCase(),
      team_id: 'TTEAM',
    },
    api_app_id: 'AAPP',
    token: 'legacy-verification-token',
    container: {
      type: 'message',
      message_ts: fields.messageTs,
      channel_id: fields.channelId,
      is_ephemeral: false,
      thread_ts: fields.threadTs,
    },
    trigger_id: `5151.${pressSeq}.buttontrigger`,
    team: { id: 'TTEAM', domain: 'example' },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: fields.channelId, name: 'bugs' },
    message: {
      type: 'message',
      user: 'UBUGSWEEP',
      bot_id: 'BBUGSWEEP',
      text: 'card',
      ts: fields.messageTs,
      ...(fields.threadTs ? { thread_ts: fields.threadTs } : {}),
    },
    state: { values: {} },
    response_url: 'http://127.0.0.1:9/actions/fake',
    actions: [
      {
        action_id: fields.actionId,
        block_id: `bug_card_actions:${fields.value}`,
        text: { type: 'plain_text', text: fields.actionId, emoji: true },
        value: fields.value,
        type: 'button',
        action_ts: `${Math.floor(Date.now() / 1000)}.${String(pressSeq).padStart(6, '0')}`,
      },
    ],
  };
}

/** The Resolve modal's state.values. */
export function resolveFormValues(note: string | null, link: string | null = null): ViewStateValues {
  return {
    [INPUTS.resolutionNote.block]: { [INPUTS.resolutionNote.action]: { type: 'plain_text_input', value: note } },
    [INPUTS.resolutionLink.block]: { [INPUTS.resolutionLink.action]: { type: 'plain_text_input', value: link } },
  };
}
