// Ephemeral replies (chat.postEphemeral): answers only the person who asked sees.
import type { KnownBlock } from '@slack/types';
import type { AppContext } from '../app-context.ts';

/** A short answer only `user` sees, in the thread it is about (Web API, so it goes through SLACK_API_URL). */
export async function whisper(
  ctx: AppContext,
  to: { channel: string; user: string; threadTs?: string | null },
  text: string,
): Promise<void> {
  await ctx.slack.chat.postEphemeral({
    channel: to.channel,
    user: to.user,
    text,
    ...(to.threadTs ? { thread_ts: to.threadTs } : {}),
  });
}

/** Like whisper, with blocks (buttons): a message only `user` sees. */
export async function whisperMessage(
  ctx: AppContext,
  to: { channel: string; user: string; threadTs?: string | null },
  message: { text: string; blocks?: KnownBlock[] },
): Promise<void> {
  await ctx.slack.chat.postEphemeral({
    channel: to.channel,
    user: to.user,
    text: message.text,
    ...(message.blocks ? { blocks: message.blocks } : {}),
    ...(to.threadTs ? { thread_ts: to.threadTs } : {}),
  });
}
