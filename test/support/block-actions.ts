// block_actions payloads (a button pressed on a message in a thread), in the shape Slack sends them.
let seq = 0;

export function buttonPress(fields: {
  userId: string;
  actionId: string;
  value: string;
  channelId: string;
  messageTs: string;
  threadTs?: string;
}) {
  seq += 1;
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
    trigger_id: `5151.${seq}.buttontrigger`,
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
        action_ts: `${Math.floor(Date.now() / 1000)}.${String(seq).padStart(6, '0')}`,
      },
    ],
  };
}

/** The Resolve modal's state.values. */
export function resolveFormValues(note: string | null, link: string | null = null) {
  return {
    resolution_note_block: { resolution_note_input: { type: 'plain_text_input', value: note } },
    resolution_link_block: { resolution_link_input: { type: 'plain_text_input', value: link } },
  };
}
