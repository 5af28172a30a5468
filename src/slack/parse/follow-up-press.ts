// "Open a follow-up" presses: who pressed, and the old bug and reply the button carries (`bugId:replyTs`).
import type { BlockAction, ButtonAction } from '@slack/bolt';
import { z } from 'zod';
import { channelId, messageTs, userId } from './slack-ids.ts';

const press = z.object({
  value: z.string().regex(/^\d{1,9}:\d{1,16}\.\d{1,16}$/),
  userId,
  channel: channelId.optional(),
  threadTs: messageTs.optional(),
});

export type FollowUpPress = {
  bugId: number;
  replyTs: string;
  userId: string;
  where: { channel: string; threadTs: string | undefined } | null;
};

export function parseFollowUpPress(body: BlockAction, button: ButtonAction): FollowUpPress | null {
  const parsed = press.safeParse({
    value: button.value,
    userId: body.user.id,
    channel: body.channel?.id ?? body.container?.channel_id,
    threadTs: body.container?.thread_ts ?? body.message?.thread_ts,
  });
  if (!parsed.success) return null;
  const [bugId, replyTs] = parsed.data.value.split(':') as [string, string];
  const { channel, threadTs } = parsed.data;
  return { bugId: Number(bugId), replyTs, userId: parsed.data.userId, where: channel ? { channel, threadTs } : null };
}
