// One sweep run: warn, close, remind, release, in that order, in batches, within a per-run budget, each item
// in its own transaction. PostgreSQL decides who runs: a session advisory lock keeps runs from overlapping
// across replicas, and a scheduled slot is recorded once (sweep_runs.slot_key), so each slot runs once in all.
// Every run is recorded, skipped ones with their reason.
import type { AppContext } from '../../app-context.ts';
import type { BugReport } from '../../db/entities/index.ts';
import type { SweepTrigger } from '../../db/entities/sweep-run.entity.ts';
import { LOCK_KEYS, tryWithSessionAdvisoryLock } from '../../db/locks.ts';
import {
  cancelRequestOf,
  finishRun,
  getSweepState,
  insertRun,
  markInterruptedRuns,
  markRunSkipped,
  type RunCounts,
} from '../../db/repositories/sweep.repository.ts';
import { bugLogger } from '../../logger.ts';
import { type BacklogCheck, checkBacklogAlerts } from '../backlog-alerts.ts';
import { type SlaPhaseCounts, sweepSlaBreaches } from './sla-breaches.ts';
import { type SweepAction, sweepClaim, sweepInactivity, sweepNudge } from './sweep-items.ts';
import { scanSweepCandidates } from './sweep-plan.ts';
import { effectiveNextSweepAt } from './sweep-schedule.ts';

export type SweepRequest = {
  trigger: SweepTrigger;
  /** The admin who asked (admin trigger). */
  triggeredBy?: string | null;
  dryRun?: boolean;
  /** Scheduled runs: the slot's time. The first replica to record it runs it; the others do nothing. */
  slot?: Date;
  /** Test seam: called after each item, for a run that dies or is cancelled part-way. */
  afterItem?: (done: number) => void | Promise<void>;
};

export type SweepItemReport = { bugId: number; ref: string; action: SweepAction };

export type SweepResult =
  | {
      kind: 'ran';
      runId: number;
      dryRun: boolean;
      counts: RunCounts;
      items: SweepItemReport[];
      budgetExhausted: boolean;
      /** Bugs waiting on developers nudged (AUTO_CLOSE_POLICY=waiting-on-reporter); not one of the run's counts. */
      nudged?: number;
      /** The SLA phase (issue 15), counted apart from `counts`. */
      sla?: SlaPhaseCounts;
      /** BACKLOG_ALERT conditions raised or back to normal at this run (issue 15); not checked by dry runs. */
      backlog?: BacklogCheck;
      /** Stopped between items by `/bugs sweep cancel`: who asked. */
      cancelledBy?: string;
    }
  | { kind: 'skipped'; runId: number | null; reason: string }
  /** Another replica recorded this scheduled slot first. */
  | { kind: 'slot_taken' };

export async function runSweep(ctx: AppContext, request: SweepRequest): Promise<SweepResult> {
  const started = performance.now();
  let outcome = 'failed';
  try {
    const result = await runSweepOnce(ctx, request);
    outcome = result.kind === 'ran' ? (result.cancelledBy ? 'cancelled' : 'completed') : result.kind;
    if (result.kind === 'ran' && !result.dryRun) {
      const { warned, closed, reminded, released } = result.counts;
      ctx.metrics.sweepRun(request.trigger, outcome, (performance.now() - started) / 1000, {
        warned,
        closed,
        reminded,
        released,
      });
    } else {
      ctx.metrics.sweepRun(
        request.trigger,
        result.kind === 'ran' ? 'dry_run' : outcome,
        (performance.now() - started) / 1000,
        {},
      );
    }
    return result;
  } catch (error) {
    ctx.metrics.sweepRun(request.trigger, outcome, (performance.now() - started) / 1000, {});
    throw error;
  }
}

