// Message events in the shapes Slack sends them (see the Events API docs): our own ids and texts.
import { FAKE_BOT } from './fake-slack-api.ts';
import { TEST_CHANNEL } from './test-app.ts';

type Common = { channel?: string; ts: string; text?: string };

export function topLevelMessage(fields: Common & { user: string }) {
  return {
    type: 'message',
    user: fields.user,
    text: fields.text ?? 'Checkout button does nothing',
    ts: fields.ts,
    team: 'TTEAM',
    channel: fields.channel ?? TEST_CHANNEL,
    event_ts: fields.ts,
    channel_type: 'channel',
    client_msg_id: `msg-${fields.ts}`,
  };
}

export function threadReply(fields: Common & { user: string; threadTs: string }) {
  return {
    type: 'message',
    user: fields.user,
    text: fields.text ?? 'any news?',
    ts: fields.ts,
    thread_ts: fields.threadTs,
    parent_user_id: 'UREPORTER',
    team: 'TTEAM',
    channel: fields.channel ?? TEST_CHANNEL,
    event_ts: fields.ts,
    channel_type: 'channel',
  };
}

/** A modern app's bot post: bot_id and user, no subtype. `own` makes it bugsweep's. */
export function botMessage(fields: Common & { threadTs?: string; own?: boolean }) {
  const botId = fields.own ? FAKE_BOT.botId : 'BOTHERAPP';
  return {
    bot_id: botId,
    type: 'message',
    text: fields.text ?? 'Deploy finished',
    user: fields.own ? FAKE_BOT.botUserId : 'UOTHERAPP',
    ts: fields.ts,
    ...(fields.threadTs ? { thread_ts: fields.threadTs } : {}),
    team: 'TTEAM',
    bot_profile: {
      id: botId,
      deleted: false,
      name: fields.own ? 'bugsweep' : 'other-app',
      app_id: 'AOTHER',
      team_id: 'TTEAM',
    },
    channel: fields.channel ?? TEST_CHANNEL,
    event_ts: fields.ts,
    channel_type: 'channel',
  };
}

export function classicBotMessage(fields: Common & { threadTs?: string }) {
  return {
    type: 'message',
    subtype: 'bot_message',
    text: fields.text ?? 'Build #41 failed',
    ts: fields.ts,
    username: 'ci',
    bot_id: 'BCLASSIC',
    ...(fields.threadTs ? { thread_ts: fields.threadTs } : {}),
    channel: fields.channel ?? TEST_CHANNEL,
    event_ts: fields.ts,
    channel_type: 'channel',
  };
}

export function threadBroadcast(fields: Common & { user: string; threadTs: string }) {
  return {
    type: 'message',
    subtype: 'thread_broadcast',
    text: fields.text ?? 'Also sent to the channel',
    user: fields.user,
    ts: fields.ts,
    thread_ts: fields.threadTs,
    root: {
      type: 'message',
      text: 'root',
      user: 'UREPORTER',
      ts: fields.threadTs,
      thread_ts: fields.threadTs,
      reply_count: 1,
    },
    channel: fields.channel ?? TEST_CHANNEL,
    event_ts: fields.ts,
    channel_type: 'channel',
  };
}

export function fileShare(fields: Common & { user: string; threadTs?: string; fileName?: string }) {
  return {
    type: 'message',
    subtype: 'file_share',
    text: fields.text ?? '',
    user: fields.user,
    ts: fields.ts,
    ...(fields.threadTs ? { thread_ts: fields.threadTs } : {}),
    files: [
      {
        id: 'F0FILE',
        name: fields.fileName ?? 'screenshot.png',
        title: fields.fileName ?? 'screenshot.png',
        mimetype: 'image/png',
      },
    ],
    upload: false,
    display_as_bot: false,
    channel: fields.channel ?? TEST_CHANNEL,
    event_ts: fields.ts,
    channel_type: 'channel',
  };
}

export function channelJoin(fields: { user: string; ts: string; channel?: string }) {
  return {
    type: 'message',
    subtype: 'channel_join',
    ts: fields.ts,
    user: fields.user,
    text: `<@${fields.user}> has joined the channel`,
    channel: fields.channel ?? TEST_CHANNEL,
    event_ts: fields.ts,
    channel_type: 'channel',
  };
}

export function messageChanged(fields: {
  channel?: string;
  ts: string;
  user: string;
  before: string;
  after: string;
  threadTs?: string;
  editedAt: string;
}) {
  const channel = fields.channel ?? TEST_CHANNEL;
  return {
    type: 'message',
    subtype: 'message_changed',
    message: {
      type: 'message',
      text: fields.after,
      user: fields.user,
      team: 'TTEAM',
      ts: fields.ts,
      ...(fields.threadTs ? { thread_ts: fields.threadTs } : {}),
      edited: { user: fields.user, ts: fields.editedAt },
    },
    previous_message: { type: 'message', text: fields.before, user: fields.user, team: 'TTEAM', ts: fields.ts },
    channel,
    hidden: true,
    ts: fields.editedAt,
    event_ts: fields.editedAt,
    channel_type: 'channel',
  };
}

export function messageDeleted(fields: {
  channel?: string;
  ts: string;
  user: string;
  text?: string;
  deletedAt: string;
}) {
  return {
    type: 'message',
    subtype: 'message_deleted',
    previous_message: { type: 'message', text: fields.text ?? 'oops', user: fields.user, team: 'TTEAM', ts: fields.ts },
    channel: fields.channel ?? TEST_CHANNEL,
    hidden: true,
    deleted_ts: fields.ts,
    event_ts: fields.deletedAt,
    ts: fields.deletedAt,
    channel_type: 'channel',
  };
}
