// Business hours on real calendars: weekends, holidays, the DST days of Berlin, New York and Auckland, Kolkata's
// half-hour offset, ranges ending at 24:00, and spans of weeks and a year. Worked examples by hand, then the same
// functions held against a minute-by-minute count of what the local clocks show.
import { describe, expect, it } from 'vitest';
import {
  addBusinessMs,
  type BusinessCalendar,
  businessMsBetween,
  createBusinessCalendar,
  formatBusinessHours,
  isBusinessTime,
  parseBusinessHours,
  parseBusinessTimezone,
  parseHolidays,
  subtractBusinessMs,
  WALL_CLOCK,
} from '../../src/domain/business-hours.ts';
import { formatMoment } from '../../src/domain/time-format.ts';
import { DAY, HOUR, MINUTE } from '../support/test-clock.ts';

const at = (iso: string) => new Date(iso);

function hoursOf(text: string) {
  const result = parseBusinessHours(text);
  if (!result.ok) throw new Error(result.error);
  return result.value;
}

function calendar(hours: string, timeZone: string, holidays: readonly string[] = []): BusinessCalendar {
  return createBusinessCalendar({ hours: hoursOf(hours), timeZone, holidays });
}

/** Berlin office hours; 24 and 25 Dec 2026 (Thu, Fri) are holidays. */
const BERLIN = calendar('Mon-Fri 09:00-17:00', 'Europe/Berlin', ['2026-12-24', '2026-12-25']);

