// Sends the outbox (slack_notices) after commit, at Slack's real limits: posts one in flight per channel and about
// one a second per channel, without channels holding each other up; edits (chat.update: card refreshes, "no longer
// applies") on the workspace's Tier 3 budget in a lane of their own, so a refused card update never holds a
// channel's posts; what a person waits for before the sweep's bulk; retried with backoff, every 429's Retry-After
// honoured for the method (and channel) it names, on every replica, because the budgets live in PostgreSQL. Never
// sent twice: a post carries its notice id as message metadata, so a notice whose earlier attempt may have reached
// Slack (a crash between send and bookkeeping, a timeout) is first looked for in the thread before it is posted again.

import type { EntityManager } from '@mikro-orm/postgresql';
import type { KnownBlock } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import type { Clock } from '../clock.ts';
import { BugReport, SlackNotice } from '../db/entities/index.ts';
import { NOTICE_PRIORITIES } from '../db/entities/slack-notice.entity.ts';
import type { Orm } from '../db/orm.ts';
import { bugRefFor, setCardTs } from '../db/repositories/bug-report.repository.ts';
import { duplicateSummary } from '../db/repositories/dedup.repository.ts';
import { attachImportedThread } from '../db/repositories/legacy-import.repository.ts';
import {
  countUnsent,
  findDueNoticeHeads,
  insertCardRefresh,
  leaseNotice,
  markNoticeCancelled,
  markNoticeFailed,
  markNoticeSent,
  type NoticeHead,
  nextNoticeDueAt,
  pauseChannel,
  pauseMethod,
  retryNoticeLater,
  takeMethodSlot,
} from '../db/repositories/notice.repository.ts';
import { isUnresolved } from '../domain/bug-status.ts';
import { type EngagementRule, isEngagementExempt, reportersOf } from '../domain/engagement.ts';
import { hasSlackThread, NO_SLACK_CHANNEL } from '../domain/legacy-report.ts';
import { classifySlackFailure } from '../domain/slack-errors.ts';
import type { Logger } from '../logger.ts';
import { buildBugCard, type CardDuplicates } from '../messages/bug-card.ts';
import { NOTICE_METADATA_EVENT } from '../messages/ids.ts';
import type { BudgetedMethod, Notifier } from './notifier.ts';
import { MAX_NOTICE_ATTEMPTS, retryDelayMs } from './slack-failure.ts';

export type NotifierOptions = {
  /** Slack allows about one message per second per channel. */
  channelIntervalMs?: number;
  /**
   * Time between two calls of a Tier 3 method for the whole workspace (chat.update; conversations.replies and
   * conversations.history when a retry looks for an earlier post): about 50 a minute, so 1.25 s keeps under it.
   */
  tier3IntervalMs?: number;
  /** Time between two calls of a Tier 4 method (views.publish, views.update: about 100 a minute), after a burst. */
  tier4IntervalMs?: number;
  /** How long a sender owns a notice; a crashed sender's notices are picked up after this. */
  leaseMs?: number;
  /** How often the background loop looks for retries and for notices other replicas committed. */
  pollMs?: number;
  /** Channels served at once. */
  concurrency?: number;
};

export type NotifierDeps = {
  orm: Orm;
  slack: WebClient;
  clock: Clock;
  logger: Logger;
  /** bugsweep's bot id: lets a post be recognised by author and text where Slack leaves its metadata out. */
  botId?: string;
  /** Counts each notice outcome (GET /metrics); the Web API calls are counted by the client (slack/web-client.ts). */
  metrics?: {
    notice(purpose: string, result: 'sent' | 'failed'): void;
  };
  /** Cards say whose turn it is (AUTO_CLOSE_POLICY=waiting-on-reporter). */
  showTurn?: boolean;
  /** ENGAGEMENT_EXEMPT: cards of exempt bugs say how many people they affect. */
  engagementExempt?: EngagementRule | null;
  /** SWEEP_TIMEZONE: the fallback wording of the date tokens on cards (the due time). */
  timeZone?: string;
};

/** The Web API method a delivery is calling, so a 429 pauses the budget it belongs to. */
type Call = { method: 'chat.postMessage' | 'chat.update' | 'conversations.replies' | 'conversations.history' | null };

