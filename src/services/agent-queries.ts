// Read-only questions agents ask: bugs by filters a page at a time (keyset on updated_at, id: every page an index
// walk however deep), one bug with its thread and audit trail, its events a page at a time, and the backlog's figures.
import type { FilterQuery } from '@mikro-orm/core';
import type { AppContext } from '../app-context.ts';
import { BugConversation, BugEvent, BugReport } from '../db/entities/index.ts';
import { findBugIdsWithTelemetry } from '../db/repositories/telemetry.repository.ts';
import { countWorkQueue } from '../db/repositories/work-queue.repository.ts';
import { BUG_STATUSES, type BugStatus, SEVERITIES, type Severity, SWEEPABLE_STATUSES } from '../domain/bug-status.ts';
import { agentClaimantId, agentNameOf } from '../domain/claimant.ts';
import { NO_SLACK_CHANNEL } from '../domain/legacy-report.ts';
import { isCommitSha } from '../domain/slack-text.ts';
import { clockThreshold } from '../domain/sweep-rules.ts';
import { sweepSettings } from './sweep/sweep-items.ts';

export type BugFilters = {
  status?: BugStatus[];
  severity?: Severity;
  /** A Slack user id, an agent's name, or `none`. */
  claimant?: string;
  reporter?: string;
  traceId?: string;
  requestId?: string;
  releaseSha?: string;
  updatedSince?: Date;
  /** What the next sweep would warn or close. */
  stale?: boolean;
};

export type PageCursor = { updatedAt: Date; id: number };
export type BugPage = { bugs: BugReport[]; next: PageCursor | null };

const SLACK_USER = /^[UW][A-Z0-9]{2,}$/;
/** Bugs one telemetry id can match before the list is cut (a trace id names a handful of bugs at most). */
const TELEMETRY_MATCHES = 1_000;

export async function listBugPage(
  ctx: AppContext,
  filters: BugFilters,
  page: { limit: number; after: PageCursor | null },
): Promise<BugPage> {
  const now = ctx.clock();
  const and: FilterQuery<BugReport>[] = [];
  if (filters.status?.length) and.push({ status: { $in: [...filters.status] } });
  if (filters.severity) and.push({ severity: filters.severity });
  if (filters.claimant === 'none') and.push({ claimantId: null });
  // The claimant id a bug shows (`agent:<name>`) works as well as the agent's name.
  else if (filters.claimant)
    and.push({
      claimantId:
        SLACK_USER.test(filters.claimant) || agentNameOf(filters.claimant) !== null
          ? filters.claimant
          : agentClaimantId(filters.claimant),
    });
  if (filters.reporter) and.push({ reporterId: filters.reporter });
  // Every id a bug mentions counts (bug_telemetry, index-backed), not only the first one its report named.
  const em = ctx.orm.em.fork();
  const telemetry = [
    ['trace_id', filters.traceId],
    ['request_id', filters.requestId],
    ['release_sha', filters.releaseSha],
  ] as const;
  for (const [kind, value] of telemetry) {
    if (!value) continue;
    // A release SHA matches as /bugs find matches it: a prefix of 7 or more, in any case.
    const shaPrefix = kind === 'release_sha' && isCommitSha(value) ? value.toLowerCase() : null;
    and.push({ id: { $in: await findBugIdsWithTelemetry(em, kind, value, TELEMETRY_MATCHES, shaPrefix) } });
  }
  if (filters.updatedSince) and.push({ updatedAt: { $gte: filters.updatedSince } });
  if (filters.stale) and.push(sweepCandidates(ctx, now));
  if (page.after) {
    const { updatedAt, id } = page.after;
    and.push({ $or: [{ updatedAt: { $lt: updatedAt } }, { updatedAt, id: { $lt: id } }] });
  }
  const bugs = await ctx.orm.em.fork().find(BugReport, and.length ? { $and: and } : {}, {
    orderBy: { updatedAt: 'desc', id: 'desc' },
    limit: page.limit + 1,
  });
  const more = bugs.length > page.limit;
  const shown = more ? bugs.slice(0, page.limit) : bugs;
  const last = shown[shown.length - 1];
  return { bugs: shown, next: more && last ? { updatedAt: last.updatedAt, id: last.id } : null };
}

/**
 * The bugs the next sweep looks at for a warning or a close, as it selects them (findIdleBugs): in a Slack thread,
 * quiet since before its threshold on its own clock (business time under BUSINESS_HOURS), under
 * AUTO_CLOSE_POLICY=waiting-on-reporter only those whose turn it is, and none exempt by engagement.
 */
