// Read-only questions about bugs for Slack surfaces: finding the bug a person means, and listing bugs.
import { QueryOrder } from '@mikro-orm/core';
import type { AppContext } from '../app-context.ts';
import { BugReport } from '../db/entities/index.ts';
import { findBugByLocator, findBugByThread } from '../db/repositories/bug-report.repository.ts';
import { UNRESOLVED_STATUSES } from '../domain/bug-status.ts';
import { parseBugLocator } from '../domain/slack-refs.ts';

export type BugLookup = { ok: true; bug: BugReport } | { ok: false; message: string };

/** The bug with this id, as it is now; null when there is none. */
export async function findBug(ctx: AppContext, id: number): Promise<BugReport | null> {
  return ctx.orm.em.fork().findOne(BugReport, { id });
}

/**
 * The bug a command is about: a typed reference (BUG-42, #42, 42) or a message permalink; without one, the
 * bug thread the command came from, when Slack says which thread that was.
 */
export async function findBugForCommand(
  ctx: AppContext,
  ref: string | undefined,
  thread: { channelId: string; threadTs: string | null },
): Promise<BugLookup> {
  const em = ctx.orm.em.fork();
  if (!ref) {
    const bug = thread.threadTs ? await findBugByThread(em, thread.channelId, thread.threadTs) : null;
    return bug
      ? { ok: true, bug }
      : {
          ok: false,
          message:
            'Which bug? Add its reference (like `BUG-42`) or a link to its thread, or mention me in the bug thread instead.',
        };
  }
  const locator = parseBugLocator(ref);
  if (!locator)
    return {
      ok: false,
      message: `\`${ref}\` is not a bug reference. Use one like \`BUG-42\`, or paste a link to the bug thread.`,
    };
  const bug = await findBugByLocator(em, locator);
  return bug ? { ok: true, bug } : { ok: false, message: `I could not find a bug for \`${ref}\`.` };
}

export const LIST_FILTERS = ['open', 'mine', 'claimed', 'all'] as const;
export type ListFilter = (typeof LIST_FILTERS)[number];

// A fresh condition per query: the ORM may keep what it is given.
const unresolved = () => ({ $in: [...UNRESOLVED_STATUSES] });

export type BugList = { bugs: BugReport[]; total: number };

export type HomeOverview = { claimed: BugReport[]; reported: BugReport[]; unclaimed: BugReport[] };

/** App Home: what I hold, what I reported that is still open, and what waits for someone, quietest first. */
export async function homeOverview(ctx: AppContext, userId: string, limit = 10): Promise<HomeOverview> {
  const em = ctx.orm.em.fork();
  const [claimed, reported, unclaimed] = await Promise.all([
    em.find(BugReport, { status: unresolved(), claimantId: userId }, { orderBy: { lastActivityAt: 'asc' }, limit }),
    em.find(BugReport, { status: unresolved(), reporterId: userId }, { orderBy: { createdAt: 'desc' }, limit }),
    em.find(BugReport, { status: 'open', claimantId: null }, { orderBy: { lastActivityAt: 'asc' }, limit }),
  ]);
  return { claimed, reported, unclaimed };
}

/**
 * `open`: everything not yet resolved or closed; `mine`: unresolved bugs I reported or hold;
 * `claimed`: unresolved bugs someone holds; `all`: every bug, newest first.
 */
export const LIST_SORTS = ['created', 'due'] as const;
export type ListSort = (typeof LIST_SORTS)[number];

export async function listBugs(
  ctx: AppContext,
  filter: ListFilter,
  userId: string,
  limit = 20,
  sort: ListSort = 'created',
): Promise<BugList> {
  const em = ctx.orm.em.fork();
  const where =
    filter === 'open'
      ? { status: unresolved() }
      : filter === 'mine'
        ? { status: unresolved(), $or: [{ reporterId: userId }, { claimantId: userId }] }
        : filter === 'claimed'
          ? { status: unresolved(), claimantId: { $ne: null } }
          : {};
  // `due`: the soonest SLA due time first (the most overdue at the top), bugs without one after them, newest first.
  const orderBy =
    sort === 'due'
      ? { slaDueAt: QueryOrder.ASC_NULLS_LAST, createdAt: QueryOrder.DESC, id: QueryOrder.DESC }
      : { createdAt: QueryOrder.DESC, id: QueryOrder.DESC };
  const [bugs, total] = await em.findAndCount(BugReport, where, { orderBy, limit });
  return { bugs, total };
}
