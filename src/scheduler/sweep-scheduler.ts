// A thin croner wrapper around runSweep. croner fires in every replica; PostgreSQL decides which one runs
// each slot (services/sweep/sweep-runner.ts). `protect` keeps a slow run from overlapping the next tick here.
import { Cron } from 'croner';
import type { AppContext } from '../app-context.ts';
import { runSweep } from '../services/sweep/sweep-runner.ts';

export type SweepScheduler = {
  start(): void;
  /** Stops scheduling and waits for a run in progress to finish. */
  stop(): Promise<void>;
  nextRun(): Date | null;
};

export function createSweepScheduler(ctx: AppContext): SweepScheduler {
  const log = ctx.logger.child({ component: 'scheduler' });
  let running: Promise<unknown> | null = null;
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
    },
    nextRun: () => cron.nextRun(),
  };
}