describe('parseBusinessHours', () => {
  it.each([
    ['Mon-Fri 09:00-17:00', 'Mon-Fri 09:00-17:00'],
    ['Mon-Thu 09:00-17:00, Fri 09:00-13:00', 'Mon-Thu 09:00-17:00, Fri 09:00-13:00'],
    ['Sat 10:00-14:00', 'Sat 10:00-14:00'],
    ['Mon-Fri 09:00-12:00 13:00-17:00', 'Mon-Fri 09:00-12:00 13:00-17:00'],
    ['Mon-Sun 00:00-24:00', 'Mon-Sun 00:00-24:00'],
    ['Fri 22:00-24:00, Sat 00:00-06:00', 'Fri 22:00-24:00, Sat 00:00-06:00'],
    ['Fri-Mon 10:00-14:00', 'Mon 10:00-14:00, Fri-Sun 10:00-14:00'],
    ['mon - friday 9:00 – 17:30', 'Mon-Fri 09:00-17:30'],
    ['  Tues-Thurs 08:00-16:00 ,Sun 10:00-11:00 ', 'Tue-Thu 08:00-16:00, Sun 10:00-11:00'],
    ['Mon 09:00-12:00 12:00-17:00', 'Mon 09:00-17:00'],
    ['Wed 13:00-17:00 08:00-12:00', 'Wed 08:00-12:00 13:00-17:00'],
  ])('reads %j', (text, normal) => {
    expect(formatBusinessHours(hoursOf(text))).toBe(normal);
  });

  it.each([
    ['', 'it is empty'],
    ['Mon-Fry 09:00-17:00', '"Fry" is not a day'],
    ['Mo 09:00-17:00', '"Mo" is not a day'],
    ['Mon-Wed-Fri 09:00-17:00', '"Mon-Wed-Fri" is not a day or a range of days'],
    ['Mon-Fri', '"Mon-Fri" has no hours'],
    ['Mon-Fri 9-17', '"9-17" is not a time range such as 09:00-17:00'],
    ['Mon-Fri 09:00-25:00', 'has a time that is not on a clock'],
    ['Mon-Fri 24:00-24:00', 'has a time that is not on a clock'],
    ['Mon-Fri 09:60-17:00', 'has a time that is not on a clock'],
    ['Mon-Fri 09:00-09:00', '"09:00-09:00" is empty'],
    ['Mon-Fri 17:00-09:00', '"17:00-09:00" ends before it starts'],
    ['Mon-Fri 09:00-13:00 12:00-17:00', '09:00-13:00 and 12:00-17:00 overlap'],
    ['Mon-Fri 09:00-17:00, Fri 09:00-13:00', 'Fri is given twice'],
    ['Mon-Fri 09:00-17:00,', 'an empty entry between commas'],
    ['Mon-Fri 09:00-17:00; Sat 10:00-12:00', 'is not a time range'],
  ])('refuses %j, naming the problem and the accepted form', (text, problem) => {
    const result = parseBusinessHours(text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toContain(problem);
    expect(result.error).toMatch(/^expected opening hours such as "Mon-Fri 09:00-17:00" or "Mon-Thu 09:00-17:00, Fri/);
    expect(result.error).toContain(`got "${text.trim()}"`);
  });
});

describe('parseBusinessTimezone and parseHolidays', () => {
  it.each([
    ['Europe/Berlin', 'Europe/Berlin'],
    ['europe/berlin', 'Europe/Berlin'],
    [' Asia/Kolkata ', 'Asia/Kolkata'],
    ['UTC', 'UTC'],
  ])('accepts the zone %j as %j', (text, zone) => {
    expect(parseBusinessTimezone(text)).toEqual({ ok: true, value: zone });
  });

  it.each(['', 'Mars/Olympus', '+02:00', 'Berlin'])('refuses the zone %j, naming the accepted form', (text) => {
    const result = parseBusinessTimezone(text);
    expect(result).toMatchObject({ ok: false, error: expect.stringMatching(/^expected an IANA time zone such as/) });
  });

  it('reads holidays separated by commas or spaces, sorted, each once; empty is none', () => {
    expect(parseHolidays('2026-12-25, 2026-12-24 2026-12-25,2027-01-01')).toEqual({
      ok: true,
      value: ['2026-12-24', '2026-12-25', '2027-01-01'],
    });
    expect(parseHolidays('')).toEqual({ ok: true, value: [] });
    expect(parseHolidays(' , ')).toEqual({ ok: true, value: [] });
  });

  it.each([
    ['2026-02-29', '"2026-02-29" is not a date'],
    ['2026-12-24, 24.12.2026', '"24.12.2026" is not a date'],
    ['2026-13-01', '"2026-13-01" is not a date'],
    ['2026-1-5', '"2026-1-5" is not a date'],
  ])('refuses the holidays %j', (text, problem) => {
    const result = parseHolidays(text);
    expect(result).toMatchObject({ ok: false, error: expect.stringContaining(problem) });
    expect(result).toMatchObject({ error: expect.stringMatching(/^expected dates such as "2026-12-24, 2026-12-25"/) });
  });

  it('builds no calendar without any opening, and none with a bad holiday', () => {
    expect(() =>
      createBusinessCalendar({ hours: [[], [], [], [], [], [], []], timeZone: 'UTC', holidays: [] }),
    ).toThrow(RangeError);
    expect(() =>
      createBusinessCalendar({ hours: hoursOf('Mon 09:00-17:00'), timeZone: 'UTC', holidays: ['x'] }),
    ).toThrow(RangeError);
    expect(() => createBusinessCalendar({ hours: hoursOf('Mon 09:00-17:00'), timeZone: 'Mars/Olympus' })).toThrow(
      RangeError,
    );
  });
});

describe('Berlin office hours, worked by hand (Mon-Fri 09:00-17:00, CET is UTC+1 in December)', () => {
  it('Friday evening silence does not close a bug on Monday morning', () => {
    const fridayEvening = at('2026-12-04T17:00:00Z'); // Fri 18:00
    const mondayMorning = at('2026-12-07T08:30:00Z'); // Mon 09:30
    expect(businessMsBetween(fridayEvening, mondayMorning, BERLIN)).toBe(30 * MINUTE);
    expect(businessMsBetween(fridayEvening, mondayMorning, WALL_CLOCK)).toBe(2 * DAY + 15 * HOUR + 30 * MINUTE);
    // Eight business hours of silence end at Monday's closing time.
    expect(addBusinessMs(fridayEvening, 8 * HOUR, BERLIN)).toEqual(at('2026-12-07T16:00:00Z'));
  });

  it('a stated close time is exactly when the time runs out: "closes on Mon 7 Dec, 10:00"', () => {
    const warnedAt = at('2026-12-04T15:00:00Z'); // Fri 16:00
    const closesAt = addBusinessMs(warnedAt, 2 * HOUR, BERLIN);
    expect(formatMoment(closesAt, 'Europe/Berlin')).toBe('Mon 7 Dec, 10:00 CET');
    expect(businessMsBetween(warnedAt, closesAt, BERLIN)).toBe(2 * HOUR);
    expect(businessMsBetween(warnedAt, new Date(closesAt.getTime() - 1), BERLIN)).toBe(2 * HOUR - 1);
  });

  it('outside business hours the clock is paused until the next opening', () => {
    expect(addBusinessMs(at('2026-12-05T11:00:00Z'), HOUR, BERLIN)).toEqual(at('2026-12-07T09:00:00Z')); // Sat → Mon 10:00
    expect(addBusinessMs(at('2026-12-07T05:00:00Z'), HOUR, BERLIN)).toEqual(at('2026-12-07T09:00:00Z')); // Mon 06:00
    expect(businessMsBetween(at('2026-12-05T11:00:00Z'), at('2026-12-06T11:00:00Z'), BERLIN)).toBe(0);
    expect(isBusinessTime(at('2026-12-05T11:00:00Z'), BERLIN)).toBe(false);
    expect(isBusinessTime(at('2026-12-07T08:00:00Z'), BERLIN)).toBe(true); // opening instant counts
    expect(isBusinessTime(at('2026-12-07T16:00:00Z'), BERLIN)).toBe(false); // closing instant does not
  });

  it('a span running out exactly at closing time ends then, not at the next opening', () => {
    expect(addBusinessMs(at('2026-12-04T15:00:00Z'), HOUR, BERLIN)).toEqual(at('2026-12-04T16:00:00Z'));
  });

  it('zero is the start itself, even outside business hours', () => {
    const saturday = at('2026-12-05T11:00:00Z');
    expect(addBusinessMs(saturday, 0, BERLIN)).toEqual(saturday);
    expect(businessMsBetween(saturday, saturday, BERLIN)).toBe(0);
  });

  it('holidays are closed all day', () => {
    // Wed 23 Dec 16:00 + 2h: Wed 16-17, then Thu 24 and Fri 25 are holidays, the weekend, Mon 28 Dec 09-10.
    expect(addBusinessMs(at('2026-12-23T15:00:00Z'), 2 * HOUR, BERLIN)).toEqual(at('2026-12-28T09:00:00Z'));
    expect(businessMsBetween(at('2026-12-23T00:00:00Z'), at('2026-12-29T00:00:00Z'), BERLIN)).toBe(16 * HOUR);
    expect(isBusinessTime(at('2026-12-24T10:00:00Z'), BERLIN)).toBe(false);
  });

  it('subtractBusinessMs is the bound of "idle for more than": x < bound exactly when more has passed', () => {
    const now = at('2026-12-07T09:00:00Z'); // Mon 10:00
    const bound = subtractBusinessMs(now, HOUR, BERLIN);
    expect(bound).toEqual(at('2026-12-04T16:00:00Z')); // Fri 17:00: everything after it until Monday 09:00 is 1h
    expect(businessMsBetween(bound, now, BERLIN)).toBe(HOUR);
    expect(businessMsBetween(new Date(bound.getTime() - 1), now, BERLIN)).toBe(HOUR + 1);
    expect(businessMsBetween(at('2026-12-07T07:59:00Z'), now, BERLIN)).toBe(HOUR); // Mon 08:59: still only 1h
    // Inside business hours the bound is the plain instant.
    expect(subtractBusinessMs(now, 30 * MINUTE, BERLIN)).toEqual(at('2026-12-07T08:30:00Z'));
    // Zero from a closed moment is the last closing; zero from an open one is the moment.
    expect(subtractBusinessMs(at('2026-12-06T12:00:00Z'), 0, BERLIN)).toEqual(at('2026-12-04T16:00:00Z'));
    expect(subtractBusinessMs(now, 0, BERLIN)).toEqual(now);
  });

  it('is negative backwards, like subtraction', () => {
    expect(businessMsBetween(at('2026-12-07T09:00:00Z'), at('2026-12-04T15:00:00Z'), BERLIN)).toBe(-2 * HOUR);
  });

  it('refuses spans that are negative or not whole milliseconds', () => {
    expect(() => addBusinessMs(at('2026-12-07T09:00:00Z'), -1, BERLIN)).toThrow(RangeError);
    expect(() => addBusinessMs(at('2026-12-07T09:00:00Z'), 0.5, BERLIN)).toThrow(RangeError);
    expect(() => subtractBusinessMs(at('2026-12-07T09:00:00Z'), Number.NaN, WALL_CLOCK)).toThrow(RangeError);
  });
});

describe('the wall clock (BUSINESS_HOURS unset) and a 24/7 calendar are plain arithmetic', () => {
  const spans: Array<[string, string]> = [
    ['2026-03-27T12:34:56.789Z', '2026-03-31T01:02:03.004Z'], // Berlin and beyond spring forward
    ['2026-10-24T00:00:00Z', '2026-10-26T23:59:59.999Z'], // Berlin fall back
    ['2026-03-07T00:00:00Z', '2026-03-09T12:00:00Z'], // New York spring forward
    ['2026-10-31T05:00:00Z', '2026-11-02T05:00:00Z'], // New York fall back
    ['2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z'], // a year, all four
  ];
  const zones = ['Europe/Berlin', 'America/New_York', 'Pacific/Auckland', 'Asia/Kolkata'];

  it.each(spans)('from %s to %s', (fromIso, toIso) => {
    const from = at(fromIso);
    const to = at(toIso);
    const plain = to.getTime() - from.getTime();
    expect(businessMsBetween(from, to, WALL_CLOCK)).toBe(plain);
    expect(addBusinessMs(from, plain, WALL_CLOCK)).toEqual(to);
    expect(subtractBusinessMs(to, plain, WALL_CLOCK)).toEqual(from);
    for (const zone of zones) {
      const always = calendar('Mon-Sun 00:00-24:00', zone);
      expect(businessMsBetween(from, to, always)).toBe(plain);
      expect(addBusinessMs(from, plain, always)).toEqual(to);
      expect(subtractBusinessMs(to, plain, always)).toEqual(from);
    }
  });
});

describe('daylight saving days', () => {
  it('Berlin spring forward (Sun 29 Mar 2026, 02:00 CET → 03:00 CEST): the skipped hour is no business time', () => {
    const night = calendar('Sun 01:00-04:00', 'Europe/Berlin');
    const spring = ['2026-03-28T12:00:00Z', '2026-03-29T12:00:00Z'] as const;
    const ordinary = ['2026-03-21T12:00:00Z', '2026-03-22T12:00:00Z'] as const;
    expect(businessMsBetween(at(spring[0]), at(spring[1]), night)).toBe(2 * HOUR);
    expect(businessMsBetween(at(ordinary[0]), at(ordinary[1]), night)).toBe(3 * HOUR);
    // 01:00 CET is 00:00Z; two business hours later it is 04:00 CEST, 02:00Z.
    expect(addBusinessMs(at('2026-03-29T00:00:00Z'), 2 * HOUR, night)).toEqual(at('2026-03-29T02:00:00Z'));
    // A range inside the gap does not exist that night; one starting in it starts at the jump.
    expect(businessMsBetween(at(spring[0]), at(spring[1]), calendar('Sun 02:00-02:30', 'Europe/Berlin'))).toBe(0);
    expect(businessMsBetween(at(ordinary[0]), at(ordinary[1]), calendar('Sun 02:00-02:30', 'Europe/Berlin'))).toBe(
      30 * MINUTE,
    );
    const fromGap = calendar('Sun 02:30-04:00', 'Europe/Berlin');
    expect(addBusinessMs(at(spring[0]), 1, fromGap)).toEqual(at('2026-03-29T01:00:00.001Z'));
    expect(businessMsBetween(at(spring[0]), at(spring[1]), fromGap)).toBe(HOUR);
  });

  it('Berlin fall back (Sun 25 Oct 2026, 03:00 CEST → 02:00 CET): the repeated hour counts twice', () => {
    const day = ['2026-10-24T12:00:00Z', '2026-10-25T12:00:00Z'] as const;
    expect(businessMsBetween(at(day[0]), at(day[1]), calendar('Sun 01:00-04:00', 'Europe/Berlin'))).toBe(4 * HOUR);
    expect(businessMsBetween(at(day[0]), at(day[1]), calendar('Sun 02:00-03:00', 'Europe/Berlin'))).toBe(2 * HOUR);
    // A range starting inside the repeated hour starts at its first pass (02:30 CEST, 00:30Z).
    const late = calendar('Sun 02:30-03:00', 'Europe/Berlin');
    expect(addBusinessMs(at(day[0]), 1, late)).toEqual(at('2026-10-25T00:30:00.001Z'));
    expect(businessMsBetween(at(day[0]), at(day[1]), late)).toBe(90 * MINUTE);
    // A range ending inside it ends at its first pass: 00:00-02:30 is 00:00 CEST to 02:30 CEST.
    expect(businessMsBetween(at(day[0]), at(day[1]), calendar('Sun 00:00-02:30', 'Europe/Berlin'))).toBe(150 * MINUTE);
  });

  it('Berlin office hours over the spring weekend: Friday 16:00 CET plus 2h is Monday 10:00 CEST', () => {
    const friday = at('2026-03-27T15:00:00Z');
    const monday = addBusinessMs(friday, 2 * HOUR, BERLIN);
    expect(monday).toEqual(at('2026-03-30T08:00:00Z'));
    expect(formatMoment(monday, 'Europe/Berlin')).toBe('Mon 30 Mar, 10:00 CEST');
    expect(monday.getTime() - friday.getTime()).toBe(2 * DAY + 17 * HOUR); // one wall-clock hour fewer
    expect(subtractBusinessMs(monday, 2 * HOUR, BERLIN)).toEqual(friday);
  });

  it('New York spring forward (Sun 8 Mar 2026) and fall back (Sun 1 Nov 2026) inside a business window', () => {
    const night = calendar('Sun 00:00-06:00', 'America/New_York');
    expect(businessMsBetween(at('2026-03-07T17:00:00Z'), at('2026-03-08T17:00:00Z'), night)).toBe(5 * HOUR);
    expect(businessMsBetween(at('2026-10-31T16:00:00Z'), at('2026-11-01T17:00:00Z'), night)).toBe(7 * HOUR);
    expect(businessMsBetween(at('2026-10-24T16:00:00Z'), at('2026-10-25T17:00:00Z'), night)).toBe(6 * HOUR);
    // Fall back: 00:00 EDT is 04:00Z; six business hours later the clocks have shown 05:00 twice: 05:00 EST, 10:00Z.
    expect(addBusinessMs(at('2026-11-01T04:00:00Z'), 6 * HOUR, night)).toEqual(at('2026-11-01T10:00:00Z'));
    // Spring forward: 00:00 EST is 05:00Z; five business hours end at 06:00 EDT, 10:00Z.
    expect(addBusinessMs(at('2026-03-08T05:00:00Z'), 5 * HOUR, night)).toEqual(at('2026-03-08T10:00:00Z'));
    // Back from there, the five hours reach to the previous Sunday's closing: that is the earliest bound.
    expect(subtractBusinessMs(at('2026-03-08T10:00:00Z'), 5 * HOUR, night)).toEqual(at('2026-03-01T11:00:00Z'));
    expect(subtractBusinessMs(at('2026-03-08T10:00:00Z'), 5 * HOUR - 1, night)).toEqual(at('2026-03-08T05:00:00.001Z'));
  });

  it('New York office hours keep their local times across the change', () => {
    const office = calendar('Mon-Fri 09:00-17:00', 'America/New_York');
    // Fri 30 Oct 16:00 EDT (20:00Z) + 2h = Mon 2 Nov 10:00 EST (15:00Z).
    expect(addBusinessMs(at('2026-10-30T20:00:00Z'), 2 * HOUR, office)).toEqual(at('2026-11-02T15:00:00Z'));
    expect(isBusinessTime(at('2026-11-02T13:59:59Z'), office)).toBe(false); // 08:59:59 EST
    expect(isBusinessTime(at('2026-11-02T14:00:00Z'), office)).toBe(true); // 09:00 EST
  });
});

describe('time zones far from UTC', () => {
  it('Asia/Kolkata (+05:30): Monday 09:00 is Monday 03:30Z', () => {
    const office = calendar('Mon-Fri 09:00-17:00', 'Asia/Kolkata');
    // Fri 16:30 IST (11:00Z) + 1h = Mon 09:30 IST (04:00Z).
    expect(addBusinessMs(at('2026-12-04T11:00:00Z'), HOUR, office)).toEqual(at('2026-12-07T04:00:00Z'));
    expect(isBusinessTime(at('2026-12-07T03:29:59Z'), office)).toBe(false);
    expect(isBusinessTime(at('2026-12-07T03:30:00Z'), office)).toBe(true);
    expect(businessMsBetween(at('2026-12-06T00:00:00Z'), at('2026-12-07T04:00:00Z'), office)).toBe(30 * MINUTE);
  });

  it('Pacific/Auckland: a local Monday starts on Sunday in UTC; DST ends Sun 5 Apr and starts Sun 27 Sep 2026', () => {
    const office = calendar('Mon-Fri 09:00-17:00', 'Pacific/Auckland');
    // Mon 7 Dec 09:00 NZDT (+13) is Sun 6 Dec 20:00Z.
    expect(isBusinessTime(at('2026-12-06T20:00:00Z'), office)).toBe(true);
    expect(isBusinessTime(at('2026-12-07T04:00:00Z'), office)).toBe(false); // Mon 17:00 NZDT
    // Fri 3 Apr 16:00 NZDT (03:00Z) + 2h = Mon 6 Apr 10:00 NZST (+12, Sun 5 Apr 22:00Z).
    expect(addBusinessMs(at('2026-04-03T03:00:00Z'), 2 * HOUR, office)).toEqual(at('2026-04-05T22:00:00Z'));
    const night = calendar('Sun 00:00-06:00', 'Pacific/Auckland');
    expect(businessMsBetween(at('2026-04-04T00:00:00Z'), at('2026-04-05T12:00:00Z'), night)).toBe(7 * HOUR);
    expect(businessMsBetween(at('2026-09-26T00:00:00Z'), at('2026-09-27T12:00:00Z'), night)).toBe(5 * HOUR);
  });
});

describe('ranges ending at 24:00', () => {
  it('joins the next day at its first midnight', () => {
    const overnight = calendar('Fri 22:00-24:00, Sat 00:00-06:00', 'Europe/Berlin');
    // Fri 23:00 CET (22:00Z) + 2h = Sat 01:00 CET (00:00Z), straight through midnight.
    expect(addBusinessMs(at('2026-12-04T22:00:00Z'), 2 * HOUR, overnight)).toEqual(at('2026-12-05T00:00:00Z'));
    expect(businessMsBetween(at('2026-12-04T00:00:00Z'), at('2026-12-06T00:00:00Z'), overnight)).toBe(8 * HOUR);
  });

  it('a Saturday 10:00-24:00 in Auckland ends at Sunday 00:00 local', () => {
    const saturday = calendar('Sat 10:00-24:00', 'Pacific/Auckland');
    // Sat 12 Dec 10:00 NZDT is Fri 11 Dec 21:00Z; 24:00 is Sat 12 Dec 11:00Z.
    expect(addBusinessMs(at('2026-12-11T00:00:00Z'), 14 * HOUR, saturday)).toEqual(at('2026-12-12T11:00:00Z'));
    expect(isBusinessTime(at('2026-12-12T10:59:59Z'), saturday)).toBe(true);
    expect(isBusinessTime(at('2026-12-12T11:00:00Z'), saturday)).toBe(false);
  });

  it('an evening range over the spring-forward midnight of Santiago (clocks skip 00:00-01:00)', () => {
    // America/Santiago moved from -04 to -03 at 00:00 local on Sun 6 Sep 2026 (04:00Z).
    const evening = calendar('Sat 22:00-24:00, Sun 00:00-02:00', 'America/Santiago');
    // Sat 22:00 -04 is Sun 02:00Z; 24:00 is the jump (04:00Z); Sun 00:00-02:00 is 04:00Z to 05:00Z.
    expect(businessMsBetween(at('2026-09-05T12:00:00Z'), at('2026-09-06T12:00:00Z'), evening)).toBe(3 * HOUR);
    expect(addBusinessMs(at('2026-09-06T02:00:00Z'), 2 * HOUR, evening)).toEqual(at('2026-09-06T04:00:00Z'));
    expect(addBusinessMs(at('2026-09-06T02:00:00Z'), 3 * HOUR, evening)).toEqual(at('2026-09-06T05:00:00Z'));
  });
});

describe('long spans', () => {
  const office = calendar('Mon-Thu 09:00-17:00, Fri 09:00-13:00', 'Europe/Berlin', [
    '2026-04-03',
    '2026-04-06',
    '2026-12-24',
    '2026-12-25',
  ]);
  const weekMs = 36 * HOUR;

  it('a year of business time holds its inverse and adds up month by month', () => {
    const start = at('2026-01-01T00:00:00Z');
    const end = at('2027-01-01T00:00:00Z');
    const total = businessMsBetween(start, end, office);
    let sum = 0;
    for (let month = 0; month < 12; month++) {
      sum += businessMsBetween(new Date(Date.UTC(2026, month, 1)), new Date(Date.UTC(2026, month + 1, 1)), office);
    }
    expect(sum).toBe(total);
    // 2026 is 52 weeks and one more Thursday; the holidays take Fri 4h, Mon 8h, Thu 8h and Fri 4h.
    expect(total).toBe(52 * weekMs + 8 * HOUR - (4 + 8 + 8 + 4) * HOUR);
    expect(addBusinessMs(start, total, office).getTime()).toBeLessThanOrEqual(end.getTime());
    expect(businessMsBetween(start, addBusinessMs(start, total, office), office)).toBe(total);
    // Back from the end, the year's business time reaches to the closing before it: Wed 31 Dec 2025, 17:00 CET.
    expect(subtractBusinessMs(end, total, office)).toEqual(at('2025-12-31T16:00:00Z'));
    expect(businessMsBetween(subtractBusinessMs(end, total, office), end, office)).toBe(total);
  });

  it('weeks are skipped whole with the same answer as walking day by day; holidays and the spring change included', () => {
    const from = at('2026-02-02T08:00:00Z'); // Mon 2 Feb 09:00 CET
    // Eight full weeks to Fri 27 Mar, then Mon 30 Mar-Thu 2 Apr (32h, Good Friday off), Easter Monday off,
    // Tue 7-Fri 10 Apr (28h), Mon 13 Apr (8h) and Tue 14 Apr 09:00-13:00 CEST (4h): 288 + 32 + 40 = 360h.
    const until = addBusinessMs(from, 10 * weekMs, office);
    expect(until).toEqual(at('2026-04-14T11:00:00Z'));
    // Back again, the bound is the closing before Monday 2 Feb: Fri 30 Jan, 13:00 CET.
    expect(subtractBusinessMs(until, 10 * weekMs, office)).toEqual(at('2026-01-30T12:00:00Z'));
    expect(subtractBusinessMs(until, 10 * weekMs - 1, office)).toEqual(new Date(from.getTime() + 1));
    let dayByDay = 0;
    for (let t = from.getTime(); t < until.getTime(); t += DAY) {
      dayByDay += businessMsBetween(new Date(t), new Date(Math.min(t + DAY, until.getTime())), office);
    }
    expect(dayByDay).toBe(10 * weekMs);
    expect(businessMsBetween(from, until, office)).toBe(10 * weekMs);
  });
});

// The reference: a minute is business time when the local clocks show a business date and a minute inside one of its
// ranges. That equals the calendar's definition whenever no range starts or ends inside a skipped or repeated hour,
// which holds for the calendars below (their night ranges contain the changes).
describe('held against the local clocks minute by minute, across DST changes and offsets', () => {
  const SPANS: Array<[zone: string, startIso: string]> = [
    ['Europe/Berlin', '2026-03-16T00:00:00Z'],
    ['Europe/Berlin', '2026-10-12T00:00:00Z'],
    ['America/New_York', '2026-02-23T00:00:00Z'],
    ['America/New_York', '2026-10-19T00:00:00Z'],
    ['Pacific/Auckland', '2026-03-23T00:00:00Z'],
    ['Pacific/Auckland', '2026-09-14T00:00:00Z'],
    ['Asia/Kolkata', '2026-12-01T00:00:00Z'],
  ];
  const SPAN_MINUTES = 28 * 24 * 60;
  const HOLIDAYS = ['2026-03-02', '2026-03-20', '2026-04-03', '2026-09-28', '2026-10-26', '2026-11-11', '2026-12-25'];
  const CALENDARS = [
    'Mon-Fri 09:00-17:00',
    'Mon-Thu 08:30-12:00 13:00-17:30, Fri 09:00-13:00',
    'Sat-Sun 00:00-06:00, Mon 22:00-24:00, Tue 00:00-01:00',
  ];
  const NAMES = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

  /** A small seeded generator (mulberry32), so every run checks the same cases. */
  function random(seed: number): () => number {
    let state = seed >>> 0;
    return () => {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
    };
  }

  /** First index whose value is at least `value` (the counts never drop). */
  function lowerBound(values: Int32Array, value: number): number {
    let low = 0;
    let high = values.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (values[middle]! < value) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  it.each(SPANS)('%s from %s', (zone, startIso) => {
    const start = at(startIso).getTime();
    const reader = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      weekday: 'short',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    });
    const walls = Array.from({ length: SPAN_MINUTES }, (_, i) => {
      const parts = Object.fromEntries(reader.formatToParts(start + i * MINUTE).map((part) => [part.type, part.value]));
      return {
        date: `${parts.year}-${parts.month}-${parts.day}`,
        weekday: NAMES.indexOf(parts.weekday!),
        minute: Number(parts.hour) * 60 + Number(parts.minute),
      };
    });
    const next = random(start / MINUTE);
    const pick = (limit: number) => Math.floor(next() * limit);
    for (const hoursText of CALENDARS) {
      const hours = hoursOf(hoursText);
      const business = createBusinessCalendar({ hours, timeZone: zone, holidays: HOLIDAYS });
      const counts = new Int32Array(SPAN_MINUTES + 1);
      walls.forEach((wall, i) => {
        const open =
          !HOLIDAYS.includes(wall.date) &&
          hours[wall.weekday]!.some((range) => range.startMinute <= wall.minute && wall.minute < range.endMinute);
        counts[i + 1] = counts[i]! + (open ? 1 : 0);
      });
      const instant = (i: number) => new Date(start + i * MINUTE);
      const total = counts[SPAN_MINUTES]!;
      expect(total).toBeGreaterThan(0);
      for (let n = 0; n < 25; n++) {
        const i = pick(SPAN_MINUTES);
        const j = i + pick(SPAN_MINUTES - i + 1);
        expect(businessMsBetween(instant(i), instant(j), business)).toBe((counts[j]! - counts[i]!) * MINUTE);

        const forward = pick(total - counts[i]! + 1);
        const end = Math.max(i, lowerBound(counts, counts[i]! + forward));
        expect(addBusinessMs(instant(i), forward * MINUTE, business)).toEqual(instant(end));
        expect(businessMsBetween(instant(i), instant(end), business)).toBe(forward * MINUTE);

        if (counts[j]! > 1) {
          const back = pick(counts[j]!);
          const bound = lowerBound(counts, counts[j]! - back);
          expect(subtractBusinessMs(instant(j), back * MINUTE, business)).toEqual(instant(bound));
        }
      }
    }
  });
});
