// A thin croner wrapper around runSweep. croner fires in every replica; PostgreSQL decides which one runs
// each slot (services/sweep/sweep-runner.ts). `protect` keeps a slow run from overlapping the next tick here.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Cron } from 'croner';
import type { AppContext } from '../app-context.ts';
import { beat, stopBeating } from '../services/sweep/sweep-control.ts';
import { runSweep } from '../services/sweep/sweep-runner.ts';

const HEARTBEAT_MS = 60_000;

export type SweepScheduler = {
  start(): void;
  /** Stops scheduling and waits for a run in progress to finish. */
  stop(): Promise<void>;
  nextRun(): Date | null;
};

export function createSweepScheduler(ctx: AppContext): SweepScheduler {
  const log = ctx.logger.child({ component: 'scheduler' });
  let running: Promise<unknown> | null = null;
  // This replica's heartbeat (sweep_heartbeats): /bugs sweep status says who runs the schedule from these.
  const replica = {
    replicaId: `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
    host: hostname(),
    pid: process.pid,
    startedAt: ctx.clock(),
  };
  let beating: NodeJS.Timeout | null = null;
  const heartbeat = () =>
    beat(ctx, replica).catch((error: unknown) => log.warn({ err: error }, 'could not record the scheduler heartbeat'));
  const cron = new Cron(
    ctx.config.sweep.schedule,
    {
      timezone: ctx.config.sweep.timezone,
      paused: true,
      protect: (job) =>
        log.warn({ startedAt: job.currentRun() }, 'the previous sweep is still running; skipping this tick'),
      // A failing run is logged and the next slot runs normally.
      catch: (error) => log.error({ err: error }, 'scheduled sweep failed'),
    },
    async (job: Cron) => {
      // currentRun() is when the timer fired (a few ms late, differently in each replica); the slot is the
      // scheduled time at or before it, the same in every replica.
      const firedAt = job.currentRun() ?? new Date();
      const slot = job.previousRuns(1, firedAt)[0] ?? firedAt;
      void heartbeat();
      running = runSweep(ctx, { trigger: 'schedule', slot });
      try {
        await running;
      } finally {
        running = null;
      }
    },
  );
  return {
    start() {
      cron.resume();
      void heartbeat();
      beating = setInterval(() => void heartbeat(), HEARTBEAT_MS);
      beating.unref();
      log.info(
        {
          schedule: ctx.config.sweep.schedule,
          timezone: ctx.config.sweep.timezone,
          next: cron.nextRun()?.toISOString(),
        },
        'sweep scheduled',
      );
    },
    async stop() {
      cron.stop();
      if (running) await running.catch(() => {});
      if (beating) {
        clearInterval(beating);
        beating = null;
        await stopBeating(ctx, replica.replicaId).catch(() => {});
      }
    },
    nextRun: () => cron.nextRun(),
  };
}
