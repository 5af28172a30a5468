// `/bugs sweep schedule <cron> [timezone]`: which of the words are the cron expression and which the time zone, and
// the sweep's own audit vocabulary (sweep_events). Pure; croner validates the expression in services/.

/** Every audit event type the bot writes to sweep_events: changes to the sweep itself, which belong to no bug. */
export const SWEEP_EVENT_TYPES = [
  /** An admin set the schedule (metadata: schedule, timezone, previous). */
  'sweep.schedule_changed',
  /** Back to SWEEP_SCHEDULE (metadata: schedule, timezone, previous). */
  'sweep.schedule_reset',
  'sweep.paused',
  'sweep.resumed',
  'sweep.cancel_requested',
] as const;
export type SweepEventType = (typeof SWEEP_EVENT_TYPES)[number];

/** The schedule the sweep runs on: a cron expression read in an IANA time zone. */
export type SweepScheduleSpec = { schedule: string; timezone: string };

// Month and weekday names, and croner's L, W and ?: words of a cron field that hold letters.
const CRON_NAME = /^(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|sun|mon|tue|wed|thu|fri|sat|l|w|lw)$/i;

/** A word that can only be a time zone (UTC, Europe/Berlin, Etc/GMT+1), never a field of a cron expression. */
function isZoneWord(word: string): boolean {
  if (!/[a-z]/i.test(word) || word.startsWith('@')) return false;
  if (/^[a-z_]+\//i.test(word)) return true;
  return !word
    .split(/[-,/#]/)
    .every((part) => part === '' || /^\d*$/.test(part) || CRON_NAME.test(part.replace(/\d/g, '')));
}

/** Splits the words after `schedule`: the last one is the time zone when it cannot be part of a cron expression. */
export function splitScheduleWords(words: readonly string[]): { cron: string; timezone: string | null } {
  const last = words.at(-1);
  if (words.length > 1 && last !== undefined && isZoneWord(last))
    return { cron: words.slice(0, -1).join(' '), timezone: last };
  return { cron: words.join(' '), timezone: null };
}
