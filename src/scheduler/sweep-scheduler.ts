// A thin croner wrapper around runSweep. croner fires in every replica; PostgreSQL decides which one runs
// each slot (services/sweep/sweep-runner.ts). `protect` keeps a slow run from overlapping the next tick here.
// The schedule is the effective one (an admin's `/bugs sweep schedule`, stored in PostgreSQL, else SWEEP_SCHEDULE):
// polled every 30 s, and read again at each tick, so a replica that has not polled since a change never runs a slot
// the new schedule does not have. Slots come from the effective schedule, the same in every replica.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Cron } from 'croner';
import type { AppContext } from '../app-context.ts';
import type { SweepScheduleSpec } from '../domain/sweep-schedule.ts';
import { beat, stopBeating } from '../services/sweep/sweep-control.ts';
import { runSweep } from '../services/sweep/sweep-runner.ts';
import { effectiveSweepSchedule } from '../services/sweep/sweep-schedule.ts';
import { isSlotOf } from '../services/sweep/sweep-slots.ts';
import { currentSlot } from './cron-slot.ts';

const HEARTBEAT_MS = 60_000;
/** How often each replica reads the stored schedule: a change reaches every replica within a minute. */
export const SCHEDULE_POLL_MS = 30_000;

export type SweepSchedulerOptions = {
  /** How often the stored schedule is read (default SCHEDULE_POLL_MS). Test seam: tests pass a short one. */
  pollMs?: number;
};

export type SweepScheduler = {
  /** Reads the effective schedule and starts firing on it. */
  start(): Promise<void>;
  /** Stops scheduling and waits for a run in progress to finish. */
  stop(): Promise<void>;
  nextRun(): Date | null;
  /** The schedule the croner job fires on now; null before start. */
  schedule(): SweepScheduleSpec | null;
};

const sameSpec = (a: SweepScheduleSpec | null, b: SweepScheduleSpec) =>
  a !== null && a.schedule === b.schedule && a.timezone === b.timezone;

export function createSweepScheduler(ctx: AppContext, options: SweepSchedulerOptions = {}): SweepScheduler {
  const log = ctx.logger.child({ component: 'scheduler' });
  const runs = new Set<Promise<unknown>>();
  // This replica's heartbeat (sweep_heartbeats): /bugs sweep status says who runs the schedule from these.
  const replica = {
    replicaId: `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
    host: hostname(),
    pid: process.pid,
    startedAt: ctx.clock(),
  };
  let beating: NodeJS.Timeout | null = null;
  let polling: NodeJS.Timeout | null = null;
  let spec: SweepScheduleSpec | null = null;
  let cron: Cron | null = null;
  let stopped = false;
  const heartbeat = () =>
    beat(ctx, replica).catch((error: unknown) => log.warn({ err: error }, 'could not record the scheduler heartbeat'));

  /** Fires on `fires`; at each tick the schedule is read again and decides whether the slot is one. */
  const jobFor = (fires: SweepScheduleSpec) =>
    new Cron(
      fires.schedule,
      {
        timezone: fires.timezone,
        protect: (job) =>
          log.warn({ startedAt: job.currentRun() }, 'the previous sweep is still running; skipping this tick'),
        // A failing run is logged and the next slot runs normally.
        catch: (error) => log.error({ err: error }, 'scheduled sweep failed'),
      },
      async (job: Cron) => {
        const slot = currentSlot(job);
        void heartbeat();
        const current = await effectiveSweepSchedule(ctx);
        if (!sameSpec(fires, current)) {
          apply(current);
          if (!isSlotOf(current, slot)) {
            log.info({ slot: slot.toISOString(), schedule: current.schedule }, 'not a slot of the new schedule');
            return;
          }
        }
        const run = runSweep(ctx, { trigger: 'schedule', slot });
        runs.add(run);
        try {
          await run;
        } finally {
          runs.delete(run);
        }
      },
    );

  function apply(next: SweepScheduleSpec): void {
    if (stopped || sameSpec(spec, next)) return;
    const previous = spec;
    cron?.stop();
    spec = { schedule: next.schedule, timezone: next.timezone };
    cron = jobFor(spec);
    log.info(
      { ...spec, next: cron.nextRun()?.toISOString(), ...(previous ? { previous } : {}) },
      previous ? 'sweep schedule changed' : 'sweep scheduled',
    );
  }

  const refresh = async () => {
    try {
      apply(await effectiveSweepSchedule(ctx));
    } catch (error) {
      log.warn({ err: error }, 'could not read the sweep schedule; keeping the current one');
      if (!spec) apply({ schedule: ctx.config.sweep.schedule, timezone: ctx.config.sweep.timezone });
    }
  };

  return {
    async start() {
      stopped = false;
      await refresh();
      polling = setInterval(() => void refresh(), options.pollMs ?? SCHEDULE_POLL_MS);
      polling.unref();
      void heartbeat();
      beating = setInterval(() => void heartbeat(), HEARTBEAT_MS);
      beating.unref();
    },
    async stop() {
      stopped = true;
      if (polling) clearInterval(polling);
      polling = null;
      cron?.stop();
      await Promise.all([...runs].map((run) => run.catch(() => {})));
      if (beating) {
        clearInterval(beating);
        beating = null;
        await stopBeating(ctx, replica.replicaId).catch(() => {});
      }
    },
    nextRun: () => cron?.nextRun() ?? null,
    schedule: () => spec,
  };
}
