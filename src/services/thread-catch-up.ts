// Catching up on what was missed (issue 12): what was posted, edited or deleted in bug channels while the bot was
// stopped, or while the database could not store it, is read back from Slack and applied exactly once. On start-up,
// and whenever the database answers again after a message could not be stored, every unresolved bug's thread is
// marked (bug_reports.catch_up_due_at, so no sweep warns, closes or releases it meanwhile) and every bug channel's
// history is read: from the later of what a complete read saw (bug_channel_catch_up) and the newest message a person
// posted there that is stored, both as they stood when the threads were marked (a live message stored after that,
// while other channels are still being read, must not hide a report missed before it), or earlier from the first
// message that failed to store (remembered in memory), and back to the oldest marked thread. A missed top-level report
// goes through recordPostedMessage as its event would have (the intake: one bug per channel and ts, its card,
// fingerprints), edited reports take their current text, and a thread whose reply count or latest reply differs from
// what is stored is read whole: missed replies stored, edits applied, replies Slack no longer returns marked deleted
// (only within the range the read covered). Slack is read at Tier 3 through the notifier's shared budget; unique keys
// keep what replicas or redelivered events also store to one row.
import type { AppContext } from '../app-context.ts';
import { isDatabaseReachable } from '../db/orm.ts';
import {
  findChannelReadFrom,
  findStoredThreadMessages,
  findThreadOfMessage,
  findThreadsToCatchUp,
  finishThreadCatchUp,
  markThreadsForCatchUp,
  recordChannelSeen,
  type ThreadToCatchUp,
} from '../db/repositories/catch-up.repository.ts';
import { classifySlackFailure } from '../domain/slack-errors.ts';
import { compareSlackTs, dateToTs } from '../domain/slack-refs.ts';
import {
  type PostedMessage,
  recordMessageDeletion,
  recordMessageEdit,
  recordPostedMessage,
} from './thread-messages.ts';

/** One message read back, parsed as its event would be. */
export type ReadMessage = {
  ts: string;
  /** What it says, as a message event would carry it; null for what is not said by anyone (joins, tombstones). */
  message: PostedMessage | null;
  /** Set when it was edited: `message.text` is the current text. */
  editedAt: Date | null;
  /** A deleted thread parent Slack keeps while it has replies. */
  deleted: boolean;
};

/** A channel's top-level messages since some ts (inclusive), newest first, and whether every page was read. */
export type ChannelHistory = {
  entries: (ReadMessage & { latestReply: string | null; replyCount: number })[];
  complete: boolean;
};

/** A whole thread; `complete` when it was read to its last page (pages run oldest first). */
export type ThreadRead = { found: boolean; parent: ReadMessage | null; replies: ReadMessage[]; complete: boolean };

/** Reads bug channels and threads from Slack (src/slack/thread-reader.ts); paced by the caller's budget. */
export type ThreadReader = {
  history(channelId: string, oldestTs: string): Promise<ChannelHistory>;
  thread(channelId: string, threadTs: string): Promise<ThreadRead>;
};

/** A message event that could not be stored: where it was, so the catch-up reads from there. */
export type MissedMessage = { channelId: string; ts: string; threadTs: string | null };