function sweepCandidates(ctx: AppContext, now: Date): FilterQuery<BugReport> {
  const settings = sweepSettings(ctx);
  // ENGAGEMENT_EXEMPT: a bug that reaches any threshold is never warned or closed (domain/engagement.ts).
  const exempt = settings.engagementExempt;
  return {
    status: { $in: [...SWEEPABLE_STATUSES] },
    channelId: { $ne: NO_SLACK_CHANNEL },
    lastActivityAt: { $lt: clockThreshold(now, settings.autoCloseAfterMs - settings.autoCloseWarningMs, settings) },
    ...(settings.autoClosePolicy === 'waiting-on-reporter' ? { turn: 'reporter' as const } : {}),
    ...(exempt?.reactions != null ? { reactors: { $lt: exempt.reactions } } : {}),
    // The reporter counts as one of the people reporting it (reportersOf).
    ...(exempt?.reporters != null ? { affectedReporters: { $lt: exempt.reporters - 1 } } : {}),
  };
}

export type BugDetail = { bug: BugReport; conversation: BugConversation[]; events: BugEvent[] };

const DETAIL_EVENTS = 100;

export async function bugDetail(ctx: AppContext, bugId: number): Promise<BugDetail | null> {
  const em = ctx.orm.em.fork();
  const bug = await em.findOne(BugReport, { id: bugId });
  if (!bug) return null;
  const [conversation, events] = await Promise.all([
    em.find(BugConversation, { bugId }, { orderBy: { messageAt: 'asc', id: 'asc' } }),
    em.find(BugEvent, { bugId }, { orderBy: { createdAt: 'desc', id: 'desc' }, limit: DETAIL_EVENTS }),
  ]);
  return { bug, conversation, events: events.reverse() };
}

export type EventPage = { events: BugEvent[]; next: number | null };

/** The audit trail oldest first; the cursor is the last event id seen. */
export async function bugEventPage(
  ctx: AppContext,
  bugId: number,
  page: { limit: number; after: number | null },
): Promise<EventPage> {
  const events = await ctx.orm.em
    .fork()
    .find(
      BugEvent,
      { bugId, ...(page.after !== null ? { id: { $gt: page.after } } : {}) },
      { orderBy: { id: 'asc' }, limit: page.limit + 1 },
    );
  const more = events.length > page.limit;
  const shown = more ? events.slice(0, page.limit) : events;
  const last = shown[shown.length - 1];
  return { events: shown, next: more && last ? Number(last.id) : null };
}

export type BacklogStats = {
  byStatus: Record<BugStatus, number>;
  bySeverity: Record<Severity, number>;
  orphanedClaims: number;
  staleSoon: number;
  oldestOpen: { id: number; ref: string; createdAt: Date } | null;
  workQueueDepth: number;
};

export async function backlogStats(ctx: AppContext): Promise<BacklogStats> {
  const em = ctx.orm.em.fork();
  const now = ctx.clock();
  const countWhere = (where: FilterQuery<BugReport>) => em.count(BugReport, where);
  const unresolved = { $in: ['open', 'in_progress', 'escalated', 'awaiting_verification'] as BugStatus[] };
  const statusCounts = await Promise.all(BUG_STATUSES.map((status) => countWhere({ status })));
  const severityCounts = await Promise.all(SEVERITIES.map((severity) => countWhere({ status: unresolved, severity })));
  // The claims the sweep's orphaned-claim rules release, on its clock (findQuietClaims).
  const idleFrom = clockThreshold(now, ctx.config.claimReleaseAfterMs, sweepSettings(ctx));
  const [orphanedClaims, staleSoon, oldest, workQueueDepth] = await Promise.all([
    countWhere({
      status: 'in_progress',
      channelId: { $ne: NO_SLACK_CHANNEL },
      claimantLastActivityAt: { $lt: idleFrom },
    }),
    countWhere(sweepCandidates(ctx, now)),
    em.findOne(BugReport, { status: 'open' }, { orderBy: { createdAt: 'asc', id: 'asc' } }),
    countWorkQueue(em, now, ctx.config.agents.maxAttempts),
  ]);
  return {
    byStatus: Object.fromEntries(BUG_STATUSES.map((s, i) => [s, statusCounts[i] ?? 0])) as Record<BugStatus, number>,
    bySeverity: Object.fromEntries(SEVERITIES.map((s, i) => [s, severityCounts[i] ?? 0])) as Record<Severity, number>,
    orphanedClaims,
    staleSoon,
    oldestOpen: oldest ? { id: oldest.id, ref: oldest.ref, createdAt: oldest.createdAt } : null,
    workQueueDepth,
  };
}
