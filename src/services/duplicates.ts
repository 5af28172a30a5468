// Duplicates: grouping a new report with an earlier one by fingerprint (inside the intake's transaction, under the
// fingerprint's lock, so two replicas taking in matching reports at once end with one group and one canonical bug),
// splitting a duplicate back out ("Not a duplicate", `/bugs split`), and merging by hand (`/bugs merge`).
import type { EntityManager } from '@mikro-orm/postgresql';
import type { AppContext } from '../app-context.ts';
import { BugReport } from '../db/entities/index.ts';
import { LOCK_KEYS, lockForTransaction } from '../db/locks.ts';
import { bugRefFor, lockBug } from '../db/repositories/bug-report.repository.ts';
import {
  adjustGroupOfCanonical,
  countOccurrence,
  duplicateSummary,
  findGroupByFingerprint,
  findNearDuplicate,
  forgetNotDuplicate,
  isNotDuplicatePair,
  moveDuplicates,
  rememberNotDuplicate,
  startGroup,
} from '../db/repositories/dedup.repository.ts';
import { actorKindOf, type BugEventType } from '../domain/bug-event-types.ts';
import { isUnresolved } from '../domain/bug-status.ts';
import { decideGrouping, mayMergeBugs, maySplitDuplicate, NEAR_DUPLICATE_SIMILARITY } from '../domain/duplicates.ts';
import { fingerprintReport, type ReportFingerprint } from '../domain/fingerprint.ts';
import type { Actor } from '../domain/lifecycle.ts';
import { bugLogger } from '../logger.ts';
import type { NoticePayload } from '../messages/blocks.ts';
import {
  buildDuplicateLinkedNotice,
  buildDuplicateNoticeSplitOut,
  buildDuplicateSplitNotice,
  buildMergedNotice,
  buildNearDuplicateNotice,
} from '../messages/duplicate-notices.ts';
import { recordEvent } from './audit.ts';
import { clearClaim, retractNotice, startDevelopersTurn, withdrawReminder, withdrawWarning } from './bug-activity.ts';
import { enqueueInThread, requestCardRefresh } from './notices.ts';
import { applySlaStatusChange } from './sla.ts';

export type GroupingOutcome = { linkedTo: BugReport } | { linkedTo: null };

/**
 * Called by the intake right after the new bug is flushed, in its transaction. Links the bug to its fingerprint
 * group's canonical bug (closing it as `duplicate`, counting the occurrence, an event on both, the "Looks like"
 * notice in its thread and a card refresh of the canonical bug), or makes it the group's canonical bug.
 */
export function groupNewBug(
  em: EntityManager,
  ctx: AppContext,
  bug: BugReport,
  fingerprint: ReportFingerprint,
): Promise<GroupingOutcome> {
  return groupBug(em, ctx, bug, fingerprint, 'new');
}

/**
 * The reporter edited the report (the thread's first message): its fingerprint is computed again, and an open,
 * unclaimed bug that now matches a live group is linked like a new report, unless someone said these two are not
 * duplicates. It never takes a live group over; it starts one only where there is none (or its bug is done).
 */
export async function regroupEditedReport(
  em: EntityManager,
  ctx: AppContext,
  bug: BugReport,
): Promise<GroupingOutcome> {
  const fingerprint = fingerprintReport({ title: bug.title, description: bug.description });
  bug.fingerprint = fingerprint?.fingerprint ?? null;
  if (!fingerprint || bug.status !== 'open' || bug.claimantId || bug.duplicateOfId) return { linkedTo: null };
  return groupBug(em, ctx, bug, fingerprint, 'edit');
}

