// Reads bug channels and threads back from Slack for the catch-up (services/thread-catch-up.ts):
// conversations.history gives a channel's top-level messages (missed reports, and for each thread its reply count
// and latest reply), conversations.replies a whole thread (missed replies, edits, deletions). Both are Tier 3
// (about 50 a minute for the workspace), so every call waits for the notifier's shared budget first; a message
// comes back through the same parser as a message event.
import type { AppContext } from '../app-context.ts';
import { tsToDate } from '../domain/slack-refs.ts';
import type { ChannelHistory, ReadMessage, ThreadRead, ThreadReader } from '../services/thread-catch-up.ts';
import { parseMessageEvent } from './parse/message-event.ts';
import { messageTs } from './parse/slack-ids.ts';

const PAGE = 200;
/** A catch-up is background work: it waits for its turn in the budget rather than calling early. */
const BUDGET_WAIT_MS = 120_000;

type RawMessage = {
  ts?: unknown;
  subtype?: unknown;
  latest_reply?: unknown;
  reply_count?: unknown;
  edited?: { ts?: unknown } | null;
};

export function createSlackThreadReader(ctx: AppContext): ThreadReader {
  const tsOrNull = (value: unknown) => {
    const parsed = messageTs.safeParse(value);
    return parsed.success ? parsed.data : null;
  };

  /** One message as the catch-up reads it, or null (with a warning) when it is not what Slack sends. */
  function read(channelId: string, raw: RawMessage): ReadMessage | null {
    const ts = tsOrNull(raw.ts);
    if (!ts) return null;
    const parsed = parseMessageEvent({ ...raw, channel: channelId }, ctx.clock());
    if (parsed.kind === 'invalid')
      ctx.logger.warn({ channel: channelId, reason: parsed.reason }, 'a message read back is not what Slack sends');
    const editedTs = raw.edited ? tsOrNull(raw.edited.ts) : null;
    return {
      ts,
      message: parsed.kind === 'posted' ? parsed.message : null,
      editedAt: editedTs ? tsToDate(editedTs) : null,
      deleted: raw.subtype === 'tombstone',
    };
  }

  return {
    async history(channelId, oldestTs) {
      const history: ChannelHistory = { entries: [], complete: false };
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
        for (const raw of (page.messages ?? []) as RawMessage[]) {
          const message = read(channelId, raw);
          if (!message) continue;
          const count = Number(raw.reply_count ?? 0);
          history.entries.push({
            ...message,
            latestReply: tsOrNull(raw.latest_reply),
            replyCount: Number.isSafeInteger(count) && count > 0 ? count : 0,
          });
        }
        cursor = page.response_metadata?.next_cursor || undefined;
        if (!cursor) history.complete = true;
      } while (cursor && !ctx.shutdown.aborted);
      return history;
    },

    async thread(channelId, threadTs) {
      const thread: ThreadRead = { found: true, parent: null, replies: [], complete: false };
      let cursor: string | undefined;
      do {
        await ctx.notifier.awaitBudget('conversations.replies', BUDGET_WAIT_MS);
        const page = await ctx.slack.conversations
          .replies({ channel: channelId, ts: threadTs, limit: PAGE, ...(cursor ? { cursor } : {}) })
          .catch((error: unknown) => {
            // The report was deleted and no reply is left: Slack no longer has the thread.
            if ((error as { data?: { error?: unknown } }).data?.error === 'thread_not_found') return null;
            throw error;
          });
        if (!page) return { found: false, parent: null, replies: [], complete: false };
        for (const raw of (page.messages ?? []) as RawMessage[]) {
          const message = read(channelId, raw);
          if (!message) continue;
          if (message.ts === threadTs)
            thread.parent = message; // the parent comes first on every page
          else thread.replies.push(message);
        }
        cursor = page.response_metadata?.next_cursor || undefined;
        if (!cursor) thread.complete = true;
      } while (cursor && !ctx.shutdown.aborted);
      return thread;
    },
  };
}
