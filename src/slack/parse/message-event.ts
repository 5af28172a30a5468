// Slack's message events in their many shapes (plain, thread reply, broadcast, file share, bot post, edit,
// delete, joins and other system subtypes), read once into what bugsweep cares about. Every id and timestamp is
// checked where it enters: an event whose fields are not what Slack sends is `invalid` and nothing is stored.
import { z } from 'zod';
import { tsToDate } from '../../domain/slack-refs.ts';
import type { MessageDeletion, MessageEdit, PostedMessage } from '../../services/thread-messages.ts';
import { botId, channelId, describeIssues, messageTs, personText, userId } from './slack-ids.ts';

export type ParsedMessageEvent =
  | { kind: 'posted'; message: PostedMessage }
  | { kind: 'edited'; edit: MessageEdit }
  | { kind: 'deleted'; deletion: MessageDeletion }
  | { kind: 'ignored'; reason: string }
  /** Not a message event as Slack sends them (a malformed id, a field of the wrong type): dropped with a warning. */
  | { kind: 'invalid'; reason: string };

/** Subtypes that are someone saying something; every other subtype (joins, topic changes...) is not. */
const SPOKEN_SUBTYPES = new Set(['thread_broadcast', 'file_share', 'me_message', 'bot_message']);

/** What every message event is read by first: its subtype says which shape the rest has. */
const envelope = z.object({ subtype: z.string().max(64).optional(), channel: channelId.optional() });

const posted = z.object({
  ts: messageTs.optional(),
  thread_ts: messageTs.optional(),
  user: userId.optional(),
  bot_id: botId.optional(),
  text: personText.optional(),
  files: z.array(z.object({ name: personText.optional(), title: personText.optional() })).optional(),
});

const changed = z.object({
  ts: messageTs.optional(),
  event_ts: messageTs.optional(),
  message: z
    .object({
      ts: messageTs.optional(),
      subtype: z.string().optional(),
      text: personText.optional(),
      edited: z.object({ ts: messageTs.optional() }).optional(),
    })
    .optional(),
  previous_message: z.object({ ts: messageTs.optional(), text: personText.optional() }).optional(),
});

const deleted = z.object({
  ts: messageTs.optional(),
  event_ts: messageTs.optional(),
  deleted_ts: messageTs.optional(),
  previous_message: z.object({ ts: messageTs.optional() }).optional(),
});

/** `receivedAt` stands in for an edit's or deletion's time when the event carries none. */
export function parseMessageEvent(raw: unknown, receivedAt: Date): ParsedMessageEvent {
  const head = envelope.safeParse(raw);
  if (!head.success) return { kind: 'invalid', reason: describeIssues(head.error) };
  const { subtype, channel } = head.data;
  if (!channel) return { kind: 'ignored', reason: 'no channel' };

  if (subtype === 'message_changed') {
    const event = changed.safeParse(raw);
    if (!event.success) return { kind: 'invalid', reason: describeIssues(event.error) };
    const { message, previous_message: previous } = event.data;
    const ts = message?.ts ?? previous?.ts;
    // A deleted thread parent with replies stays as a "tombstone": a deletion, not an edit.
    if (message?.subtype === 'tombstone' && ts) {
      const at = event.data.event_ts ?? event.data.ts;
      return { kind: 'deleted', deletion: { channelId: channel, ts, deletedAt: at ? tsToDate(at) : receivedAt } };
    }
    if (!ts || message?.text === undefined) return { kind: 'ignored', reason: 'edit without message' };
    // Slack also sends message_changed when a message merely gains replies or an unfurl: same text, no edit.
    if (message.text === previous?.text) return { kind: 'ignored', reason: 'not a text edit' };
    const editedTs = message.edited?.ts ?? event.data.event_ts ?? event.data.ts;
    return {
      kind: 'edited',
      edit: { channelId: channel, ts, text: message.text, editedAt: editedTs ? tsToDate(editedTs) : receivedAt },
    };
  }
  if (subtype === 'message_deleted') {
    const event = deleted.safeParse(raw);
    if (!event.success) return { kind: 'invalid', reason: describeIssues(event.error) };
    const ts = event.data.deleted_ts ?? event.data.previous_message?.ts;
    if (!ts) return { kind: 'ignored', reason: 'delete without ts' };
    const at = event.data.event_ts ?? event.data.ts;
    return { kind: 'deleted', deletion: { channelId: channel, ts, deletedAt: at ? tsToDate(at) : receivedAt } };
  }
  if (subtype && !SPOKEN_SUBTYPES.has(subtype)) return { kind: 'ignored', reason: `subtype ${subtype}` };

  const event = posted.safeParse(raw);
  if (!event.success) return { kind: 'invalid', reason: describeIssues(event.error) };
  const message = event.data;
  if (!message.ts) return { kind: 'ignored', reason: 'no ts' };
  return {
    kind: 'posted',
    message: {
      channelId: channel,
      ts: message.ts,
      threadTs: message.thread_ts ?? null,
      userId: message.user ?? null,
      isBot: Boolean(message.bot_id) || subtype === 'bot_message',
      botId: message.bot_id ?? null,
      text: message.text ?? '',
      subtype: subtype ?? null,
      fileNames: (message.files ?? []).map((file) => file.title ?? file.name ?? 'file').filter(Boolean),
    },
  };
}
