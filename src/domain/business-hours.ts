// Business hours: clocks that count only the time a team is at work (BUSINESS_HOURS, BUSINESS_TIMEZONE, HOLIDAYS).
//
// A calendar is a set of opening spans of real time. Each range of a day ("Mon 09:00-17:00") is the span from the
// first moment the clocks of BUSINESS_TIMEZONE show its start on that date to the first moment they show its end.
// That one definition settles the local times daylight saving makes odd:
//   - a time that does not exist (02:30 on a spring-forward night) is reached when the clocks jump past it, so a
//     range that starts or ends in the gap starts or ends at the jump, and a range wholly inside the gap is empty;
//   - a time that exists twice (02:30 on a fall-back night) is reached the first time, so a range spanning the change
//     lasts an hour longer ("Sun 00:00-06:00" is 7 hours that night), and one ending inside the repeated hour ends at
//     its first pass;
//   - "24:00" is the next date's first midnight, so a day of 00:00-24:00 lasts 23, 24 or 25 hours, and a 24/7
//     calendar counts exactly what a wall clock counts.
// HOLIDAYS are whole local dates without any opening span.
//
// No Temporal here: zone offsets come from Intl.DateTimeFormat. Everything assumes what every zone in the tz
// database does in our era: a zone's offset lies within -16h..+16h and changes at most once in any 56 hours.
// Walking a long span skips whole weeks that hold no holiday and no offset change by arithmetic, so a year costs a
// few hundred offset look-ups, not one per minute or per day.
import { type ParseResult, parsed, rejected } from './parse-result.ts';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** Wider than any offset a zone has (-12h..+14h): every instant whose local date is D lies within this of D. */
const MARGIN_MS = 16 * 3_600_000;
/** A walk that finds no opening for this long has a calendar without business time: stop instead of spinning. */
const MAX_WALK_DAYS = 400 * 366;

export const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
const WEEKDAY_NAMES = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

/** Minutes after local midnight: start 0..1439, end 1..1440 (1440 is "24:00"), start before end. */
export type TimeRange = { readonly startMinute: number; readonly endMinute: number };

/** Opening ranges per weekday, Monday first (7 entries); each day's ranges sorted, apart, never touching. */
export type WeeklyHours = readonly (readonly TimeRange[])[];

/**
 * The clock the inactivity, warning, claim-release and reminder rules count on. `WALL_CLOCK` (BUSINESS_HOURS unset)
 * counts every millisecond, and the functions below then are plain arithmetic, so callers keep one code path.
 * Build a business calendar with `createBusinessCalendar` only: `holidayDays` and `weekMs` are derived from the rest.
 */
export type BusinessCalendar =
  | { readonly kind: 'wall-clock' }
  | {
      readonly kind: 'business';
      readonly hours: WeeklyHours;
      /** An IANA zone: the zone BUSINESS_HOURS and HOLIDAYS are read in. */
      readonly timeZone: string;
      /** YYYY-MM-DD, sorted, each once. */
      readonly holidays: readonly string[];
      /** The holidays as days since 1970-01-01 (local dates). */
      readonly holidayDays: ReadonlySet<number>;
      /** Business time in a week without holidays or offset changes. */
      readonly weekMs: number;
    };

type Business = Extract<BusinessCalendar, { kind: 'business' }>;

export const WALL_CLOCK: BusinessCalendar = Object.freeze({ kind: 'wall-clock' });

// ---------------------------------------------------------------------------------------------------------------
// Settings

const HOURS_FORM =
  'opening hours such as "Mon-Fri 09:00-17:00" or "Mon-Thu 09:00-17:00, Fri 09:00-13:00" ' +
  '(days Mon to Sun, times HH:MM, 24:00 ends a day)';

/**
 * BUSINESS_HOURS: comma-separated entries, each a day (`Sat`) or a range of days (`Mon-Fri`, `Fri-Mon` wraps past
 * Sunday) followed by one or more time ranges (`09:00-12:00 13:00-17:00` for a lunch break). Days are English names
 * or their first three or more letters, any case; times are `H:MM` or `HH:MM`, and an end may be `24:00`. A day
 * given in two entries, overlapping ranges and ranges that end before they start (past midnight: write
 * `Fri 22:00-24:00, Sat 00:00-06:00`) are errors rather than guesses. Touching ranges are joined.
 */