async function runSweepOnce(ctx: AppContext, request: SweepRequest): Promise<SweepResult> {
  const startedAt = ctx.clock();
  const slotKey = request.slot ? `schedule:${request.slot.toISOString()}` : null;
  const base = {
    trigger: request.trigger,
    triggeredBy: request.triggeredBy ?? null,
    slotKey,
    dryRun: request.dryRun ?? false,
    startedAt,
  };
  const log = ctx.logger.child({ component: 'sweep', trigger: request.trigger, ...(slotKey ? { slot: slotKey } : {}) });
  const em = ctx.orm.em.fork();

  // A scheduled slot is claimed first (its unique key): exactly one replica owns it, and the owner records
  // why it did not run if it cannot. Other triggers need no slot.
  let runId: number | null = null;
  if (slotKey) {
    const state = await getSweepState(em);
    const skipReason = state.paused ? `paused by ${state.pausedBy ?? 'an admin'}` : null;
    runId = await insertRun(em, { ...base, status: skipReason ? 'skipped' : 'running', skipReason });
    if (runId === null) return { kind: 'slot_taken' };
    if (skipReason) {
      log.info({ pausedBy: state.pausedBy }, 'sweep skipped: paused');
      return { kind: 'skipped', runId, reason: 'paused' };
    }
  }

  // The lock lives on one pinned connection for the whole run; the items use other connections.
  const run = await tryWithSessionAdvisoryLock(ctx.orm, LOCK_KEYS.sweep, async () => {
    const id = runId ?? (await insertRun(ctx.orm.em.fork(), { ...base, status: 'running' }))!;
    const interrupted = await markInterruptedRuns(ctx.orm.em.fork(), id, startedAt);
    if (interrupted > 0)
      log.warn({ interrupted }, 'earlier sweep runs had died mid-run; this run picks up where they stopped');
    return sweepBody(ctx, id, request, log);
  });
  if (run.locked) return run.value;
  const reason = 'another sweep was still running';
  if (runId === null) runId = await insertRun(ctx.orm.em.fork(), { ...base, status: 'skipped', skipReason: reason });
  else await markRunSkipped(ctx.orm.em.fork(), runId, reason, ctx.clock());
  log.info('sweep skipped: another sweep is running');
  return { kind: 'skipped', runId, reason: 'another sweep is running' };
}

