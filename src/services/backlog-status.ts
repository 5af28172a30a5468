// `npm run status`: an operator's one glance at the backlog, as plain data (the command line prints it as tables,
// or as JSON for scripts). Reads only.
import type { AppContext } from '../app-context.ts';
import {
  countBugsByStatusAndSeverity,
  countOutbox,
  findLargestDuplicateGroups,
  findOldestUnresolvedBugs,
} from '../db/repositories/status.repository.ts';
import { getSweepState, recentRuns } from '../db/repositories/sweep.repository.ts';
import { BUG_STATUSES, type BugStatus, SEVERITIES, type Severity } from '../domain/bug-status.ts';
import { hasSlackThread } from '../domain/legacy-report.ts';
import { listOrphanedClaims } from './sweep/orphaned-claims.ts';
import { previewSweep } from './sweep/sweep-control.ts';

export type StatusBug = {
  ref: string;
  title: string;
  status: BugStatus;
  severity: Severity;
  createdAt: string;
  ageMs: number;
  claimantId: string | null;
  /** False for an imported bug that is not posted to Slack. */
  inSlack: boolean;
  legacyId: string | null;
  /** When the SLA wants the next step (issue 15), or null when none applies. */
  slaDueAt: string | null;
};

/** How `oldestOpen` is ordered: by creation (oldest first) or by SLA due time (soonest first, none last). */
export type StatusSort = 'created' | 'due';
export const STATUS_SORTS = ['created', 'due'] as const satisfies readonly StatusSort[];

export type BacklogStatus = {
  generatedAt: string;
  counts: {
    total: number;
    byStatus: Record<BugStatus, number>;
    bySeverity: Record<Severity, number>;
    /** by[status][severity] */
    by: Record<BugStatus, Record<Severity, number>>;
  };
  oldestOpen: StatusBug[];
  /** The order of `oldestOpen`. */
  oldestOpenSort: StatusSort;
  orphanedClaims: { ref: string; title: string; claimantId: string; idleMs: number }[];
  nextSweep: {
    paused: boolean;
    warn: { ref: string; title: string; status: BugStatus; idleMs: number; closesAt: string | null }[];
    close: { ref: string; title: string; status: BugStatus; idleMs: number }[];
    /** The preview stopped looking after its limit; more may follow. */
    truncated: boolean;
  };
  sweepRuns: {
    id: number;
    trigger: string;
    status: string;
    dryRun: boolean;
    startedAt: string;
    finishedAt: string | null;
    warned: number;
    closed: number;
    reminded: number;
    released: number;
    failed: number;
    note: string | null;
  }[];
  outbox: { pending: number; failed: number; oldestPendingAt: string | null; oldestPendingAgeMs: number | null };
  duplicateGroups: { ref: string; title: string; status: BugStatus; occurrences: number; lastSeenAt: string }[];
};

export type StatusLimits = { oldest?: number; runs?: number; groups?: number; sort?: StatusSort };

function zeroes<K extends string>(keys: readonly K[]): Record<K, number> {
  return Object.fromEntries(keys.map((key) => [key, 0])) as Record<K, number>;
}

export async function backlogStatus(ctx: AppContext, limits: StatusLimits = {}): Promise<BacklogStatus> {
  const em = ctx.orm.em.fork();
  const now = ctx.clock();
  const [counts, oldest, orphaned, preview, state, runs, outbox, groups] = await Promise.all([
    countBugsByStatusAndSeverity(em.fork()),
    findOldestUnresolvedBugs(em.fork(), limits.oldest ?? 10, limits.sort ?? 'created'),
    listOrphanedClaims(ctx),
    previewSweep(ctx),
    getSweepState(em.fork()),
    recentRuns(em.fork(), limits.runs ?? 5),
    countOutbox(em.fork()),
    findLargestDuplicateGroups(em.fork(), limits.groups ?? 10),
  ]);
  const by = Object.fromEntries(BUG_STATUSES.map((status) => [status, zeroes(SEVERITIES)])) as Record<
    BugStatus,
    Record<Severity, number>
  >;
  const byStatus = zeroes(BUG_STATUSES);
  const bySeverity = zeroes(SEVERITIES);
  let total = 0;
  for (const row of counts) {
    const status = row.status as BugStatus;
    const severity = row.severity as Severity;
    by[status][severity] += row.count;
    byStatus[status] += row.count;
    bySeverity[severity] += row.count;
    total += row.count;
  }
  const age = (at: Date) => now.getTime() - at.getTime();
  return {
    generatedAt: now.toISOString(),
    counts: { total, byStatus, bySeverity, by },
    oldestOpen: oldest.map((bug) => ({
      ref: bug.ref,
      title: bug.title,
      status: bug.status,
      severity: bug.severity,
      createdAt: bug.createdAt.toISOString(),
      ageMs: age(bug.createdAt),
      claimantId: bug.claimantId ?? null,
      inSlack: hasSlackThread(bug),
      legacyId: bug.legacyId ?? null,
      slaDueAt: bug.slaDueAt?.toISOString() ?? null,
    })),
    oldestOpenSort: limits.sort ?? 'created',
    orphanedClaims: orphaned.map(({ ref, title, claimantId, idleMs }) => ({ ref, title, claimantId, idleMs })),
    nextSweep: {
      paused: state.paused,
      warn: preview.warn.map((entry) => ({
        ref: entry.bug.ref,
        title: entry.bug.title,
        status: entry.bug.status,
        idleMs: entry.idleMs,
        closesAt: entry.when?.toISOString() ?? null,
      })),
      close: preview.close.map((entry) => ({
        ref: entry.bug.ref,
        title: entry.bug.title,
        status: entry.bug.status,
        idleMs: entry.idleMs,
      })),
      truncated: preview.truncated,
    },
    sweepRuns: runs.map((run) => ({
      id: run.id,
      trigger: run.trigger,
      status: run.status,
      dryRun: run.dryRun,
      startedAt: run.startedAt.toISOString(),
      finishedAt: run.finishedAt?.toISOString() ?? null,
      warned: run.warned,
      closed: run.closed,
      reminded: run.reminded,
      released: run.released,
      failed: run.failed,
      note: run.skipReason ?? run.error ?? null,
    })),
    outbox: {
      pending: outbox.pending,
      failed: outbox.failed,
      oldestPendingAt: outbox.oldestPendingAt?.toISOString() ?? null,
      oldestPendingAgeMs: outbox.oldestPendingAt ? age(outbox.oldestPendingAt) : null,
    },
    duplicateGroups: groups.map((group) => ({
      ref: group.canonical.ref,
      title: group.canonical.title,
      status: group.canonical.status,
      occurrences: group.occurrences,
      lastSeenAt: group.lastSeenAt.toISOString(),
    })),
  };
}
