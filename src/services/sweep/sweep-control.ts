// Admins steering the sweep: pause and resume (stored in PostgreSQL, so they hold for every replica and survive
// restarts), its status, and a preview of what the next run would do.
import type { AppContext } from '../../app-context.ts';
import type { BugReport, SweepRun, SweepState } from '../../db/entities/index.ts';
import {
  getSweepState,
  type Heartbeat,
  heartbeatsSince,
  recentRuns,
  recordHeartbeat,
  removeHeartbeat,
  requestCancel,
  setPaused,
} from '../../db/repositories/sweep.repository.ts';
import { actorKindOf } from '../../domain/bug-event-types.ts';
import { elapsedMs, type NextSweepAt } from '../../domain/sweep-rules.ts';
import type { SweepEventType } from '../../domain/sweep-schedule.ts';
import { recordSweepEvent } from '../audit.ts';
import { sweepSettings } from './sweep-items.ts';
import { scanSweepCandidates } from './sweep-plan.ts';
import { type EffectiveSchedule, effectiveNextSweepAt, effectiveSweepSchedule } from './sweep-schedule.ts';
import { nextSweepAtFor } from './sweep-slots.ts';

/** The sweep's audit row (sweep_events) for an admin's change, by `by`, now. */
const audit = (
  ctx: AppContext,
  type: SweepEventType,
  by: string,
  at: Date,
  metadata: Record<string, unknown> = {},
) => ({
  type,
  actorId: by,
  actorKind: actorKindOf(by, ctx.config.adminUsers),
  at,
  metadata,
});

export async function pauseSweep(ctx: AppContext, by: string, note: string | null): Promise<SweepState> {
  const at = ctx.clock();
  await ctx.orm.em.fork().transactional(async (em) => {
    await setPaused(em, { by, at, note });
    await recordSweepEvent(em, audit(ctx, 'sweep.paused', by, at, { note }));
  });
  ctx.logger.info({ by, note }, 'sweep paused');
  return getSweepState(ctx.orm.em.fork());
}

export async function resumeSweep(ctx: AppContext, by: string): Promise<SweepState> {
  const at = ctx.clock();
  await ctx.orm.em.fork().transactional(async (em) => {
    await setPaused(em, null);
    await recordSweepEvent(em, audit(ctx, 'sweep.resumed', by, at));
  });
  ctx.logger.info({ by }, 'sweep resumed');
  return getSweepState(ctx.orm.em.fork());
}

/** `/bugs sweep cancel`: the running sweep (on whichever replica) stops before its next item. */
export async function cancelSweep(ctx: AppContext, by: string): Promise<{ runIds: number[] }> {
  const at = ctx.clock();
  const runIds = await ctx.orm.em.fork().transactional(async (em) => {
    const ids = await requestCancel(em, by, at);
    if (ids.length > 0) await recordSweepEvent(em, audit(ctx, 'sweep.cancel_requested', by, at, { runIds: ids }));
    return ids;
  });
  ctx.logger.info({ by, runIds }, runIds.length > 0 ? 'sweep cancel requested' : 'sweep cancel: no sweep running');
  return { runIds };
}

export type SweepStatus = {
  state: SweepState;
  runs: SweepRun[];
  /** The replicas running the schedule: those that beat within the last two slots. */
  replicas: Heartbeat[];
  /** The schedule it runs on (an admin's stored one, or SWEEP_SCHEDULE), and its next run strictly after now. */
  schedule: EffectiveSchedule;
  nextRun: Date;
};

export async function sweepStatus(ctx: AppContext, runs = 5): Promise<SweepStatus> {
  const em = ctx.orm.em.fork();
  const now = ctx.clock();
  const schedule = await effectiveSweepSchedule(ctx);
  const next = nextSweepAtFor(schedule);
  // The next run strictly after now: at 10:00:00.000 sharp the 10:00 run is the current one.
  const nextRun = next(new Date(now.getTime() + 1));
  return {
    state: await getSweepState(em),
    runs: await recentRuns(em, runs),
    replicas: await heartbeatsSince(em, twoSlotsAgo(next, nextRun, now)),
    schedule,
    nextRun,
  };
}

/** Two slots of the schedule before `now` (two hours for an hourly one): a replica silent for longer runs nothing. */
function twoSlotsAgo(next: NextSweepAt, first: Date, now: Date): Date {
  const second = next(new Date(first.getTime() + 1));
  return new Date(now.getTime() - 2 * Math.max(second.getTime() - first.getTime(), 60_000));
}

/** The scheduler of a replica beats when it starts, at each tick and every minute; and stops beating when it stops. */
export async function beat(ctx: AppContext, replica: Omit<Heartbeat, 'lastBeatAt'>): Promise<void> {
  await recordHeartbeat(ctx.orm.em.fork(), { ...replica, lastBeatAt: ctx.clock() });
}

export async function stopBeating(ctx: AppContext, replicaId: string): Promise<void> {
  await removeHeartbeat(ctx.orm.em.fork(), replicaId);
}

/** Paused by an admin: scheduled runs do nothing until resumed. */
export async function isSweepPaused(ctx: AppContext): Promise<boolean> {
  return (await getSweepState(ctx.orm.em.fork())).paused;
}

export type PreviewEntry = { bug: BugReport; idleMs: number; lastActivityAt: Date; when: Date | null; note?: string };

export type SweepPreview = {
  now: Date;
  /** Past AUTO_CLOSE_AFTER: warned, closing, or waiting for their warning period. */
  stale: PreviewEntry[];
  warn: PreviewEntry[];
  close: PreviewEntry[];
  remind: PreviewEntry[];
  release: PreviewEntry[];
  /** Stopped looking after this many candidates; the lists may be longer. */
  truncated: boolean;
};

/** What the next sweep would do if it ran now. Reads only. */
export async function previewSweep(ctx: AppContext, limit = 500): Promise<SweepPreview> {
  const now = ctx.clock();
  const preview: SweepPreview = { now, stale: [], warn: [], close: [], remind: [], release: [], truncated: false };
  let seen = 0;
  for await (const candidate of scanSweepCandidates(ctx, now, await effectiveNextSweepAt(ctx))) {
    if (++seen > limit) {
      preview.truncated = true;
      break;
    }
    const { bug, decision } = candidate;
    if (candidate.phase === 'inactivity') {
      const lastActivityAt = bug.lastActivityAt;
      const entry = { bug, idleMs: now.getTime() - lastActivityAt.getTime(), lastActivityAt };
      // Past AUTO_CLOSE_AFTER on the clocks' calendar (business time with BUSINESS_HOURS); shown in real time.
      if (elapsedMs(lastActivityAt, now, sweepSettings(ctx)) > ctx.config.autoCloseAfterMs) {
        preview.stale.push({
          ...entry,
          when: decision.kind === 'wait' ? decision.closesAt : null,
          ...(decision.kind === 'wait' ? { note: decision.reason } : {}),
        });
      }
      if (decision.kind === 'warn') preview.warn.push({ ...entry, when: decision.closesAt });
      if (decision.kind === 'close') preview.close.push({ ...entry, when: now });
    } else if (decision.kind === 'remind' || decision.kind === 'release') {
      const entry = { bug, idleMs: now.getTime() - decision.quietSince.getTime(), lastActivityAt: decision.quietSince };
      if (decision.kind === 'remind') preview.remind.push({ ...entry, when: decision.releaseAt });
      else preview.release.push({ ...entry, when: now });
    }
  }
  return preview;
}
