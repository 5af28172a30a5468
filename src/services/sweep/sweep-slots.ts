// The sweep's schedule as a pure function of time (croner's nextRun never waits): used to state, in notices,
// the time of the sweep that will really act. scheduler/ fires on the same schedule: the effective one
// (services/sweep/sweep-schedule.ts), an admin's stored schedule or else SWEEP_SCHEDULE.
import { Cron } from 'croner';
import type { NextSweepAt } from '../../domain/sweep-rules.ts';
import type { SweepScheduleSpec } from '../../domain/sweep-schedule.ts';

export function nextSweepAtFor(spec: SweepScheduleSpec): NextSweepAt {
  const cron = new Cron(spec.schedule, { timezone: spec.timezone, paused: true });
  return (moment) => {
    // croner works in whole seconds and returns runs strictly after its argument: start from the second
    // before the moment rounded up, so a run at exactly the moment counts and none before it does.
    const ceiled = Math.ceil(moment.getTime() / 1000) * 1000;
    return cron.nextRun(new Date(ceiled - 1000)) ?? moment;
  };
}

/** The next `count` runs strictly after `after`. */
export function nextRunsOf(spec: SweepScheduleSpec, count: number, after: Date): Date[] {
  return new Cron(spec.schedule, { timezone: spec.timezone, paused: true }).nextRuns(count, after);
}

/** Whether `slot` is a run time of the schedule (to the second). */
export function isSlotOf(spec: SweepScheduleSpec, slot: Date): boolean {
  return nextSweepAtFor(spec)(slot).getTime() === Math.ceil(slot.getTime() / 1000) * 1000;
}

export type ScheduleProblem = { field: 'schedule' | 'timezone'; message: string };

/** Why croner will not run this schedule, in a sentence for an admin; null when it is fine. */
export function scheduleProblem(spec: SweepScheduleSpec): ScheduleProblem | null {
  if (!isIanaZone(spec.timezone))
    return {
      field: 'timezone',
      message: `\`${spec.timezone}\` is not an IANA time zone; try one such as \`UTC\`, \`Europe/Berlin\` or \`America/New_York\`.`,
    };
  let cron: Cron;
  try {
    cron = new Cron(spec.schedule, { timezone: spec.timezone, paused: true });
  } catch (error) {
    const reason = (error as Error).message.replace(/^CronPattern: /, '').replace(/\.+$/, '');
    return {
      field: 'schedule',
      message: `\`${spec.schedule}\` is not a cron expression I can run: ${reason}. For example \`0 * * * *\` is every hour on the hour.`,
    };
  }
  if (cron.nextRun() === null)
    return { field: 'schedule', message: `\`${spec.schedule}\` never runs: no date matches it.` };
  return null;
}

/** The zone as IANA spells it (`europe/berlin` → `Europe/Berlin`; an alias stays as typed), null when it is none. */
export function canonicalZone(zone: string): string | null {
  if (!isIanaZone(zone)) return null;
  const resolved = new Intl.DateTimeFormat('en-GB', { timeZone: zone }).resolvedOptions().timeZone;
  return resolved.toLowerCase() === zone.toLowerCase() ? resolved : zone;
}

function isIanaZone(zone: string): boolean {
  // Offsets (+01:00) are not zone names: a schedule follows the zone's daylight-saving changes.
  if (!/^[A-Za-z]/.test(zone)) return false;
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