export type ThreadCatchUp = {
  /** Marks every unresolved bug's thread and starts reading them in the background (start-up). Resolves once marked. */
  start(): Promise<void>;
  /** A message could not be stored: once the database answers again, mark and read every thread again. */
  storeFailed(missed?: MissedMessage): void;
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

/** What a round of catching up did. */
type Round = {
  threads: number;
  stored: number;
  reports: number;
  edited: number;
  deleted: number;
  failed: boolean;
  /** The longest Retry-After Slack asked for in this round (0 when none did). */
  retryAfterMs: number;
};

/** Messages of one channel that could not be stored since it was last read back (kept in memory until then). */
type Missed = { floorTs: string; messages: MissedMessage[] };

/** At most this many missed messages are remembered per channel; the floor keeps covering the rest. */
const MISSED_KEPT = 1_000;
/**
 * A message stored in the last minute before a thread is read is not taken for deleted when Slack does not return
 * it: the two clocks may disagree by that much. It is looked at again on the next catch-up.
 */
const CLOCK_MARGIN_MS = 60_000;

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
  /**
   * Bug channels whose history is still to be read for missed reports in this catch-up, each with where that read
   * starts as it stood when the catch-up began (findChannelReadFrom).
   */
  const pendingChannels = new Map<string, string | null>();
  const missed = new Map<string, Missed>();

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

  /** Where each bug channel's history is read from is taken now, before anything else is stored there. */
  async function readAllChannels(): Promise<void> {
    for (const channelId of ctx.config.bugChannels) {
      if (!pendingChannels.has(channelId))
        pendingChannels.set(channelId, await findChannelReadFrom(ctx.orm.em.fork(), channelId));
    }
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
          await readAllChannels();
          const marked = await markThreadsForCatchUp(ctx.orm.em.fork());
          log.info({ threads: marked }, 'the database answers again: reading open bugs’ threads for missed replies');
        }
        const round = await readMarkedThreads();
        if (round.failed) await sleep(Math.max(retryMs, round.retryAfterMs));
        else if (round.threads < batch && pendingChannels.size === 0 && missed.size === 0) readNeeded = false;
        if (round.stored + round.reports + round.edited + round.deleted > 0)
          log.info(round, 'caught up on messages missed while the bot could not store them');
      } catch (error) {
        // The database went away again mid-way: what is still marked is read once it is back.
        log.warn({ err: error }, 'catching up on missed messages failed; trying again once the database answers');
        markNeeded = true;
        await sleep(probeMs);
      }
    }
  }

  async function readMarkedThreads(): Promise<Round> {
    const { readAt, threads } = await findThreadsToCatchUp(ctx.orm.em.fork(), batch);
    const round: Round = {
      threads: threads.length,
      stored: 0,
      reports: 0,
      edited: 0,
      deleted: 0,
      failed: false,
      retryAfterMs: 0,
    };
    const byChannel = Map.groupBy(threads, (thread) => thread.channelId);
    const channels = new Set([...pendingChannels.keys(), ...missed.keys(), ...byChannel.keys()]);
    for (const channelId of channels) {
      if (stopped || ctx.shutdown.aborted) break;
      const channelThreads = byChannel.get(channelId) ?? [];
      const missedHere = missed.get(channelId);
      try {
        await catchUpChannel(channelId, channelThreads, readAt, missedHere, round);
        forgetChannel(channelId, missedHere);
      } catch (error) {
        const failure = classifySlackFailure(error);
        if (failure.kind === 'permanent') {
          // No retry can read this channel (archived, the bot removed): its threads are left as they are.
          log.warn({ channel: channelId, reason: failure.reason }, 'cannot read a bug channel to catch up; skipped');
          for (const thread of channelThreads) await finishThreadCatchUp(ctx.orm.em.fork(), thread.bugId, readAt);
          forgetChannel(channelId, missedHere);
          continue;
        }
        if (isSlackError(error)) {
          log.warn({ channel: channelId, reason: failure.reason }, 'reading a bug channel failed; trying again later');
          round.failed = true;
          if (failure.kind === 'rate_limited') {
            round.retryAfterMs = Math.max(round.retryAfterMs, failure.retryAfterMs);
            // Every channel is read through the same Tier 3 limit: the next one would be refused too.
            break;
          }
          continue;
        }
        throw error;
      }
    }
    return round;
  }

  function forgetChannel(channelId: string, missedHere: Missed | undefined): void {
    pendingChannels.delete(channelId);
    // A message that failed while the channel was being read is read back next time.
    if (missed.get(channelId) === missedHere) missed.delete(channelId);
  }

  /**
   * One channel: its history since the later of what was seen and what is stored (earlier when a message failed to
   * be stored), so missed top-level reports become bugs as their events would have made them; then each marked
   * thread whose reply count or latest reply in Slack differs from what is stored (or where a message failed) is
   * read whole: missed replies stored, edits applied, deletions marked.
   */
  async function catchUpChannel(
    channelId: string,
    threads: ThreadToCatchUp[],
    readAt: string,
    missedHere: Missed | undefined,
    round: Round,
  ): Promise<void> {
    const em = ctx.orm.em.fork();
    const isBugChannel = ctx.config.bugChannels.includes(channelId);
    let from: string | null = null;
    if (isBugChannel)
      from = pendingChannels.has(channelId)
        ? (pendingChannels.get(channelId) ?? null)
        : await findChannelReadFrom(em, channelId);
    if (isBugChannel && from === null && !missedHere) {
      // Met for the first time with nothing stored: watched from now on, nothing earlier is a report.
      await recordChannelSeen(em, channelId, dateToTs(ctx.clock()));
    }
    if (missedHere) from = from === null ? missedHere.floorTs : earliest(from, missedHere.floorTs);
    const starts = [...(from ? [from] : []), ...threads.map((thread) => thread.threadTs)];
    if (starts.length === 0) return;
    const history = await reader.history(channelId, starts.reduce(earliest));
    const entries = history.entries.toSorted((a, b) => compareSlackTs(a.ts, b.ts));

    // Top-level messages posted since: each goes where its event would have gone (a report files a bug, exactly
    // once: bug_reports is unique per channel and thread). A bug filed here is marked until its thread is read.
    const filed: number[] = [];
    if (isBugChannel && from !== null) {
      for (const entry of entries) {
        if (stopped || ctx.shutdown.aborted) return;
        if (!entry.message || compareSlackTs(entry.ts, from) < 0) continue;
        const outcome = await recordPostedMessage(ctx, entry.message, { readBack: true });
        if (outcome.kind === 'bug_created') {
          filed.push(outcome.bugId);
          round.reports += 1;
        } else if (outcome.kind === 'stored') round.stored += 1;
      }
    }
    // Reports edited or deleted meanwhile (history carries their current text, or a tombstone).
    for (const entry of entries) {
      if (entry.deleted) {
        if (await recordMessageDeletion(ctx, { channelId, ts: entry.ts, deletedAt: ctx.clock() })) round.deleted += 1;
      } else if (entry.editedAt && entry.message) {
        const edit = { channelId, ts: entry.ts, text: entry.message.text, editedAt: entry.editedAt };
        if (await recordMessageEdit(ctx, edit)) round.edited += 1;
      }
    }

    const byTs = new Map(entries.map((entry) => [entry.ts, entry]));
    const forced = new Set<string>();
    for (const message of missedHere?.messages ?? []) {
      if (message.threadTs) forced.add(message.threadTs);
      const owner = await findThreadOfMessage(em, channelId, message.ts);
      if (owner) forced.add(owner.threadTs);
    }
    const fresh = filed.length > 0 ? await findThreadsToCatchUp(em, filed.length, filed) : null;
    const toRead = [
      ...threads.map((thread) => ({ thread, readAt })),
      ...(fresh?.threads ?? []).map((thread) => ({ thread, readAt: fresh!.readAt })),
    ];
    for (const { thread, readAt: threadReadAt } of toRead) {
      if (stopped || ctx.shutdown.aborted) return;
      const entry = byTs.get(thread.threadTs);
      const changed =
        entry !== undefined &&
        (entry.replyCount !== thread.liveReplies ||
          compareSlackTs(entry.latestReply ?? '0.0', thread.latestLiveReplyTs ?? '0.0') !== 0);
      if (changed || forced.has(thread.threadTs)) await readThread(channelId, thread, round);
      await finishThreadCatchUp(ctx.orm.em.fork(), thread.bugId, threadReadAt);
    }

    // Complete: every top-level message up to the newest one read has been handled.
    const newest = entries.at(-1);
    if (isBugChannel && history.complete && newest && from !== null)
      await recordChannelSeen(ctx.orm.em.fork(), channelId, newest.ts);
  }

  /** The whole thread against what is stored: missed replies stored, edits applied, deletions marked. */
  async function readThread(channelId: string, thread: ThreadToCatchUp, round: Round): Promise<void> {
    const read = await reader.thread(channelId, thread.threadTs);
    if (!read.found || !read.parent) return; // nothing Slack returned says what is in the thread
    const stored = new Map(
      (await findStoredThreadMessages(ctx.orm.em.fork(), thread.bugId)).map((row) => [row.ts, row]),
    );
    for (const reply of read.replies) {
      if (stopped || ctx.shutdown.aborted) return;
      if (!reply.message || stored.has(reply.ts)) continue;
      const outcome = await recordPostedMessage(ctx, reply.message, { readBack: true });
      if (outcome.kind === 'stored') round.stored += 1;
    }
    for (const message of [read.parent, ...read.replies]) {
      const row = stored.get(message.ts);
      if (message.deleted && row && !row.deleted) {
        if (await recordMessageDeletion(ctx, { channelId, ts: message.ts, deletedAt: ctx.clock() })) round.deleted += 1;
      } else if (message.editedAt && message.message && row && !row.deleted && row.text !== message.message.text) {
        const edit = { channelId, ts: message.ts, text: message.message.text, editedAt: message.editedAt };
        if (await recordMessageEdit(ctx, edit)) round.edited += 1;
      }
    }
    // Deleted replies are simply gone from conversations.replies. Only the range the read covers in full is judged:
    // up to the last reply returned, or, read to its last page, up to a minute before now.
    const lastRead = read.replies.at(-1)?.ts ?? thread.threadTs;
    const coveredTo = read.complete
      ? latest(lastRead, dateToTs(new Date(ctx.clock().getTime() - CLOCK_MARGIN_MS)))
      : lastRead;
    const returned = new Set([read.parent.ts, ...read.replies.map((reply) => reply.ts)]);
    for (const row of stored.values()) {
      if (row.deleted || returned.has(row.ts)) continue;
      if (compareSlackTs(row.ts, thread.threadTs) <= 0 || compareSlackTs(row.ts, coveredTo) > 0) continue;
      if (await recordMessageDeletion(ctx, { channelId, ts: row.ts, deletedAt: ctx.clock() })) round.deleted += 1;
    }
  }

  return {
    async start() {
      stopped = false;
      await markThreadsForCatchUp(ctx.orm.em.fork());
      await readAllChannels();
      readNeeded = true;
      kick();
    },
    storeFailed(message) {
      if (message) {
        const known = missed.get(message.channelId);
        missed.set(message.channelId, {
          floorTs: known ? earliest(known.floorTs, message.ts) : message.ts,
          messages: [...(known?.messages ?? []), message].slice(-MISSED_KEPT),
        });
      }
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

const earliest = (a: string, b: string) => (compareSlackTs(a, b) <= 0 ? a : b);
const latest = (a: string, b: string) => (compareSlackTs(a, b) >= 0 ? a : b);

function isSlackError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('slack_');
}
