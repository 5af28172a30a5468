// Every message in a bug thread becomes one bug_conversations row with its sender type; a top-level message
// from a person in a bug channel becomes a bug. Edits update the row (not activity); deletions take it away.
import type { AppContext } from '../app-context.ts';
import { findBugByThread, lockBug } from '../db/repositories/bug-report.repository.ts';
import {
  DEVELOPERS_UNKNOWN,
  findConversation,
  insertConversationOnce,
  storeReplyWithActivity,
} from '../db/repositories/conversation.repository.ts';
import { recordTelemetryIds } from '../db/repositories/telemetry.repository.ts';
import { countsAsActivity } from '../domain/bug-activity.ts';
import { extractTelemetry, extractTelemetryIds, titleFromText } from '../domain/report-text.ts';
import { classifySender, type SenderType } from '../domain/sender-type.ts';
import { tsToDate } from '../domain/slack-refs.ts';
import { bugLogger } from '../logger.ts';
import { applyBugActivity, recomputeBugActivity } from './bug-activity.ts';
import { createBug } from './bug-intake.ts';
import { regroupEditedReport } from './duplicates.ts';
import { noteBystanderReply } from './engagement.ts';
import { type FollowUpOffer, offerFollowUp } from './follow-ups.ts';

/** A failure while handling a message of a known bug: carries the bug's id so the log line names it. */
export class BugMessageError extends Error {
  readonly bugId: number;
  constructor(bugId: number, cause: unknown) {
    super(`handling a message of bug ${bugId} failed: ${(cause as Error)?.message ?? String(cause)}`, { cause });
    this.name = 'BugMessageError';
    this.bugId = bugId;
  }
}

export type PostedMessage = {
  channelId: string;
  ts: string;
  /** Set for replies (and thread broadcasts); null or equal to ts for a top-level message. */
  threadTs: string | null;
  userId: string | null;
  isBot: boolean;
  botId: string | null;
  text: string;
  subtype: string | null;
  fileNames: string[];
};

export type PostedOutcome =
  | { kind: 'bug_created'; bugId: number }
  | { kind: 'stored'; bugId: number; senderType: SenderType; followUpOffer?: FollowUpOffer | null }
  | { kind: 'duplicate'; bugId: number }
  | { kind: 'ignored'; reason: string };

export type PostedOptions = {
  /** Read back from Slack by the catch-up: a bug it files stays marked until its thread is read back too. */
  readBack?: boolean;
};

export async function recordPostedMessage(
  ctx: AppContext,
  message: PostedMessage,
  options: PostedOptions = {},
): Promise<PostedOutcome> {
  try {
    return await recordPosted(ctx, message, options);
  } catch (error) {
    // Not stored: the channel and threads are read back once the database answers (thread-catch-up.ts).
    ctx.catchUp.storeFailed({ channelId: message.channelId, ts: message.ts, threadTs: message.threadTs });
    throw error;
  }
}

async function recordPosted(ctx: AppContext, message: PostedMessage, options: PostedOptions): Promise<PostedOutcome> {
  const isTopLevel = !message.threadTs || message.threadTs === message.ts;
  if (isTopLevel) return intakeTopLevel(ctx, message, options);
  const { outcome, closedAt } = await storeReply(ctx, message);
  // ENGAGEMENT_EXEMPT: a bystander saying they are affected too is counted (services/engagement.ts).
  if (outcome.kind === 'stored' && outcome.senderType === 'other' && message.userId) {
    await noteBystanderReply(ctx, {
      bugId: outcome.bugId,
      userId: message.userId,
      text: message.text,
      at: tsToDate(message.ts),
    });
  }
  // A late reply in the thread of a bug closed long ago: its author is offered a follow-up, once.
  // Only a bug that is closed can owe one: when the store already said it is not, nothing is read.
  if (outcome.kind === 'stored' && message.userId && closedAt !== null) {
    const offer = await offerFollowUp(ctx, {
      bugId: outcome.bugId,
      userId: message.userId,
      senderType: outcome.senderType,
      replyTs: message.ts,
      at: tsToDate(message.ts),
    });
    if (offer) return { ...outcome, followUpOffer: offer };
  }
  return outcome;
}

async function intakeTopLevel(ctx: AppContext, message: PostedMessage, options: PostedOptions): Promise<PostedOutcome> {
  if (!ctx.config.bugChannels.includes(message.channelId)) return { kind: 'ignored', reason: 'not a bug channel' };
  if (message.isBot || !message.userId) return { kind: 'ignored', reason: 'bot message' };
  const text = message.text.trim() || message.fileNames.join(', ');
  const result = await createBug(ctx, {
    channelId: message.channelId,
    threadTs: message.ts,
    title: titleFromText(text, message.fileNames[0] ?? 'Untitled bug report'),
    description: message.text,
    severity: 'medium',
    reporterId: message.userId,
    createdAt: tsToDate(message.ts),
    telemetry: extractTelemetry(message.text),
    source: 'channel',
    rootMessage: { senderId: message.userId, text: message.text },
    ...(options.readBack ? { awaitsCatchUp: true } : {}),
  });
  return result.created ? { kind: 'bug_created', bugId: result.bug.id } : { kind: 'duplicate', bugId: result.bug.id };
}