async function groupBug(
  em: EntityManager,
  ctx: AppContext,
  bug: BugReport,
  fingerprint: ReportFingerprint,
  mode: 'new' | 'edit',
): Promise<GroupingOutcome> {
  if (ctx.config.dedupWindowMs === 0) return { linkedTo: null };
  const now = ctx.clock();
  // When this report was seen: a new one when it was posted, an edited one now.
  const seenAt = mode === 'new' ? bug.createdAt : now;
  await lockForTransaction(em, { namespace: LOCK_KEYS.fingerprint, name: fingerprint.fingerprint });
  const group = await findGroupByFingerprint(em, fingerprint.fingerprint);
  if (group?.canonicalBugId === bug.id) return { linkedTo: null };
  const canonical = group ? await em.findOne(BugReport, { id: group.canonicalBugId }, { refresh: true }) : null;
  const decision = decideGrouping({
    group,
    canonical,
    now,
    windowMs: ctx.config.dedupWindowMs,
    notDuplicate: canonical ? await isNotDuplicatePair(em, bug.id, canonical.id) : false,
  });
  if (decision.kind === 'start' || !group || !canonical) {
    const live = canonical !== null && isUnresolved(canonical.status);
    if (mode === 'new' || !live) await startGroup(em, fingerprint.fingerprint, bug.id, seenAt);
    return { linkedTo: null };
  }

  const from = bug.status;
  Object.assign(bug, { status: 'closed', closeReason: 'duplicate', closedAt: now, duplicateOfId: canonical.id });
  applySlaStatusChange(ctx, bug, from, now);
  bug.updatedAt = now;
  await withdrawWarning(em, ctx, bug, { byUserId: null, why: 'status' });
  await countOccurrence(em, fingerprint.fingerprint, seenAt);
  const metadata = {
    duplicateId: bug.id,
    duplicateRef: bug.ref,
    canonicalId: canonical.id,
    canonicalRef: canonical.ref,
    how: mode === 'new' ? 'fingerprint' : 'fingerprint_after_edit',
    fingerprint: fingerprint.fingerprint,
    basis: fingerprint.basis,
  };
  for (const bugId of [bug.id, canonical.id]) {
    recordEvent(em, { bugId, type: 'bug.duplicate_linked', actorId: null, actorKind: 'system', at: now, metadata });
  }
  await em.flush();
  const summary = await duplicateSummary(em, canonical.id);
  const notice = await enqueueInThread(
    em,
    bug,
    'thread_notice',
    buildDuplicateLinkedNotice({
      duplicate: bug,
      canonical: linkTo(ctx, canonical),
      occurrences: summary.occurrences,
      sinceLastMs: seenAt.getTime() - group.lastSeenAt.getTime(),
    }),
    now,
  );
  // A split edits this notice (its button gone): see splitDuplicate.
  bug.duplicateNoticeId = notice.id;
  await em.flush();
  if (mode === 'edit') await requestCardRefresh(em, bug, now);
  await requestCardRefresh(em, canonical, now);
  return { linkedTo: canonical };
}

export type DuplicateChangeOutcome =
  | { ok: true; bug: BugReport; canonical: BugReport }
  | { ok: false; message: string };

async function actorFor(ctx: AppContext, userId: string): Promise<Actor> {
  return {
    id: userId,
    isDeveloper: await ctx.developers.isDeveloper(userId),
    isAdmin: ctx.config.adminUsers.includes(userId),
  };
}

/** Locks both bugs, the smaller id first, so two changes of the same pair never deadlock. */
async function lockPair(em: EntityManager, a: number, b: number): Promise<[BugReport | null, BugReport | null]> {
  if (a === b) {
    const bug = await lockBug(em, a);
    return [bug, bug];
  }
  const [first, second] = a < b ? [a, b] : [b, a];
  const one = await lockBug(em, first);
  const two = await lockBug(em, second);
  return a < b ? [one, two] : [two, one];
}

/**
 * "Not a duplicate" (the button, or `/bugs split`): the bug is open again as a bug of its own, and the pair is
 * remembered so the two are never linked again. Its reporter, developers and admins may do it.
 */
