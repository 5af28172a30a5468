// What Slack holds in its channels, for tests where the bot reads history back (the catch-up): every message a test
// posts is kept here, and the fake Web API answers conversations.history (top-level messages with reply_count and
// latest_reply) and conversations.replies (the parent, then the replies after `oldest`) from it. Messages can be
// edited (Slack then returns the current text with `edited`) and deleted (gone; a parent with replies left becomes a
// tombstone), as people do while the bot is away.
import type { FakeSlackApi, RecordedCall } from './fake-slack-api.ts';

type Message = Record<string, unknown> & { ts: string; channel?: string; thread_ts?: string };

export type FakeThreads = {
  /** Slack now holds this message (an event's `event`, as sent or not sent to the bot). */
  post(message: Message): void;
  /** Someone edits a message Slack holds: its text is replaced and it carries `edited`. */
  edit(ts: string, text: string, editedTs: string): void;
  /** Someone deletes a message: a reply is gone; a parent with replies stays as a tombstone. */
  remove(ts: string): void;
  /** conversations.history answers wait until the returned function is called (a read in progress). */
  holdHistory(): () => void;
};

const byTs = (a: Message, b: Message) => Number(a.ts) - Number(b.ts);

export function useFakeThreads(api: FakeSlackApi, defaultChannel: string): FakeThreads {
  const messages: Message[] = [];
  let held: Promise<void> | null = null;
  const inChannel = (call: RecordedCall) =>
    messages.filter((message) => (message.channel ?? defaultChannel) === call.body.channel);
  const isTopLevel = (message: Message) => !message.thread_ts || message.thread_ts === message.ts;
  const strip = ({ channel: _channel, event_ts: _eventTs, channel_type: _type, ...message }: Message) => message;

  const install = () => {
    api.on('conversations.history', async (call) => {
      if (held) await held;
      const oldest = Number(call.body.oldest ?? 0);
      const channel = inChannel(call);
      const parents = channel
        .filter((message) => isTopLevel(message) && Number(message.ts) >= oldest)
        .sort(byTs)
        .reverse()
        .map((parent) => {
          const replies = channel.filter((m) => m.thread_ts === parent.ts && m.ts !== parent.ts).sort(byTs);
          const last = replies.at(-1);
          return { ...strip(parent), ...(last ? { reply_count: replies.length, latest_reply: last.ts } : {}) };
        });
      return { status: 200, body: { ok: true, messages: parents, has_more: false } };
    });
    api.on('conversations.replies', (call) => {
      const parentTs = String(call.body.ts);
      const oldest = Number(call.body.oldest ?? 0);
      const thread = inChannel(call).filter((m) => m.ts === parentTs || m.thread_ts === parentTs);
      const parent = thread.find((m) => m.ts === parentTs);
      const replies = thread.filter((m) => m.ts !== parentTs && Number(m.ts) > oldest).sort(byTs);
      if (!parent) return { status: 200, body: { ok: false, error: 'thread_not_found' } };
      return { status: 200, body: { ok: true, messages: [parent, ...replies].map(strip), has_more: false } };
    });
  };
  install();

  const find = (ts: string) => {
    const index = messages.findIndex((message) => message.ts === ts);
    if (index < 0) throw new Error(`fake Slack holds no message ${ts}`);
    return index;
  };

  return {
    post: (message) => messages.push(message),
    edit(ts, text, editedTs) {
      const index = find(ts);
      messages[index] = { ...messages[index]!, text, edited: { user: 'UEDITOR', ts: editedTs } };
    },
    remove(ts) {
      const index = find(ts);
      const message = messages[index]!;
      const hasReplies = messages.some((m) => m.thread_ts === ts && m.ts !== ts);
      if (isTopLevel(message) && hasReplies) {
        messages[index] = {
          type: 'message',
          subtype: 'tombstone',
          text: 'This message was deleted.',
          ts,
          thread_ts: ts,
          user: 'USLACKBOT',
          hidden: true,
          ...(message.channel ? { channel: message.channel } : {}),
        };
      } else messages.splice(index, 1);
    },
    holdHistory() {
      let release = () => {};
      held = new Promise<void>((resolve) => {
        release = () => {
          held = null;
          resolve();
        };
      });
      return release;
    },
  };
}
