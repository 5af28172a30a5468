// Presses of the buttons bugsweep puts on its cards and warnings: who pressed, which bug the button carries
// (its value is the bug id), and the thread it sits in, so an answer can go to the presser there.
import type { BlockAction, ButtonAction } from '@slack/bolt';
import { z } from 'zod';
import { channelId, messageTs, userId } from './slack-ids.ts';

const bugIdValue = z
  .string()
  .regex(/^\d{1,9}$/)
  .transform(Number);

const press = z.object({
  bugId: bugIdValue,
  userId,
  channel: channelId.optional(),
  message: z.object({ ts: messageTs.optional(), thread_ts: messageTs.optional() }).optional(),
});

export type BugButtonPress = {
  bugId: number;
  userId: string;
  /** Where to whisper an answer: the thread the button sits in, when Slack says. */
  where: { channel: string; threadTs: string | undefined } | null;
};

/** null when the press is not one bugsweep's buttons make (a value that is no bug id, a malformed id). */
export function parseBugButtonPress(body: BlockAction, button: ButtonAction): BugButtonPress | null {
  const parsed = press.safeParse({
    bugId: button.value,
    userId: body.user.id,
    channel: body.channel?.id ?? body.container?.channel_id,
    message: body.message,
  });
  if (!parsed.success) return null;
  const { bugId, channel, message } = parsed.data;
  return {
    bugId,
    userId: parsed.data.userId,
    where: channel ? { channel, threadTs: message?.thread_ts ?? message?.ts } : null,
  };
}