async function sweepBody(
  ctx: AppContext,
  runId: number,
  request: SweepRequest,
  log: AppContext['logger'],
): Promise<SweepResult> {
  const now = ctx.clock();
  const nextSweepAt = await effectiveNextSweepAt(ctx);
  const dryRun = request.dryRun ?? false;
  const counts: RunCounts = { warned: 0, closed: 0, reminded: 0, released: 0, failed: 0 };
  let nudged = 0;
  const items: SweepItemReport[] = [];
  const budget = ctx.config.sweep.maxItems;
  let budgetExhausted = false;
  let stoppedEarly = false;
  let sla: SlaPhaseCounts & { refs: string[] } = { breached: 0, failed: 0, refs: [] };
  let backlog: BacklogCheck = { raised: [], cleared: [] };
  // `/bugs sweep cancel` from any replica: read from the run's row between items.
  let cancelledBy: string | null = null;
  const cancelled = async () => {
    cancelledBy ??= await cancelRequestOf(ctx.orm.em.fork(), runId);
    return cancelledBy !== null;
  };

  const act = async (bug: BugReport, planned: SweepAction, perform: () => Promise<SweepAction | null>) => {
    if (items.length + counts.failed >= budget) {
      budgetExhausted = true;
      return;
    }
    let action: SweepAction | null = planned;
    if (!dryRun) {
      try {
        action = await perform();
        // Notices start going out while the run goes on.
        if (action) ctx.notifier.kick();
      } catch (error) {
        counts.failed += 1;
        bugLogger(log, bug).error({ err: error, planned }, 'sweep action failed; the run goes on');
        return;
      }
    }
    if (action) {
      if (action === 'nudged') nudged += 1;
      else counts[action] += 1;
      items.push({ bugId: bug.id, ref: bug.ref, action });
      bugLogger(log, bug).info(
        { action, dryRun },
        dryRun ? `sweep would have ${action} the bug` : `sweep ${action} the bug`,
      );
    }
    await request.afterItem?.(items.length);
  };

  try {
    for await (const candidate of scanSweepCandidates(ctx, now, nextSweepAt)) {
      if (budgetExhausted || (await cancelled())) break;
      if (ctx.shutdown.aborted) {
        // Every item so far is committed; the next run carries on from the bugs' state.
        stoppedEarly = true;
        break;
      }
      const { bug, decision } = candidate;
      if (candidate.phase === 'inactivity' && (decision.kind === 'warn' || decision.kind === 'close')) {
        await act(bug, decision.kind === 'warn' ? 'warned' : 'closed', () =>
          sweepInactivity(ctx, bug.id, now, nextSweepAt),
        );
      } else if (candidate.phase === 'claim' && (decision.kind === 'remind' || decision.kind === 'release')) {
        await act(bug, decision.kind === 'remind' ? 'reminded' : 'released', () =>
          sweepClaim(ctx, bug.id, now, nextSweepAt),
        );
      } else if (candidate.phase === 'nudge' && decision.kind === 'nudge') {
        await act(bug, 'nudged', () => sweepNudge(ctx, bug.id, now));
      }
    }
    if (!budgetExhausted && !stoppedEarly && !cancelledBy) {
      sla = await sweepSlaBreaches(ctx, {
        now,
        dryRun,
        budget: budget - items.length - counts.failed,
        log,
        stop: async () => ctx.shutdown.aborted || (await cancelled()),
      });
    }
    if (!dryRun && !stoppedEarly && !cancelledBy) backlog = await checkBacklogQuietly(ctx, now, log);
  } catch (error) {
    // A failed read of a batch (or a run that dies) ends the run: recorded as failed, nothing half-done per item.
    await finishRun(ctx.orm.em.fork(), runId, {
      status: 'failed',
      finishedAt: ctx.clock(),
      counts,
      error: String((error as Error).message ?? error),
      details: detailsOf(items, budgetExhausted, nudged),
    });
    log.error({ err: error, runId, counts }, 'sweep run failed');
    throw error;
  }

  await finishRun(ctx.orm.em.fork(), runId, {
    status: cancelledBy ? 'cancelled' : 'completed',
    finishedAt: ctx.clock(),
    counts,
    details: {
      ...detailsOf(items, budgetExhausted, nudged),
      ...(stoppedEarly ? { stoppedEarly: 'the process was shutting down' } : {}),
      ...(cancelledBy ? { cancelledBy } : {}),
      ...(sla.breached + sla.failed > 0
        ? { sla: { breached: sla.breached, failed: sla.failed, refs: sla.refs.slice(0, 200) } }
        : {}),
      ...(backlog.raised.length + backlog.cleared.length > 0 ? { backlog } : {}),
    },
  });
  log.info(
    { runId, dryRun, ...counts, nudged, slaBreached: sla.breached, budgetExhausted, stoppedEarly, cancelledBy },
    cancelledBy ? 'sweep run cancelled' : 'sweep run finished',
  );
  return {
    kind: 'ran',
    runId,
    dryRun,
    counts,
    items,
    budgetExhausted,
    nudged,
    sla: { breached: sla.breached, failed: sla.failed },
    backlog,
    ...(cancelledBy ? { cancelledBy } : {}),
  };
}

/** The backlog check must not fail the run whose items are done: its error is logged, and the next run checks. */
async function checkBacklogQuietly(ctx: AppContext, now: Date, log: AppContext['logger']): Promise<BacklogCheck> {
  try {
    return await checkBacklogAlerts(ctx, now);
  } catch (error) {
    log.error({ err: error }, 'backlog alert check failed; the next run checks again');
    return { raised: [], cleared: [] };
  }
}

function detailsOf(items: SweepItemReport[], budgetExhausted: boolean, nudged = 0): Record<string, unknown> {
  // The refs acted on, capped so a huge run does not make a huge row.
  return {
    items: items.slice(0, 200).map((item) => `${item.action}:${item.ref}`),
    ...(items.length > 200 ? { more: items.length - 200 } : {}),
    budgetExhausted,
    ...(nudged > 0 ? { nudged } : {}),
  };
}
