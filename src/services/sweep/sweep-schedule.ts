// `/bugs sweep schedule`: admins change the sweep's schedule without a restart. The schedule lives on sweep_state's
// row in PostgreSQL, so every replica's scheduler (scheduler/sweep-scheduler.ts polls it) and every stated time
// (nextSweepAt) follows the same one; reset returns to SWEEP_SCHEDULE. Each change is a sweep_events row, written in
// the transaction that makes it.
import type { AppContext } from '../../app-context.ts';
import { getStoredSchedule, type StoredSchedule, setStoredSchedule } from '../../db/repositories/sweep.repository.ts';
import { actorKindOf } from '../../domain/bug-event-types.ts';
import type { NextSweepAt } from '../../domain/sweep-rules.ts';
import type { SweepScheduleSpec } from '../../domain/sweep-schedule.ts';
import { recordSweepEvent } from '../audit.ts';
import { canonicalZone, nextRunsOf, nextSweepAtFor, type ScheduleProblem, scheduleProblem } from './sweep-slots.ts';

/** The schedule the sweep runs on now; `override` says who stored it and when (null: SWEEP_SCHEDULE). */
export type EffectiveSchedule = SweepScheduleSpec & { override: { by: string | null; at: Date | null } | null };

const configured = (ctx: AppContext): SweepScheduleSpec => ({
  schedule: ctx.config.sweep.schedule,
  timezone: ctx.config.sweep.timezone,
});

function effective(ctx: AppContext, stored: StoredSchedule | null): EffectiveSchedule {
  if (!stored) return { ...configured(ctx), override: null };
  return { schedule: stored.schedule, timezone: stored.timezone, override: { by: stored.setBy, at: stored.setAt } };
}

export async function effectiveSweepSchedule(ctx: AppContext): Promise<EffectiveSchedule> {
  return effective(ctx, await getStoredSchedule(ctx.orm.em.fork()));
}

/** The next sweep at or after a moment, on the effective schedule: what every stated time of the sweep uses. */
export async function effectiveNextSweepAt(ctx: AppContext): Promise<NextSweepAt> {
  return nextSweepAtFor(await effectiveSweepSchedule(ctx));
}

export type ScheduleAnswer = {
  schedule: EffectiveSchedule;
  /** The next three runs after now. */
  next: Date[];
  /** What this call changed: `unchanged` for a reset with nothing stored, or a look. */
  change: 'set' | 'reset' | 'unchanged';
};

export type ScheduleOutcome = ScheduleAnswer | { change: 'invalid'; problem: ScheduleProblem };

const answer = (ctx: AppContext, schedule: EffectiveSchedule, change: ScheduleAnswer['change']): ScheduleAnswer => ({
  schedule,
  next: nextRunsOf(schedule, 3, ctx.clock()),
  change,
});

export async function showSweepSchedule(ctx: AppContext): Promise<ScheduleAnswer> {
  return answer(ctx, await effectiveSweepSchedule(ctx), 'unchanged');
}

/** Stores `cron` in `timezone` (SWEEP_TIMEZONE when left out), validated first; audited as sweep.schedule_changed. */
export async function setSweepSchedule(
  ctx: AppContext,
  by: string,
  input: { cron: string; timezone: string | null },
): Promise<ScheduleOutcome> {
  // Slack users quote code: `0 * * * *` or "0 * * * *" mean the expression inside.
  const cron = input.cron.replace(/^[`"']+|[`"']+$/g, '').trim();
  const zone = input.timezone ?? ctx.config.sweep.timezone;
  const spec = { schedule: cron, timezone: canonicalZone(zone) ?? zone };
  const problem =
    cron === '' ? { field: 'schedule' as const, message: 'No cron expression given.' } : scheduleProblem(spec);
  if (problem) return { change: 'invalid', problem };
  const at = ctx.clock();
  const previous = await ctx.orm.em.fork().transactional(async (em) => {
    const before = await setStoredSchedule(em, { ...spec, by, at });
    await recordSweepEvent(em, {
      type: 'sweep.schedule_changed',
      actorId: by,
      actorKind: actorKindOf(by, ctx.config.adminUsers),
      at,
      metadata: { ...spec, previous: describe(ctx, before) },
    });
    return before;
  });
  ctx.logger.info({ by, ...spec, previous: describe(ctx, previous) }, 'sweep schedule changed');
  return answer(ctx, { ...spec, override: { by, at } }, 'set');
}

/** Back to SWEEP_SCHEDULE: deletes the stored schedule; audited as sweep.schedule_reset when there was one. */
export async function resetSweepSchedule(ctx: AppContext, by: string): Promise<ScheduleAnswer> {
  const at = ctx.clock();
  const previous = await ctx.orm.em.fork().transactional(async (em) => {
    const before = await setStoredSchedule(em, null);
    if (before)
      await recordSweepEvent(em, {
        type: 'sweep.schedule_reset',
        actorId: by,
        actorKind: actorKindOf(by, ctx.config.adminUsers),
        at,
        metadata: { ...configured(ctx), previous: describe(ctx, before) },
      });
    return before;
  });
  if (previous) ctx.logger.info({ by, ...configured(ctx), previous: describe(ctx, previous) }, 'sweep schedule reset');
  return answer(ctx, effective(ctx, null), previous ? 'reset' : 'unchanged');
}

function describe(ctx: AppContext, stored: StoredSchedule | null): SweepScheduleSpec & { configured: boolean } {
  return stored
    ? { schedule: stored.schedule, timezone: stored.timezone, configured: false }
    : { ...configured(ctx), configured: true };
}