/** A Tier 3 look-up had to wait for the workspace budget: the notice waits too, without spending an attempt. */
class BudgetWait extends Error {
  readonly ms: number;
  constructor(ms: number) {
    super('waiting for the Tier 3 budget');
    this.name = 'BudgetWait';
    this.ms = ms;
  }
}

type Delivery =
  | { kind: 'sent'; ts: string | null }
  | { kind: 'cancel'; reason: string }
  | { kind: 'wait'; ms: number; reason: string };

const WAIT_FOR_SOURCE_MS = 5_000;

export function createOutboxNotifier(deps: NotifierDeps, options: NotifierOptions = {}): Notifier {
  const channelIntervalMs = options.channelIntervalMs ?? 1_000;
  const tier3IntervalMs = options.tier3IntervalMs ?? 1_250;
  const tier4IntervalMs = options.tier4IntervalMs ?? 650;
  const leaseMs = options.leaseMs ?? 60_000;
  const pacing = { channelIntervalMs, updateIntervalMs: tier3IntervalMs, leaseMs };
  const pollMs = options.pollMs ?? 5_000;
  const concurrency = options.concurrency ?? 8;
  const log = deps.logger.child({ component: 'notifier' });

  let running: Promise<void> | null = null;
  /** The workspace took bugsweep's access away: nothing more is sent until a restart (services/slack-access.ts). */
  let suspended = false;
  let again = false;
  let timer: NodeJS.Timeout | null = null;
  let started = false;

  /** Sends what can be sent now, channel by channel, until nothing due is left that may be sent now. */
  async function drainNow(): Promise<void> {
    for (;;) {
      const now = deps.clock();
      const heads = await findDueNoticeHeads(deps.orm.em.fork(), now, concurrency);
      if (heads.length === 0) return;
      const leased: { notice: SlackNotice; head: NoticeHead }[] = [];
      for (const head of heads) {
        const notice = await deps.orm.em.fork().transactional((em) => leaseNotice(em, head, now, pacing));
        if (notice) leased.push({ notice, head });
      }
      if (leased.length === 0) return;
      // One failing bookkeeping write must not cut the others' sends short.
      const results = await Promise.allSettled(leased.map(({ notice, head }) => sendOne(notice, head)));
      for (const result of results)
        if (result.status === 'rejected')
          log.error({ err: result.reason }, 'finishing a notice failed; its lease will expire and it is retried');
    }
  }

  async function sendOne(notice: SlackNotice, head: NoticeHead): Promise<void> {
    const noticeLog = log.child({
      noticeId: notice.id,
      purpose: notice.purpose,
      channel: notice.channelId,
      ...(notice.bugId ? { bugId: notice.bugId } : {}),
    });
    const em = deps.orm.em.fork();
    const call: Call = { method: null };
    let delivery: Delivery;
    try {
      delivery = await deliver(em, notice, call);
    } catch (error) {
      const now = deps.clock();
      if (error instanceof BudgetWait) {
        delivery = { kind: 'wait', ms: error.ms, reason: error.message };
      } else {
        await recordFailure(em, notice, head, call, error, now, noticeLog);
        return;
      }
    }
    const now = deps.clock();
    switch (delivery.kind) {
      case 'sent':
        deps.metrics?.notice(notice.purpose, 'sent');
        await em.transactional(async (tx) => {
          await markNoticeSent(tx, notice.id, delivery.ts, now);
          if (notice.purpose === 'card' && notice.bugId && delivery.ts) await setCardTs(tx, notice.bugId, delivery.ts);
          if (notice.purpose === 'thread_root' && notice.bugId && delivery.ts) {
            // The imported bug takes the thread just started; its card follows there before the next root message
            // of the channel (interactive: a thread never waits long without its card).
            const bug = { id: notice.bugId, channelId: notice.channelId, threadTs: delivery.ts };
            if (await attachImportedThread(tx, bug, now))
              await insertCardRefresh(tx, bug, now, NOTICE_PRIORITIES.interactive);
            else noticeLog.warn({ ts: delivery.ts }, 'the imported bug had a Slack thread already; this post is spare');
          }
        });
        noticeLog.debug({ ts: delivery.ts }, 'notice sent');
        return;
      case 'cancel':
        await markNoticeCancelled(em, notice.id, delivery.reason);
        noticeLog.debug({ reason: delivery.reason }, 'notice cancelled');
        return;
      case 'wait':
        await em.transactional((tx) =>
          retryNoticeLater(tx, notice.id, new Date(now.getTime() + delivery.ms), delivery.reason, false),
        );
    }
  }

  /** A send that failed: wait out a 429 on the budget it names, give up on a permanent error, or back off. */
  async function recordFailure(
    em: EntityManager,
    notice: SlackNotice,
    head: NoticeHead,
    call: Call,
    error: unknown,
    now: Date,
    noticeLog: Logger,
  ): Promise<void> {
    const failure = classifySlackFailure(error);
    if (failure.kind === 'rate_limited') {
      const until = new Date(now.getTime() + failure.retryAfterMs);
      const method = call.method ?? (head.lane === 'post' ? 'chat.postMessage' : 'chat.update');
      noticeLog.warn(
        { retryAfterMs: failure.retryAfterMs, method },
        method === 'chat.postMessage'
          ? 'Slack rate-limited posts in this channel; the notice waits'
          : `Slack rate-limited ${method} for the workspace; the notice waits`,
      );
      await em.transactional(async (tx) => {
        if (method === 'chat.postMessage') await pauseChannel(tx, notice.channelId, until);
        else await pauseMethod(tx, method, until);
        await retryNoticeLater(tx, notice.id, until, failure.reason, false);
      });
    } else if (failure.kind === 'permanent') {
      noticeLog.warn({ reason: failure.reason }, 'Slack refused the notice for good; it is marked failed');
      deps.metrics?.notice(notice.purpose, 'failed');
      await markNoticeFailed(em, notice.id, failure.reason);
    } else if (notice.attempts >= MAX_NOTICE_ATTEMPTS) {
      noticeLog.error(
        { reason: failure.reason, attempts: notice.attempts },
        'giving up on a notice after repeated failures',
      );
      deps.metrics?.notice(notice.purpose, 'failed');
      await markNoticeFailed(em, notice.id, `gave up after ${notice.attempts} attempts: ${failure.reason}`);
    } else {
      const delay = retryDelayMs(notice.attempts);
      noticeLog.warn(
        { reason: failure.reason, attempts: notice.attempts, retryInMs: delay },
        'notice failed; it will be retried',
      );
      await em.transactional((tx) =>
        retryNoticeLater(tx, notice.id, new Date(now.getTime() + delay), failure.reason, true),
      );
    }
  }

  async function deliver(em: EntityManager, notice: SlackNotice, call: Call): Promise<Delivery> {
    const payload = notice.payload;
    // An imported bug that is not posted to Slack has nowhere to say anything.
    if (notice.channelId === NO_SLACK_CHANNEL) return { kind: 'cancel', reason: 'the bug has no Slack thread' };
    switch (notice.purpose) {
      case 'card':
        return deliverCard(em, notice, call);
      case 'message_update': {
        const source = payload.sourceNoticeId ? await em.findOne(SlackNotice, payload.sourceNoticeId) : null;
        if (
          !source ||
          source.status === 'failed' ||
          source.status === 'cancelled' ||
          (source.status === 'sent' && !source.resultTs)
        ) {
          return { kind: 'cancel', reason: 'the message to edit had not been posted' };
        }
        if (source.status !== 'sent')
          return { kind: 'wait', ms: WAIT_FOR_SOURCE_MS, reason: 'waiting for the message to edit to be posted' };
        call.method = 'chat.update';
        await deps.slack.chat.update({
          channel: source.channelId,
          ts: source.resultTs!,
          text: payload.text,
          ...(payload.blocks ? { blocks: payload.blocks } : {}),
        });
        return { kind: 'sent', ts: source.resultTs ?? null };
      }
      case 'thread_root': {
        // An imported bug posted as a new thread: only while it still has none and there is work left on it.
        const bug = notice.bugId ? await em.findOne(BugReport, notice.bugId, { refresh: true }) : null;
        if (!bug) return { kind: 'cancel', reason: 'bug not found' };
        if (hasSlackThread(bug)) return { kind: 'cancel', reason: 'the bug has a Slack thread already' };
        if (!isUnresolved(bug.status)) return { kind: 'cancel', reason: `the bug is ${bug.status}` };
        return { kind: 'sent', ts: await post(em, notice, call, payload.text, payload.blocks) };
      }
      default:
        return { kind: 'sent', ts: await post(em, notice, call, payload.text, payload.blocks) };
    }
  }

  /** The refs of the bug a follow-up follows and of the follow-up filed for this bug, for its card. */
  async function followUpRefs(em: EntityManager, bug: BugReport) {
    const follows = bug.followUpOf ? await em.findOne(BugReport, bug.followUpOf) : null;
    const followedUpBy = await em.findOne(BugReport, { followUpOf: bug.id });
    return { followsRef: follows?.ref ?? null, followedUpByRef: followedUpBy?.ref ?? null };
  }

  async function deliverCard(em: EntityManager, notice: SlackNotice, call: Call): Promise<Delivery> {
    const bug = notice.bugId ? await em.findOne(BugReport, notice.bugId) : null;
    if (!bug) return { kind: 'cancel', reason: 'bug not found' };
    const counts = { reactions: bug.reactors, affectedReporters: bug.affectedReporters };
    const exempt = deps.engagementExempt ? isEngagementExempt(counts, deps.engagementExempt) : false;
    const card = buildBugCard(
      {
        ...bug,
        whoseTurn: deps.showTurn ? bug.turn : null,
        timeZone: deps.timeZone ?? 'UTC',
        affects: exempt ? { people: reportersOf(counts), reactions: counts.reactions } : null,
        ...(await followUpRefs(em, bug)),
      },
      await cardDuplicates(em, bug),
    );
    if (bug.cardTs) {
      try {
        call.method = 'chat.update';
        await deps.slack.chat.update({
          channel: bug.channelId,
          ts: bug.cardTs,
          text: card.text,
          blocks: card.blocks,
        });
        return { kind: 'sent', ts: bug.cardTs };
      } catch (error) {
        // Someone deleted the card: post a fresh one rather than leave the thread without it.
        if (classifySlackFailure(error).reason !== 'message_not_found') throw error;
        await em.nativeUpdate(BugReport, { id: bug.id }, { cardTs: null });
      }
    }
    return { kind: 'sent', ts: await post(em, notice, call, card.text, card.blocks) };
  }

  /** A duplicate's card names its canonical bug; a canonical bug's card counts its reports and reporters. */
  async function cardDuplicates(em: EntityManager, bug: BugReport): Promise<CardDuplicates> {
    if (bug.duplicateOfId) return { kind: 'duplicate_of', ref: bugRefFor(bug.duplicateOfId) };
    const summary = await duplicateSummary(em, bug.id);
    return { kind: 'group', occurrences: summary.occurrences, reporterIds: summary.reporterIds };
  }

  /** chat.postMessage, unless an earlier attempt of this notice already reached Slack. */
  async function post(
    em: EntityManager,
    notice: SlackNotice,
    call: Call,
    text: string,
    blocks?: KnownBlock[],
  ): Promise<string | null> {
    if (notice.attempts > 1) {
      const earlier = await findEarlierPost(em, notice, call, text);
      if (earlier) {
        log.info(
          { noticeId: notice.id, ts: earlier },
          'found the notice already posted by an earlier attempt; not posting again',
        );
        return earlier;
      }
    }
    call.method = 'chat.postMessage';
    const result = await deps.slack.chat.postMessage({
      channel: notice.channelId,
      ...(notice.threadTs ? { thread_ts: notice.threadTs } : {}),
      text,
      ...(blocks ? { blocks } : {}),
      unfurl_links: false,
      metadata: { event_type: NOTICE_METADATA_EVENT, event_payload: { notice_id: String(notice.id) } },
    });
    return result.ts ?? null;
  }

  /** Looks for an earlier attempt's post, on the workspace's Tier 3 budget of the look-up method. */
  async function findEarlierPost(
    em: EntityManager,
    notice: SlackNotice,
    call: Call,
    text: string,
  ): Promise<string | null> {
    const method = notice.threadTs ? 'conversations.replies' : 'conversations.history';
    const now = deps.clock();
    const freeAt = await em.transactional((tx) => takeMethodSlot(tx, method, now, tier3IntervalMs));
    if (freeAt) throw new BudgetWait(Math.max(freeAt.getTime() - now.getTime(), 50));
    call.method = method;
    const oldest = String(Math.floor(notice.createdAt.getTime() / 1000) - 60);
    const result = notice.threadTs
      ? await deps.slack.conversations.replies({
          channel: notice.channelId,
          ts: notice.threadTs,
          oldest,
          include_all_metadata: true,
          limit: 200,
        })
      : await deps.slack.conversations.history({
          channel: notice.channelId,
          oldest,
          include_all_metadata: true,
          limit: 200,
        });
    const messages = (result.messages ?? []) as {
      ts?: string;
      text?: string;
      bot_id?: string;
      metadata?: { event_type?: string; event_payload?: { notice_id?: string } };
    }[];
    const match =
      messages.find(
        (m) =>
          m.metadata?.event_type === NOTICE_METADATA_EVENT && m.metadata.event_payload?.notice_id === String(notice.id),
      ) ??
      // Without its metadata (a workspace that withholds it), our own post with the very same text is this notice.
      messages.find((m) => !m.metadata && deps.botId && m.bot_id === deps.botId && m.text === text);
    return match?.ts ?? null;
  }

  function kick(): void {
    if (suspended) return;
    if (running) {
      again = true;
      return;
    }
    running = (async () => {
      do {
        again = false;
        try {
          await drainNow();
        } catch (error) {
          log.error({ err: error }, 'sending the outbox failed; it will be tried again');
        }
      } while (again);
    })().finally(() => {
      running = null;
      if (started) schedule();
    });
  }

  function schedule(): void {
    if (timer) clearTimeout(timer);
    void nextNoticeDueAt(deps.orm.em.fork())
      .catch(() => null)
      .then((dueAt) => {
        if (!started) return;
        const wait = dueAt ? Math.min(Math.max(dueAt.getTime() - deps.clock().getTime(), 50), pollMs) : pollMs;
        if (timer) clearTimeout(timer);
        timer = setTimeout(kick, wait);
        timer.unref();
      });
  }

  /** Tier 4 allows short bursts: a few App Home views at once go straight out. */
  const TIER4_BURST = 5;

  async function awaitBudget(method: BudgetedMethod, maxWaitMs = 2_000): Promise<boolean> {
    const deadline = Date.now() + maxWaitMs;
    for (;;) {
      const now = deps.clock();
      const tier3 = method === 'conversations.history' || method === 'conversations.replies';
      const freeAt = await deps.orm.em
        .fork()
        .transactional((em) =>
          tier3
            ? takeMethodSlot(em, method, now, tier3IntervalMs)
            : takeMethodSlot(em, method, now, tier4IntervalMs, TIER4_BURST),
        );
      if (!freeAt) return true;
      const wait = Math.max(freeAt.getTime() - now.getTime(), 20);
      if (Date.now() + wait > deadline) {
        log.warn({ method }, 'the Web API budget of this method is spent; calling anyway');
        return false;
      }
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }

  return {
    kick,
    awaitBudget,
    async drain() {
      kick();
      while (running) await running;
    },
    async flush(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        kick();
        while (running) await running;
        const dueAt = await nextNoticeDueAt(deps.orm.em.fork());
        if (!dueAt) return 0;
        const wait = Math.max(dueAt.getTime() - deps.clock().getTime(), 50);
        if (Date.now() + wait > deadline) return countUnsent(deps.orm.em.fork());
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    },
    start() {
      started = true;
      kick();
    },
    async suspend() {
      suspended = true;
      await this.stop();
    },
    async stop() {
      started = false;
      if (timer) clearTimeout(timer);
      timer = null;
      while (running) await running;
    },
  };
}
