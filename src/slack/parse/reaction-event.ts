// reaction_added / reaction_removed events as they enter bugsweep: only reactions to messages, with well-formed ids.
import { z } from 'zod';
import { channelId, describeIssues, messageTs, userId } from './slack-ids.ts';

const reactionEvent = z.object({
  user: userId,
  reaction: z.string().min(1).max(100),
  item: z.object({ type: z.literal('message'), channel: channelId, ts: messageTs }),
});

export type ReactionEvent = { userId: string; reaction: string; channelId: string; ts: string };

/** A reaction to something other than a message (a file): not counted, and not malformed either. */
const toOtherThanMessage = z.object({ item: z.object({ type: z.string().refine((type) => type !== 'message') }) });

/**
 * The reaction, or why the event is not one bugsweep counts; `malformed` when it is not what Slack sends (a malformed
 * id, a field of the wrong type) rather than a reaction to something else.
 */
export function parseReactionEvent(
  event: unknown,
): { ok: true; reaction: ReactionEvent } | { ok: false; why: string; malformed: boolean } {
  const parsed = reactionEvent.safeParse(event);
  if (!parsed.success)
    return { ok: false, why: describeIssues(parsed.error), malformed: !toOtherThanMessage.safeParse(event).success };
  const { user, reaction, item } = parsed.data;
  return { ok: true, reaction: { userId: user, reaction, channelId: item.channel, ts: item.ts } };
}
