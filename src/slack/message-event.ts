// Slack's message events in their many shapes (plain, thread reply, broadcast, file share, bot post, edit,
// delete, joins and other system subtypes), read once into what bugsweep cares about.

import { tsToDate } from '../domain/slack-refs.ts';
import type { MessageDeletion, MessageEdit, PostedMessage } from '../services/thread-messages.ts';

export type ParsedMessageEvent =
  | { kind: 'posted'; message: PostedMessage }
  | { kind: 'edited'; edit: MessageEdit }
  | { kind: 'deleted'; deletion: MessageDeletion }
  | { kind: 'ignored'; reason: string };

/** Subtypes that are someone saying something; every other subtype (joins, topic changes...) is not. */
const SPOKEN_SUBTYPES = new Set(['thread_broadcast', 'file_share', 'me_message', 'bot_message']);

type RawMessage = {
  subtype?: string;
  channel?: string;
  ts?: string;
  thread_ts?: string;
  user?: string;
  bot_id?: string;
  text?: string;
  files?: { name?: string; title?: string }[];
  message?: RawMessage & { edited?: { ts?: string } };
  previous_message?: RawMessage;
  deleted_ts?: string;
  event_ts?: string;
  hidden?: boolean;
};

/** `receivedAt` stands in for an edit's or deletion's time when the event carries none. */
export function parseMessageEvent(raw: RawMessage, receivedAt: Date): ParsedMessageEvent {
  const channelId = raw.channel;
  if (!channelId) return { kind: 'ignored', reason: 'no channel' };

  if (raw.subtype === 'message_changed') {
    const ts = raw.message?.ts ?? raw.previous_message?.ts;
    // A deleted thread parent with replies stays as a "tombstone": a deletion, not an edit.
    if (raw.message?.subtype === 'tombstone' && ts) {
      const at = raw.event_ts ?? raw.ts;
      return { kind: 'deleted', deletion: { channelId, ts, deletedAt: at ? tsToDate(at) : receivedAt } };
    }
    if (!ts || raw.message?.text === undefined) return { kind: 'ignored', reason: 'edit without message' };
    // Slack also sends message_changed when a message merely gains replies or an unfurl: same text, no edit.
    if (raw.message.text === raw.previous_message?.text) return { kind: 'ignored', reason: 'not a text edit' };
    const editedTs = raw.message.edited?.ts ?? raw.event_ts ?? raw.ts;
    return {
      kind: 'edited',
      edit: { channelId, ts, text: raw.message.text, editedAt: editedTs ? tsToDate(editedTs) : receivedAt },
    };
  }
  if (raw.subtype === 'message_deleted') {
    const ts = raw.deleted_ts ?? raw.previous_message?.ts;
    if (!ts) return { kind: 'ignored', reason: 'delete without ts' };
    const at = raw.event_ts ?? raw.ts;
    return { kind: 'deleted', deletion: { channelId, ts, deletedAt: at ? tsToDate(at) : receivedAt } };
  }
  if (raw.subtype && !SPOKEN_SUBTYPES.has(raw.subtype)) return { kind: 'ignored', reason: `subtype ${raw.subtype}` };
  if (!raw.ts) return { kind: 'ignored', reason: 'no ts' };

  return {
    kind: 'posted',
    message: {
      channelId,
      ts: raw.ts,
      threadTs: raw.thread_ts ?? null,
      userId: raw.user ?? null,
      isBot: Boolean(raw.bot_id) || raw.subtype === 'bot_message',
      botId: raw.bot_id ?? null,
      text: raw.text ?? '',
      subtype: raw.subtype ?? null,
      fileNames: (raw.files ?? []).map((file) => file.title ?? file.name ?? 'file').filter(Boolean),
    },
  };
}
