// Which slot a croner tick is for. Every replica's timer fires a little late, each by its own few milliseconds; the
// slot they agree on (sweep_runs, digest_runs) is the scheduled time at or before the firing.
import type { Cron } from 'croner';

/** The scheduled time at or before `firedAt` (when the timer fired); `firedAt` itself when the job has none. */
export function slotAt(job: Cron, firedAt: Date): Date {
  // previousRuns gives the runs strictly before its reference: a millisecond past the firing makes a timer that
  // fired right on its scheduled time that slot, not the one before.
  return job.previousRuns(1, new Date(firedAt.getTime() + 1))[0] ?? firedAt;
}

/** The slot of the tick now running (currentRun() is when this tick's timer fired). */
export function currentSlot(job: Cron): Date {
  return slotAt(job, job.currentRun() ?? new Date());
}