export async function splitDuplicate(
  ctx: AppContext,
  request: { bugId: number; actorId: string },
): Promise<DuplicateChangeOutcome> {
  const actor = await actorFor(ctx, request.actorId);
  const outcome = await ctx.orm.em.fork().transactional(async (em): Promise<DuplicateChangeOutcome> => {
    const found = await lockBug(em, request.bugId);
    if (!found) return { ok: false, message: `I could not find ${bugRefFor(request.bugId)}.` };
    if (!found.duplicateOfId)
      return { ok: false, message: `${found.ref} is not linked to another bug as a duplicate.` };
    if (!maySplitDuplicate(found, actor)) {
      return {
        ok: false,
        message: `Only <@${found.reporterId}>, a developer or an admin can say ${found.ref} is not a duplicate.`,
      };
    }
    const [bug, canonical] = await lockPair(em, found.id, found.duplicateOfId);
    if (!bug || !canonical) return { ok: false, message: `I could not find ${bugRefFor(found.duplicateOfId)}.` };
    const now = ctx.clock();
    const from = bug.status;
    Object.assign(bug, { status: 'open', closeReason: null, closedAt: null, duplicateOfId: null, updatedAt: now });
    applySlaStatusChange(ctx, bug, from, now);
    // Someone just said this one matters on its own: its inactivity clock starts again.
    if (now > bug.lastActivityAt) bug.lastActivityAt = now;
    // And a reopen gives the turn to developers (domain/turn.ts): whatever was asked before the link is not awaited.
    await startDevelopersTurn(em, ctx, bug, now);
    await rememberNotDuplicate(em, bug.id, canonical.id, actor.id, now);
    await adjustGroupOfCanonical(em, canonical.id, -1, now);
    const metadata = {
      duplicateId: bug.id,
      duplicateRef: bug.ref,
      canonicalId: canonical.id,
      canonicalRef: canonical.ref,
    };
    recordOnBoth(em, ctx, [bug, canonical], { type: 'bug.duplicate_split', actorId: actor.id, at: now, metadata });
    // The "Looks like" notice's question is answered: it says so, without its button (cancelled if still unsent).
    const linkedNoticeId = bug.duplicateNoticeId ?? null;
    bug.duplicateNoticeId = null;
    await em.flush();
    if (linkedNoticeId)
      await retractNotice(
        em,
        bug,
        linkedNoticeId,
        buildDuplicateNoticeSplitOut({ bug, canonical: linkTo(ctx, canonical), actorId: actor.id }),
        now,
      );
    const notice = buildDuplicateSplitNotice({ bug, canonical: linkTo(ctx, canonical), actorId: actor.id });
    await tellInThread(em, [bug, canonical], notice, now);
    return { ok: true, bug, canonical };
  });
  return announced(ctx, outcome, request.actorId, 'duplicate split');
}

/**
 * `/bugs merge BUG-13 into BUG-12` (developers and admins): BUG-13 is closed as a duplicate of BUG-12 (or of the bug
 * BUG-12 itself duplicates), and the bugs that duplicated BUG-13 follow it. An earlier "Not a duplicate" between the
 * two is overridden: a person decided.
 */
export async function mergeBugs(
  ctx: AppContext,
  request: { bugId: number; intoBugId: number; actorId: string },
): Promise<DuplicateChangeOutcome> {
  const actor = await actorFor(ctx, request.actorId);
  if (!mayMergeBugs(actor)) return { ok: false, message: 'Only developers and admins can merge bugs.' };
  const outcome = await ctx.orm.em.fork().transactional(async (em): Promise<DuplicateChangeOutcome> => {
    let [bug, canonical] = await lockPair(em, request.bugId, request.intoBugId);
    if (!bug) return { ok: false, message: `I could not find ${bugRefFor(request.bugId)}.` };
    if (!canonical) return { ok: false, message: `I could not find ${bugRefFor(request.intoBugId)}.` };
    // Never a chain: merging into a duplicate merges into its canonical bug.
    if (canonical.duplicateOfId) {
      const root = await lockBug(em, canonical.duplicateOfId);
      if (root) canonical = root;
    }
    if (bug.id === canonical.id) return { ok: false, message: `${bug.ref} cannot be a duplicate of itself.` };
    if (bug.duplicateOfId === canonical.id)
      return { ok: false, message: `${bug.ref} is already a duplicate of ${canonical.ref}.` };
    const now = ctx.clock();
    const previous = bug.duplicateOfId ?? null;
    if (previous) await adjustGroupOfCanonical(em, previous, -1, now);
    if (bug.claimantId) await clearClaim(em, ctx, bug, 'status');
    await withdrawWarning(em, ctx, bug, { byUserId: actor.id, why: 'status' });
    await withdrawReminder(em, ctx, bug, 'status');
    const wasStatus = bug.status;
    Object.assign(bug, {
      status: 'closed',
      closeReason: 'duplicate',
      closedAt: now,
      duplicateOfId: canonical.id,
      updatedAt: now,
    });
    applySlaStatusChange(ctx, bug, wasStatus, now);
    await em.flush();
    const followers = await moveDuplicates(em, bug.id, canonical.id);
    await adjustGroupOfCanonical(em, canonical.id, 1 + followers.length, now);
    await forgetNotDuplicate(em, bug.id, canonical.id);
    const metadata = {
      duplicateId: bug.id,
      duplicateRef: bug.ref,
      canonicalId: canonical.id,
      canonicalRef: canonical.ref,
      how: 'merge',
      from: wasStatus,
      ...(previous ? { previousCanonicalId: previous } : {}),
      ...(followers.length > 0 ? { followers } : {}),
    };
    recordOnBoth(em, ctx, [bug, canonical], { type: 'bug.duplicate_linked', actorId: actor.id, at: now, metadata });
    await em.flush();
    const notice = buildMergedNotice({ bug, canonical: linkTo(ctx, canonical), actorId: actor.id });
    await tellInThread(em, [bug, canonical], notice, now);
    if (previous) {
      const old = await em.findOne(BugReport, { id: previous });
      if (old) await requestCardRefresh(em, old, now);
    }
    for (const id of followers) {
      const follower = await em.findOne(BugReport, { id });
      if (follower) await requestCardRefresh(em, follower, now);
    }
    return { ok: true, bug, canonical };
  });
  return announced(ctx, outcome, request.actorId, 'bugs merged');
}