/**
 * The reply stored, and when its bug was closed as the store saw it: null when it is not closed, undefined when the
 * full path stored it (which may have reopened it).
 */
async function storeReply(
  ctx: AppContext,
  message: PostedMessage,
): Promise<{ outcome: PostedOutcome; closedAt?: Date | null }> {
  const threadTs = message.threadTs ?? message.ts;
  const developers = await ctx.developers.developerIds();
  const isOwnPost = message.botId === ctx.identity.botId || message.userId === ctx.identity.botUserId;
  const messageAt = tsToDate(message.ts);
  const metadata = {
    ...(message.subtype ? { subtype: message.subtype } : {}),
    ...(message.fileNames.length > 0 ? { files: message.fileNames } : {}),
  };
  // The common case in one statement, batched with the replies arriving meanwhile (no transaction of several round trips): see
  // storeReplyWithActivity.
  // The global EntityManager only lends its connection pool here: nothing is loaded into an identity map.
  const stored = await storeReplyWithActivity(ctx.orm.em, {
    channelId: message.channelId,
    threadTs,
    slackTs: message.ts,
    userId: message.userId,
    senderId: message.userId ?? message.botId,
    isBot: message.isBot || isOwnPost,
    isDeveloper: message.userId !== null && developers.has(message.userId),
    developersUnknown: !ctx.developers.isAuthoritative(),
    text: message.text,
    messageAt,
    metadata,
    now: ctx.clock(),
    cardShowsTurn: ctx.config.autoClosePolicy === 'waiting-on-reporter',
  }).catch(async (error: unknown) => {
    // The log line names the bug, when the database can still say which one it is.
    const bug = await findBugByThread(ctx.orm.em.fork(), message.channelId, threadTs).catch(() => null);
    throw bug ? new BugMessageError(bug.id, error) : error;
  });
  // A trace id pasted into the thread later (a developer's log line) finds the bug too. Recorded again on a
  // redelivery, so ids a failed first attempt left out still arrive.
  if ((stored.kind === 'stored' || stored.kind === 'duplicate') && !message.isBot && !isOwnPost) {
    const ids = extractTelemetryIds(message.text);
    await recordTelemetryIds(ctx.orm.em.fork(), stored.bugId, ids);
  }
  switch (stored.kind) {
    case 'no_bug':
      return { outcome: { kind: 'ignored', reason: 'not a bug thread' } };
    case 'duplicate':
      return { outcome: { kind: 'duplicate', bugId: stored.bugId } };
    case 'stored':
      bugLogger(ctx.logger, { id: stored.bugId, ref: stored.bugRef }).debug(
        { ts: message.ts, senderType: stored.senderType },
        'thread message stored',
      );
      return {
        outcome: { kind: 'stored', bugId: stored.bugId, senderType: stored.senderType },
        closedAt: stored.closedAt,
      };
    case 'needs_full_path':
      return {
        outcome: await storeReplyWithEffects(ctx, stored, message, { developers, isOwnPost, messageAt, metadata }),
      };
  }
}

/**
 * A reply that withdraws a warning, a reminder or a nudge, reopens an auto-closed bug, refreshes the card or keeps
 * a duplicate's canonical bug alive: one transaction on the locked bug(s), with the notices it owes, sent after commit.
 */
