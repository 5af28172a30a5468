// Reads bug threads back from Slack for the catch-up (services/thread-catch-up.ts): conversations.history says which
// threads have replies newer than what is stored, conversations.replies reads those. Both are Tier 3 (about 50 a
// minute for the workspace), so every call waits for the notifier's shared budget first; a message comes back
// through the same parser as a message event.
import type { AppContext } from '../app-context.ts';
import type { ThreadReader } from '../services/thread-catch-up.ts';
import type { PostedMessage } from '../services/thread-messages.ts';
import { parseMessageEvent } from './parse/message-event.ts';
import { messageTs } from './parse/slack-ids.ts';

const PAGE = 200;
/** A catch-up is background work: it waits for its turn in the budget rather than calling early. */
const BUDGET_WAIT_MS = 120_000;

type HistoryMessage = { ts?: unknown; latest_reply?: unknown; thread_ts?: unknown };

export function createSlackThreadReader(ctx: AppContext): ThreadReader {
  const tsOrNull = (value: unknown) => {
    const parsed = messageTs.safeParse(value);
    return parsed.success ? parsed.data : null;
  };

  return {
    async latestReplies(channelId, oldestTs) {
      const latest = new Map<string, string | null>();
      let cursor: string | undefined;
      do {
        await ctx.notifier.awaitBudget('conversations.history', BUDGET_WAIT_MS);
        const page = await ctx.slack.conversations.history({
          channel: channelId,
          oldest: oldestTs,
          inclusive: true,
          limit: PAGE,
          ...(cursor ? { cursor } : {}),
        });
        for (const message of (page.messages ?? []) as HistoryMessage[]) {
          const ts = tsOrNull(message.ts);
          if (ts) latest.set(ts, tsOrNull(message.latest_reply));
        }
        cursor = page.response_metadata?.next_cursor || undefined;
      } while (cursor && !ctx.shutdown.aborted);
      return latest;
    },

    async repliesAfter(channelId, threadTs, afterTs) {
      const replies: PostedMessage[] = [];
      let cursor: string | undefined;
      do {
        await ctx.notifier.awaitBudget('conversations.replies', BUDGET_WAIT_MS);
        const page = await ctx.slack.conversations.replies({
          channel: channelId,
          ts: threadTs,
          oldest: afterTs,
          inclusive: false,
          limit: PAGE,
          ...(cursor ? { cursor } : {}),
        });
        for (const raw of page.messages ?? []) {
          if (raw.ts === threadTs) continue; // the parent comes first on every page
          const parsed = parseMessageEvent({ ...raw, channel: channelId }, ctx.clock());
          if (parsed.kind === 'posted' && parsed.message.threadTs === threadTs) replies.push(parsed.message);
          else if (parsed.kind === 'invalid')
            ctx.logger.warn(
              { channel: channelId, reason: parsed.reason },
              'a thread reply read back is not what Slack sends; skipped',
            );
        }
        cursor = page.response_metadata?.next_cursor || undefined;
      } while (cursor && !ctx.shutdown.aborted);
      return replies;
    },
  };
}
