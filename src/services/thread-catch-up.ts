// Catching up on what was missed (issue 12): replies posted in open bugs' threads while the bot was stopped, or
// while the database could not store them, are read back from Slack and stored exactly once. On start-up, and
// whenever the database answers again after a message could not be stored, every unresolved bug's thread is marked
// (bug_reports.catch_up_due_at, so no sweep warns, closes or releases it meanwhile), then each bug channel's history
// says which threads have newer replies than the newest one stored, and only those threads are read. Slack is read
// at Tier 3 through the notifier's shared budget; each reply goes through recordPostedMessage, as if its event had
// arrived, and bug_conversations' unique (channel, ts) keeps a reply that also arrives as an event to one row.
import type { AppContext } from '../app-context.ts';
import { isDatabaseReachable } from '../db/orm.ts';
import {
  findThreadsToCatchUp,
  finishThreadCatchUp,
  markThreadsForCatchUp,
  type ThreadToCatchUp,
} from '../db/repositories/catch-up.repository.ts';
import { classifySlackFailure } from '../domain/slack-errors.ts';
import { compareSlackTs } from '../domain/slack-refs.ts';
import { type PostedMessage, recordPostedMessage } from './thread-messages.ts';

/** Reads bug threads from Slack (src/slack/thread-reader.ts); paced by the caller's budget, paged to the end. */
export type ThreadReader = {
  /** Top-level messages of the channel since `oldestTs` (inclusive): each one's ts and its latest reply's ts. */
  latestReplies(channelId: string, oldestTs: string): Promise<Map<string, string | null>>;
  /** The thread's replies after `afterTs`, oldest first, as posted messages (the parent left out). */
  repliesAfter(channelId: string, threadTs: string, afterTs: string): Promise<PostedMessage[]>;
};

export type ThreadCatchUp = {
  /** Marks every unresolved bug's thread and starts reading them in the background (start-up). Resolves once marked. */
  start(): Promise<void>;
  /** A message could not be stored: once the database answers again, mark and read every thread again. */
  storeFailed(): void;
  /** Stops between two reads; resolves when the loop has stopped. */
  stop(): Promise<void>;
  /** Resolves when nothing is being caught up (tests). */
  idle(): Promise<void>;
};

export type ThreadCatchUpOptions = {
  /** How often the database is asked whether it is back, after a failed store. */
  probeMs?: number;
  /** How long to wait before reading again after Slack failed (a 429's Retry-After when longer). */
  retryMs?: number;
  /** Threads read from the database per round. */
  batch?: number;
};

/** What a caught-up thread adds: how many missed replies were stored. */
type Round = { threads: number; stored: number; failed: boolean };

export function createThreadCatchUp(
  ctx: AppContext,
  reader: ThreadReader,
  options: ThreadCatchUpOptions = {},
): ThreadCatchUp {
  const probeMs = options.probeMs ?? 1_000;
  const retryMs = options.retryMs ?? 30_000;
  const batch = options.batch ?? 500;
  const log = ctx.logger.child({ component: 'catch-up' });
  let stopped = false;
  let markNeeded = false;
  let readNeeded = false;
  let running: Promise<void> | null = null;
  let wake: (() => void) | null = null;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      timer.unref();
      function done() {
        clearTimeout(timer);
        wake = null;
        resolve();
      }
      wake = done;
    });

  function kick(): void {
    if (stopped) return;
    wake?.();
    if (running) return;
    running = loop().finally(() => {
      running = null;
      if (!stopped && (markNeeded || readNeeded)) kick();
    });
  }

  async function loop(): Promise<void> {
    while (!stopped && (markNeeded || readNeeded)) {
      try {
        if (markNeeded) {
          if (!(await isDatabaseReachable(ctx.orm))) {
            await sleep(probeMs);
            continue;
          }
          markNeeded = false;
          readNeeded = true;
          const marked = await markThreadsForCatchUp(ctx.orm.em.fork());
          log.info({ threads: marked }, 'the database answers again: reading open bugs’ threads for missed replies');
        }
        const round = await readMarkedThreads();
        if (round.failed) await sleep(retryMs);
        else if (round.threads < batch) readNeeded = false;
        if (round.stored > 0) log.info(round, 'caught up on replies missed while the bot could not store them');
      } catch (error) {
        // The database went away again mid-way: what is still marked is read once it is back.
        log.warn({ err: error }, 'catching up on missed replies failed; trying again once the database answers');
        markNeeded = true;
        await sleep(probeMs);
      }
    }
  }

  async function readMarkedThreads(): Promise<Round> {
    const { readAt, threads } = await findThreadsToCatchUp(ctx.orm.em.fork(), batch);
    const round: Round = { threads: threads.length, stored: 0, failed: false };
    const byChannel = Map.groupBy(threads, (thread) => thread.channelId);
    for (const [channelId, channelThreads] of byChannel) {
      if (stopped || ctx.shutdown.aborted) break;
      try {
        round.stored += await catchUpChannel(channelId, channelThreads, readAt);
      } catch (error) {
        const failure = classifySlackFailure(error);
        if (failure.kind === 'permanent') {
          // No retry can read this channel (archived, the bot removed): its threads are left as they are.
          log.warn({ channel: channelId, reason: failure.reason }, 'cannot read a bug channel to catch up; skipped');
          for (const thread of channelThreads) await finishThreadCatchUp(ctx.orm.em.fork(), thread.bugId, readAt);
          continue;
        }
        if (isSlackError(error)) {
          log.warn({ channel: channelId, reason: failure.reason }, 'reading a bug channel failed; trying again later');
          round.failed = true;
          continue;
        }
        throw error;
      }
    }
    return round;
  }

  async function catchUpChannel(channelId: string, threads: ThreadToCatchUp[], readAt: string): Promise<number> {
    const oldest = threads.map((thread) => thread.threadTs).sort(compareSlackTs)[0]!;
    const latest = await reader.latestReplies(channelId, oldest);
    let stored = 0;
    for (const thread of threads) {
      if (stopped || ctx.shutdown.aborted) break;
      const latestReply = latest.get(thread.threadTs) ?? null;
      const storedUpTo = thread.latestStoredTs ?? thread.threadTs;
      if (latestReply && compareSlackTs(latestReply, storedUpTo) > 0) {
        for (const reply of await reader.repliesAfter(channelId, thread.threadTs, storedUpTo)) {
          const outcome = await recordPostedMessage(ctx, reply);
          if (outcome.kind === 'stored') stored += 1;
        }
      }
      await finishThreadCatchUp(ctx.orm.em.fork(), thread.bugId, readAt);
    }
    return stored;
  }

  return {
    async start() {
      stopped = false;
      await markThreadsForCatchUp(ctx.orm.em.fork());
      readNeeded = true;
      kick();
    },
    storeFailed() {
      if (markNeeded) return;
      markNeeded = true;
      kick();
    },
    async stop() {
      stopped = true;
      wake?.();
      while (running) await running;
    },
    async idle() {
      while (running) await running;
    },
  };
}

function isSlackError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('slack_');
}