async function storeReplyWithEffects(
  ctx: AppContext,
  { bugId, duplicateOfId }: { bugId: number; duplicateOfId: number | null },
  message: PostedMessage,
  known: { developers: ReadonlySet<string>; isOwnPost: boolean; messageAt: Date; metadata: Record<string, unknown> },
): Promise<PostedOutcome> {
  const outcome = await ctx.orm.em
    .fork()
    .transactional(async (tx): Promise<PostedOutcome> => {
      // A duplicate's canonical bug may be changed too (below): locked first when its id is smaller, as every
      // change of two bugs locks them, so two such changes never wait for each other.
      if (duplicateOfId && duplicateOfId < bugId) await lockBug(tx, duplicateOfId);
      // Locked: a sweep deciding about this bug right now sees this reply, or finishes before it lands.
      const bug = await lockBug(tx, bugId);
      if (!bug) return { kind: 'ignored', reason: 'not a bug thread' };
      const senderType = classifySender({
        userId: message.userId ?? undefined,
        isBot: message.isBot || known.isOwnPost,
        reporterId: bug.reporterId,
        claimantId: bug.claimantId ?? null,
        developerIds: known.developers,
      });
      const stored = await insertConversationOnce(tx, {
        bugId: bug.id,
        senderType,
        senderId: message.userId ?? message.botId,
        channelId: message.channelId,
        slackTs: message.ts,
        text: message.text,
        messageAt: known.messageAt,
        metadata: {
          ...known.metadata,
          // Told apart from developers without the user group: looked at again once it loads.
          ...(senderType === 'other' && !ctx.developers.isAuthoritative() ? { [DEVELOPERS_UNKNOWN]: true } : {}),
        },
      });
      if (!stored) return { kind: 'duplicate', bugId: bug.id };
      // A trace id pasted into the thread later (a developer's log line) finds the bug too.
      if (senderType !== 'bot') await recordTelemetryIds(tx, bug.id, extractTelemetryIds(message.text));
      if (countsAsActivity(senderType) && message.userId) {
        await applyBugActivity(tx, ctx, bug, {
          actorId: message.userId,
          at: known.messageAt,
          source: 'message',
          senderType,
        });
        // The reporter of a duplicate still talking about it in its own thread: the canonical bug is alive.
        if (bug.duplicateOfId && senderType === 'reporter') {
          const canonical = await lockBug(tx, bug.duplicateOfId);
          if (canonical) {
            await applyBugActivity(tx, ctx, canonical, {
              actorId: message.userId,
              at: known.messageAt,
              source: 'message',
              senderType: 'reporter',
            });
          }
        }
      }
      bugLogger(ctx.logger, bug).debug({ ts: message.ts, senderType }, 'thread message stored');
      return { kind: 'stored', bugId: bug.id, senderType };
    })
    .catch((error: unknown) => {
      throw new BugMessageError(bugId, error);
    });
  if (outcome.kind === 'stored') ctx.notifier.kick();
  return outcome;
}

export type MessageEdit = { channelId: string; ts: string; text: string; editedAt: Date };

/**
 * An edit changes what is stored, never when the bug was last active. An edited report (the thread's first message)
 * is the bug's description: its fingerprint is computed again and may link it to an earlier bug (duplicates.ts).
 */
export async function recordMessageEdit(ctx: AppContext, edit: MessageEdit): Promise<boolean> {
  return noteFailure(ctx, edit, () => applyEdit(ctx, edit));
}

/** Not stored: the message's thread is read back whole once the database answers (thread-catch-up.ts). */
async function noteFailure<T>(ctx: AppContext, at: { channelId: string; ts: string }, work: () => Promise<T>) {
  try {
    return await work();
  } catch (error) {
    ctx.catchUp.storeFailed({ channelId: at.channelId, ts: at.ts, threadTs: null });
    throw error;
  }
}

async function applyEdit(ctx: AppContext, edit: MessageEdit): Promise<boolean> {
  const changed = await ctx.orm.em.fork().transactional(async (em) => {
    const row = await findConversation(em, edit.channelId, edit.ts);
    if (!row || row.text === edit.text) return false;
    row.text = edit.text;
    row.editedAt = edit.editedAt;
    if (row.senderType !== 'bot') await recordTelemetryIds(em, row.bugId, extractTelemetryIds(edit.text));
    if (row.metadata.root === true) {
      const bug = await lockBug(em, row.bugId);
      if (bug && bug.channelId === edit.channelId && bug.threadTs === edit.ts) {
        bug.description = edit.text;
        bug.updatedAt = ctx.clock();
        await regroupEditedReport(em, ctx, bug);
      }
    }
    await em.flush();
    return true;
  });
  if (changed) ctx.notifier.kick();
  return changed;
}

export type MessageDeletion = { channelId: string; ts: string; deletedAt: Date };

/** A deleted message stays as a row marked deleted and no longer counts as activity. */
export async function recordMessageDeletion(ctx: AppContext, deletion: MessageDeletion): Promise<boolean> {
  return noteFailure(ctx, deletion, () => applyDeletion(ctx, deletion));
}

async function applyDeletion(ctx: AppContext, deletion: MessageDeletion): Promise<boolean> {
  const em = ctx.orm.em.fork();
  let queued = false;
  const deleted = await em.transactional(async (tx) => {
    const row = await findConversation(tx, deletion.channelId, deletion.ts);
    if (!row || row.deletedAt) return false;
    const bug = (await lockBug(tx, row.bugId))!;
    row.deletedAt = deletion.deletedAt;
    await tx.flush();
    if (countsAsActivity(row.senderType)) queued = await recomputeBugActivity(tx, ctx, bug);
    bugLogger(ctx.logger, bug).debug({ ts: deletion.ts }, 'thread message deleted');
    return true;
  });
  if (queued) ctx.notifier.kick();
  return deleted;
}