export function parseBusinessHours(text: string): ParseResult<WeeklyHours> {
  const input = text.trim();
  if (!input) return rejected(HOURS_FORM, input, 'it is empty');
  const normalized = input.replace(/[\u2010-\u2015]/g, '-').replace(/\s*-\s*/g, '-');
  const week: TimeRange[][] = [[], [], [], [], [], [], []];
  const given = new Set<number>();
  for (const rawEntry of normalized.split(',')) {
    const entry = rawEntry.trim();
    const [daySpec, ...rangeSpecs] = entry.split(/\s+/);
    if (!entry || !daySpec) return rejected(HOURS_FORM, input, 'an empty entry between commas');
    const days = parseDays(daySpec);
    if (typeof days === 'string') return rejected(HOURS_FORM, input, days);
    if (rangeSpecs.length === 0) return rejected(HOURS_FORM, input, `"${entry}" has no hours`);
    const ranges: TimeRange[] = [];
    for (const spec of rangeSpecs) {
      const range = parseTimeRange(spec);
      if (typeof range === 'string') return rejected(HOURS_FORM, input, range);
      ranges.push(range);
    }
    const joined = joinRanges(ranges);
    if (typeof joined === 'string') return rejected(HOURS_FORM, input, joined);
    for (const day of days) {
      if (given.has(day)) {
        return rejected(
          HOURS_FORM,
          input,
          `${WEEKDAYS[day]} is given twice; give each day once, with several ranges for a break: "Mon-Fri 09:00-12:00 13:00-17:00"`,
        );
      }
      given.add(day);
      week[day] = joined;
    }
  }
  return parsed(week);
}

function dayIndex(name: string): number {
  const lower = name.toLowerCase();
  if (lower.length < 3) return -1;
  return WEEKDAY_NAMES.findIndex((full) => full.startsWith(lower));
}

function parseDays(spec: string): number[] | string {
  const names = spec.split('-');
  if (names.length > 2) return `"${spec}" is not a day or a range of days such as Mon-Fri`;
  const indexes = names.map(dayIndex);
  const bad = names.find((_, i) => indexes[i]! < 0);
  if (bad !== undefined) return `"${bad || spec}" is not a day (Mon, Tue, Wed, Thu, Fri, Sat or Sun)`;
  const first = indexes[0]!;
  const last = indexes[indexes.length - 1]!;
  const days = [first];
  for (let day = first; day !== last; ) {
    day = (day + 1) % 7;
    days.push(day);
  }
  return days;
}

const TIME_RANGE = /^(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})$/;

function parseTimeRange(spec: string): TimeRange | string {
  const match = TIME_RANGE.exec(spec);
  if (!match) return `"${spec}" is not a time range such as 09:00-17:00`;
  const [startHour, startMinutes, endHour, endMinutes] = match.slice(1).map(Number);
  const startMinute = clockMinute(startHour!, startMinutes!, false);
  const endMinute = clockMinute(endHour!, endMinutes!, true);
  if (startMinute === null || endMinute === null) {
    return `"${spec}" has a time that is not on a clock (00:00 to 23:59, and 24:00 as an end)`;
  }
  if (endMinute === startMinute) return `"${spec}" is empty`;
  if (endMinute < startMinute) {
    return `"${spec}" ends before it starts; hours past midnight are two entries: "Fri 22:00-24:00, Sat 00:00-06:00"`;
  }
  return { startMinute, endMinute };
}

function clockMinute(hour: number, minute: number, isEnd: boolean): number | null {
  if (isEnd && hour === 24 && minute === 0) return 1440;
  if (hour > 23 || minute > 59) return null;
  return hour * 60 + minute;
}

function joinRanges(ranges: readonly TimeRange[]): TimeRange[] | string {
  const sorted = [...ranges].sort((a, b) => a.startMinute - b.startMinute);
  const joined: TimeRange[] = [];
  for (const range of sorted) {
    const previous = joined[joined.length - 1];
    if (previous && range.startMinute < previous.endMinute) {
      return `${formatRange(previous)} and ${formatRange(range)} overlap`;
    }
    if (previous && range.startMinute === previous.endMinute) {
      joined[joined.length - 1] = { startMinute: previous.startMinute, endMinute: range.endMinute };
    } else {
      joined.push(range);
    }
  }
  return joined;
}