/** The same event on the duplicate and on its canonical bug, so each bug's history tells of the link. */
function recordOnBoth(
  em: EntityManager,
  ctx: AppContext,
  bugs: [BugReport, BugReport],
  event: { type: BugEventType; actorId: string; at: Date; metadata: Record<string, unknown> },
): void {
  for (const bug of bugs) {
    recordEvent(em, {
      bugId: bug.id,
      type: event.type,
      actorId: event.actorId,
      actorKind: actorKindOf(event.actorId, ctx.config.adminUsers),
      at: event.at,
      metadata: event.metadata,
    });
  }
}

/** The duplicate's thread is told of the split or merge, and both bugs' cards are brought up to date. */
async function tellInThread(
  em: EntityManager,
  [bug, canonical]: [BugReport, BugReport],
  notice: NoticePayload,
  now: Date,
): Promise<void> {
  await enqueueInThread(em, bug, 'thread_notice', notice, now);
  await requestCardRefresh(em, bug, now);
  await requestCardRefresh(em, canonical, now);
}

/** After a split or a merge went through: the log line, and the outbox sent. */
function announced(
  ctx: AppContext,
  outcome: DuplicateChangeOutcome,
  actorId: string,
  what: string,
): DuplicateChangeOutcome {
  if (outcome.ok) {
    bugLogger(ctx.logger, outcome.bug).info({ actor: actorId, canonical: outcome.canonical.ref }, what);
    ctx.notifier.kick();
  }
  return outcome;
}

function linkTo(ctx: AppContext, bug: BugReport) {
  return { ref: bug.ref, permalink: ctx.threadLinkFor(bug) };
}

/**
 * A new report that joined no group: a recent bug in the same channel with a similar title is suggested in its
 * thread, with both links, and `bug.near_duplicate_suggested` is written on it. Never a merge: a person decides.
 */
export async function suggestNearDuplicate(em: EntityManager, ctx: AppContext, bug: BugReport): Promise<void> {
  if (ctx.config.dedupWindowMs === 0) return;
  const now = ctx.clock();
  const since = new Date(bug.createdAt.getTime() - ctx.config.dedupWindowMs);
  const match = await findNearDuplicate(em, bug, since, NEAR_DUPLICATE_SIMILARITY);
  const similar = match ? await em.findOne(BugReport, { id: match.id }) : null;
  if (!match || !similar) return;
  recordEvent(em, {
    bugId: bug.id,
    type: 'bug.near_duplicate_suggested',
    actorId: null,
    actorKind: 'system',
    at: now,
    metadata: { similarId: similar.id, similarRef: similar.ref, similarity: Math.round(match.similarity * 100) / 100 },
  });
  await enqueueInThread(
    em,
    bug,
    'thread_notice',
    buildNearDuplicateNotice({ bug, similar: { ...linkTo(ctx, similar), title: similar.title } }),
    now,
  );
}
