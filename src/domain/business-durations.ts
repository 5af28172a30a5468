// What a duration setting means on a business calendar (BUSINESS_HOURS set, issue 16): hours, minutes and seconds
// are business time; a day is a business day and a week a business week. A business week is the calendar's opening
// hours in a week without holidays (40h for "Mon-Fri 09:00-17:00"), and a business day that week divided by its
// open days (8h there; 7.2h for "Mon-Thu 09:00-17:00, Fri 09:00-13:00"). So on Mon-Fri 09:00-17:00, "5d" of silence
// from Tuesday 10:00 ends next Tuesday 10:00, holidays pushing it later, and "1w" is the same as "5d". On the wall
// clock (BUSINESS_HOURS unset) a day is 24 hours and a week 7 days, as always.
import type { BusinessCalendar } from './business-hours.ts';
import type { DurationParts } from './duration.ts';

const DAY_MS = 86_400_000;

/** A business week and a business day of the calendar, in milliseconds of business time. */
export function businessUnitsOf(calendar: BusinessCalendar): { weekMs: number; dayMs: number } {
  if (calendar.kind === 'wall-clock') return { weekMs: 7 * DAY_MS, dayMs: DAY_MS };
  const openDays = calendar.hours.filter((ranges) => ranges.length > 0).length;
  return { weekMs: calendar.weekMs, dayMs: Math.round(calendar.weekMs / openDays) };
}

/** The span a duration setting names, in milliseconds of the calendar's time (business time, or wall time). */
export function spanMs(parts: DurationParts, calendar: BusinessCalendar): number {
  const { weekMs, dayMs } = businessUnitsOf(calendar);
  return parts.weeks * weekMs + parts.days * dayMs + parts.timeMs;
}