const clock = (minute: number) =>
  `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
const formatRange = (range: TimeRange) => `${clock(range.startMinute)}-${clock(range.endMinute)}`;

/** The hours back in BUSINESS_HOURS' own form ("Mon-Fri 09:00-17:00, Sat 10:00-14:00"), for logs and help texts. */
export function formatBusinessHours(hours: WeeklyHours): string {
  const entries: string[] = [];
  for (let day = 0; day < 7; ) {
    const ranges = hours[day]!.map(formatRange).join(' ');
    let last = day;
    while (last + 1 < 7 && hours[last + 1]!.map(formatRange).join(' ') === ranges) last++;
    if (ranges) entries.push(`${WEEKDAYS[day]}${last > day ? `-${WEEKDAYS[last]}` : ''} ${ranges}`);
    day = last + 1;
  }
  return entries.join(', ');
}

const ZONE_FORM = 'an IANA time zone such as Europe/Berlin, America/New_York or UTC';

/** BUSINESS_TIMEZONE: a zone Intl knows, by name (fixed offsets such as +02:00 know nothing of daylight saving). */
export function parseBusinessTimezone(text: string): ParseResult<string> {
  const input = text.trim();
  if (!input) return rejected(ZONE_FORM, input, 'it is empty');
  if (/^[+\-\d]/.test(input)) return rejected(ZONE_FORM, input, 'an offset is not a zone; name the place');
  try {
    // Intl spells a zone its own way: its case is fixed ("europe/berlin"), its aliases are kept ("Asia/Kolkata" is
    // not turned into the older "Asia/Calcutta").
    const resolved = new Intl.DateTimeFormat('en-GB', { timeZone: input }).resolvedOptions().timeZone;
    return parsed(resolved.toLowerCase() === input.toLowerCase() ? resolved : input);
  } catch {
    return rejected(ZONE_FORM, input);
  }
}

const HOLIDAYS_FORM = 'dates such as "2026-12-24, 2026-12-25" (YYYY-MM-DD, comma-separated)';

/** HOLIDAYS: dates (local dates in BUSINESS_TIMEZONE), separated by commas or spaces; empty is none. */
export function parseHolidays(text: string): ParseResult<readonly string[]> {
  const input = text.trim();
  const dates = new Set<string>();
  for (const item of input.split(/[\s,]+/)) {
    if (!item) continue;
    if (epochDayOf(item) === null) return rejected(HOLIDAYS_FORM, input, `"${item}" is not a date`);
    dates.add(item);
  }
  return parsed([...dates].sort());
}

/** Days since 1970-01-01 of a real YYYY-MM-DD date, or null. */
function epochDayOf(date: string): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const ms = Date.UTC(year, month - 1, day);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== year || back.getUTCMonth() !== month - 1 || back.getUTCDate() !== day) return null;
  return ms / DAY_MS;
}

/**
 * A business calendar from parsed settings. Throws a RangeError for hours without any opening (the parser never
 * returns those) and lets Intl's RangeError through for an unknown zone.
 */
export function createBusinessCalendar(settings: {
  hours: WeeklyHours;
  timeZone: string;
  holidays?: readonly string[];
}): BusinessCalendar {
  const { hours, timeZone } = settings;
  if (hours.length !== 7) throw new RangeError('business hours need seven days, Monday first');
  let weekMs = 0;
  for (const day of hours) for (const range of day) weekMs += (range.endMinute - range.startMinute) * MINUTE_MS;
  if (weekMs <= 0) throw new RangeError('business hours without any opening would never count time');
  const holidays = [...new Set(settings.holidays ?? [])].sort();
  const holidayDays = new Set<number>();
  for (const date of holidays) {
    const day = epochDayOf(date);
    if (day === null) throw new RangeError(`"${date}" is not a YYYY-MM-DD date`);
    holidayDays.add(day);
  }
  offsetReader(timeZone);
  return Object.freeze({ kind: 'business', hours, timeZone, holidays, holidayDays, weekMs });
}

// ---------------------------------------------------------------------------------------------------------------
// Time

/**
 * Business time elapsed from `from` to `to`, in milliseconds: the part of [from, to) that lies in opening spans.
 * Negative when `to` is before `from` (as plain subtraction is), so it can replace `to - from` anywhere.
 */
export function businessMsBetween(from: Date, to: Date, calendar: BusinessCalendar): number {
  const a = from.getTime();
  const b = to.getTime();
  if (calendar.kind === 'wall-clock') return b - a;
  if (b < a) return -businessMsBetween(to, from, calendar);
  let total = 0;
  const lastDay = localDay(calendar.timeZone, b) + 1;
  for (let day = localDay(calendar.timeZone, a) - 1; day <= lastDay; ) {
    if (day * DAY_MS - MARGIN_MS >= a && (day + 7) * DAY_MS + MARGIN_MS <= b && isPlainWeek(calendar, day)) {
      total += calendar.weekMs;
      day += 7;
      continue;
    }
    for (const [start, end] of openSpans(calendar, day)) total += Math.max(0, Math.min(end, b) - Math.max(start, a));
    day++;
  }
  return total;
}

/**
 * The instant at which `ms` of business time has passed since `from`: the earliest `t` with
 * `businessMsBetween(from, t) === ms`, exactly (so a notice saying "closes on Mon 7 Dec, 10:00" names the moment
 * the condition first holds). Outside business hours the clock is paused: from Saturday noon, one business hour
 * ends at 10:00 on Monday when Monday opens at 09:00. A span that runs out exactly at a closing time ends at that
 * closing time, not at the next opening. `ms` 0 is `from` itself. `ms` must be a non-negative whole number; to go
 * back, use `subtractBusinessMs`.
 */
export function addBusinessMs(from: Date, ms: number, calendar: BusinessCalendar): Date {
  assertSpan(ms);
  const a = from.getTime();
  if (calendar.kind === 'wall-clock' || ms === 0) return new Date(a + ms);
  let remaining = ms;
  const firstDay = localDay(calendar.timeZone, a) - 1;
  for (let day = firstDay; day - firstDay < MAX_WALK_DAYS; ) {
    if (remaining > calendar.weekMs && day * DAY_MS - MARGIN_MS >= a && isPlainWeek(calendar, day)) {
      remaining -= calendar.weekMs;
      day += 7;
      continue;
    }
    for (const [spanStart, end] of openSpans(calendar, day)) {
      if (end <= a) continue;
      const start = Math.max(spanStart, a);
      if (end - start >= remaining) return new Date(start + remaining);
      remaining -= end - start;
    }
    day++;
  }
  throw new RangeError('the calendar has no business time to count');
}

/**
 * The earliest instant `t` with `businessMsBetween(t, to) === ms`: the bound of a range scan, because for every `x`
 * before `to`, `businessMsBetween(x, to) > ms` exactly when `x < subtractBusinessMs(to, ms)`. So "idle for more
 * than AUTO_CLOSE_AFTER of business time" is `last_activity_at < subtractBusinessMs(now, AUTO_CLOSE_AFTER)`.
 * When `to` falls outside business hours the count starts at the last closing before it, so `ms` 0 then gives that
 * closing time; on a wall clock this is `to - ms`. `ms` must be a non-negative whole number.
 */
export function subtractBusinessMs(to: Date, ms: number, calendar: BusinessCalendar): Date {
  assertSpan(ms);
  const b = to.getTime();
  if (calendar.kind === 'wall-clock') return new Date(b - ms);
  let remaining = ms;
  const firstDay = localDay(calendar.timeZone, b) + 1;
  for (let day = firstDay; firstDay - day < MAX_WALK_DAYS; ) {
    if (remaining > calendar.weekMs && (day + 1) * DAY_MS + MARGIN_MS <= b && isPlainWeek(calendar, day - 6)) {
      remaining -= calendar.weekMs;
      day -= 7;
      continue;
    }
    const spans = openSpans(calendar, day);
    for (let i = spans.length - 1; i >= 0; i--) {
      const [start, spanEnd] = spans[i]!;
      if (start >= b) continue;
      const end = Math.min(spanEnd, b);
      if (end - start > remaining) return new Date(end - remaining);
      remaining -= end - start;
    }
    day--;
  }
  throw new RangeError('the calendar has no business time to count');
}

/** Whether business time is running at `at` (always, on a wall clock). Opening instants count, closing ones don't. */
export function isBusinessTime(at: Date, calendar: BusinessCalendar): boolean {
  if (calendar.kind === 'wall-clock') return true;
  const t = at.getTime();
  const day = localDay(calendar.timeZone, t);
  for (let d = day - 1; d <= day + 1; d++) {
    for (const [start, end] of openSpans(calendar, d)) if (start <= t && t < end) return true;
  }
  return false;
}

function assertSpan(ms: number): void {
  if (!Number.isSafeInteger(ms) || ms < 0) throw new RangeError(`a business span must be whole milliseconds ≥ 0`);
}

/** The opening spans of one local date, as [start, end) instants in order; empty on holidays and closed days. */
function openSpans(calendar: Business, day: number): Array<readonly [number, number]> {
  if (calendar.holidayDays.has(day)) return [];
  const ranges = calendar.hours[weekdayOf(day)]!;
  if (ranges.length === 0) return [];
  const zone = calendar.timeZone;
  const midnight = day * DAY_MS;
  const offset = steadyOffset(zone, midnight - MARGIN_MS, midnight + DAY_MS + MARGIN_MS);
  const instantOf = (wall: number) => (offset === null ? firstInstantShowing(zone, wall) : wall - offset);
  const spans: Array<readonly [number, number]> = [];
  for (const range of ranges) {
    const start = instantOf(midnight + range.startMinute * MINUTE_MS);
    const end = instantOf(midnight + range.endMinute * MINUTE_MS);
    if (end > start) spans.push([start, end]);
  }
  return spans;
}

/** The seven dates from `day` hold no holiday and no offset change: their business time is exactly `weekMs`. */
function isPlainWeek(calendar: Business, day: number): boolean {
  for (let d = day; d < day + 7; d++) if (calendar.holidayDays.has(d)) return false;
  const zone = calendar.timeZone;
  const offset = offsetAt(zone, day * DAY_MS - MARGIN_MS);
  for (let d = day + 1; d < day + 7; d++) if (offsetAt(zone, d * DAY_MS) !== offset) return false;
  return offsetAt(zone, (day + 7) * DAY_MS + MARGIN_MS) === offset;
}

/** 1970-01-01 was a Thursday; Monday is 0. */
const weekdayOf = (day: number) => (((day + 3) % 7) + 7) % 7;

/** The local date of an instant, as days since 1970-01-01. */
function localDay(zone: string, t: number): number {
  return Math.floor((t + offsetAt(zone, t)) / DAY_MS);
}

/** The offset when it is the same at both ends of a span in which it changes at most once; else null. */
function steadyOffset(zone: string, from: number, to: number): number | null {
  const offset = offsetAt(zone, from);
  return offsetAt(zone, to) === offset ? offset : null;
}

/**
 * The first instant at which the zone's clocks show `wall` (a local date and time written as if it were UTC) or
 * later: the instant itself when the time exists once, its first pass when it exists twice, and the jump when
 * daylight saving skips it.
 */
function firstInstantShowing(zone: string, wall: number): number {
  const before = offsetAt(zone, wall - DAY_MS);
  const after = offsetAt(zone, wall + DAY_MS);
  const withBefore = wall - before;
  const withAfter = wall - after;
  const beforeHolds = offsetAt(zone, withBefore) === before;
  const afterHolds = offsetAt(zone, withAfter) === after;
  if (beforeHolds && afterHolds) return Math.min(withBefore, withAfter);
  if (beforeHolds) return withBefore;
  if (afterHolds) return withAfter;
  // Skipped: the clocks jump from before `wall` to after it somewhere between the two readings. Find the jump.
  let low = Math.min(withBefore, withAfter);
  let high = Math.max(withBefore, withAfter);
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (offsetAt(zone, middle) === before) low = middle;
    else high = middle;
  }
  return high;
}

const offsetReaders = new Map<string, Intl.DateTimeFormat>();

function offsetReader(zone: string): Intl.DateTimeFormat {
  let reader = offsetReaders.get(zone);
  if (!reader) {
    reader = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    offsetReaders.set(zone, reader);
  }
  return reader;
}

/** Local time minus UTC at instant `t`, in milliseconds (Intl reads whole seconds; offsets change on them). */
function offsetAt(zone: string, t: number): number {
  const second = Math.floor(t / 1000) * 1000;
  const fields = { year: 0, month: 1, day: 1, hour: 0, minute: 0, second: 0 };
  for (const part of offsetReader(zone).formatToParts(second)) {
    if (part.type in fields) fields[part.type as keyof typeof fields] = Number(part.value);
  }
  const local = new Date(Date.UTC(2000, fields.month - 1, fields.day, fields.hour, fields.minute, fields.second));
  local.setUTCFullYear(fields.year);
  return local.getTime() - second;
}
