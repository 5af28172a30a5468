// "Report as bug" on a message: the message it was used on, to prefill the report and link back to it.
import type { MessageShortcut } from '@slack/bolt';
import { z } from 'zod';
import { channelId, messageTs, personText, userId } from './slack-ids.ts';

const shortcut = z.object({
  channel: z.object({ id: channelId }),
  message: z.object({
    ts: messageTs,
    thread_ts: messageTs.optional(),
    user: userId.optional(),
    text: personText.optional(),
  }),
});

export type ShortcutMessage = {
  channelId: string;
  ts: string;
  threadTs: string | null;
  authorId: string | null;
  text: string;
};

/** null when the shortcut does not carry a message as Slack sends it. */
export function parseMessageShortcut(raw: MessageShortcut): ShortcutMessage | null {
  const parsed = shortcut.safeParse(raw);
  if (!parsed.success) return null;
  const { channel, message } = parsed.data;
  return {
    channelId: channel.id,
    ts: message.ts,
    threadTs: message.thread_ts ?? null,
    authorId: message.user ?? null,
    text: message.text ?? '',
  };
}
