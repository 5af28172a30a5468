// The sweep's clocks on business calendars (BUSINESS_HOURS, BUSINESS_TIMEZONE, HOLIDAYS; issue 16): the inactivity,
// warning, claim-release, reminder and nudge rules with `now` passed in, across weekends, holidays, DST changes and
// zones, and the stated times (a warning's close time, a reminder's release time) exactly when things happen.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { businessUnitsOf, spanMs } from '../../src/domain/business-durations.ts';
import {
  type BusinessCalendar,
  businessMsBetween,
  createBusinessCalendar,
  parseBusinessHours,
  WALL_CLOCK,
} from '../../src/domain/business-hours.ts';
import { parseDurationParts } from '../../src/domain/duration.ts';
import { decideNudge } from '../../src/domain/nudges.ts';
import {
  clockThreshold,
  decideClaim,
  decideInactivity,
  type InactivityState,
  type SweepSettings,
} from '../../src/domain/sweep-rules.ts';
import { DAY, HOUR, MINUTE } from '../support/test-clock.ts';

const at = (iso: string) => new Date(iso);
const plus = (date: Date, ms: number) => new Date(date.getTime() + ms);
const exactly = (moment: Date) => moment;

function calendar(hours: string, timeZone: string, holidays: string[] = []): BusinessCalendar {
  const parsed = parseBusinessHours(hours);
  if (!parsed.ok) throw new Error(parsed.error);
  return createBusinessCalendar({ hours: parsed.value, timeZone, holidays });
}
const span = (text: string, cal: BusinessCalendar) => spanMs(parseDurationParts(text)!, cal);

const BERLIN = calendar('Mon-Fri 09:00-17:00', 'Europe/Berlin', ['2026-12-24', '2026-12-25']);
const NEW_YORK = calendar('Mon-Fri 09:00-17:00', 'America/New_York');

function settingsOn(
  cal: BusinessCalendar,
  durations: Partial<Record<keyof SweepSettings, string>> = {},
): SweepSettings {
  return {
    autoCloseAfterMs: span(String(durations.autoCloseAfterMs ?? '5d'), cal),
    autoCloseWarningMs: span(String(durations.autoCloseWarningMs ?? '1d'), cal),
    claimReleaseAfterMs: span(String(durations.claimReleaseAfterMs ?? '7d'), cal),
    claimReminderMs: span(String(durations.claimReminderMs ?? '2d'), cal),
    calendar: cal,
  };
}

const quiet = (lastActivityAt: Date, extra: Partial<InactivityState> = {}): InactivityState => ({
  status: 'open',
  lastActivityAt,
  warnedAt: null,
  autoCloseAt: null,
  warningVisibleSince: null,
  warningUndeliverable: false,
  ...extra,
});

describe('durations on a business calendar', () => {
  it('a day is a business day and a week a business week; hours, minutes and seconds are business time', () => {
    expect(businessUnitsOf(BERLIN)).toEqual({ weekMs: 40 * HOUR, dayMs: 8 * HOUR });
    expect(span('5d', BERLIN)).toBe(40 * HOUR);
    expect(span('1w', BERLIN)).toBe(40 * HOUR);
    expect(span('1d4h', BERLIN)).toBe(12 * HOUR);
    expect(span('90m', BERLIN)).toBe(90 * MINUTE);
    expect(span('0', BERLIN)).toBe(0);
    const short = calendar('Mon-Thu 09:00-17:00, Fri 09:00-13:00', 'UTC');
    expect(businessUnitsOf(short)).toEqual({ weekMs: 36 * HOUR, dayMs: 7.2 * HOUR });
    // The wall clock is what it always was.
    expect(span('5d', WALL_CLOCK)).toBe(5 * DAY);
    expect(span('1w2d3h', WALL_CLOCK)).toBe(9 * DAY + 3 * HOUR);
  });

  it('5d from Tuesday 10:00 ends next Tuesday 10:00, and holidays push it later', () => {
    const tuesday = at('2026-12-01T09:00:00Z'); // 10:00 in Berlin
    const noHolidays = calendar('Mon-Fri 09:00-17:00', 'Europe/Berlin');
    expect(businessMsBetween(tuesday, at('2026-12-08T09:00:00Z'), noHolidays)).toBe(span('5d', noHolidays));
    const christmas = at('2026-12-22T09:00:00Z'); // Tue 22 Dec, 10:00 Berlin; 24 and 25 Dec are holidays
    expect(businessMsBetween(christmas, at('2026-12-31T09:00:00Z'), BERLIN)).toBe(span('5d', BERLIN));
  });
});

describe('settings', () => {
  const env = {
    SLACK_BOT_TOKEN: 'xoxb-1',
    SLACK_SIGNING_SECRET: 's',
    BUG_CHANNELS: 'C0BUGS',
    DEVELOPER_USERS: 'U0DEV',
  };

  it('unset: the wall clock and 24-hour days, as before', () => {
    const config = loadConfig(env);
    expect(config.businessCalendar).toEqual(WALL_CLOCK);
    expect(config.autoCloseAfterMs).toBe(5 * DAY);
  });

  it('BUSINESS_HOURS makes every clock duration business time, in BUSINESS_TIMEZONE or else SWEEP_TIMEZONE', () => {
    const config = loadConfig({
      ...env,
      BUSINESS_HOURS: 'Mon-Fri 09:00-17:00',
      SWEEP_TIMEZONE: 'Europe/Berlin',
      HOLIDAYS: '2026-12-24, 2026-12-25',
    });
    expect(config.businessCalendar).toMatchObject({
      kind: 'business',
      timeZone: 'Europe/Berlin',
      holidays: ['2026-12-24', '2026-12-25'],
    });
    expect(config).toMatchObject({
      autoCloseAfterMs: 40 * HOUR,
      autoCloseWarningMs: 8 * HOUR,
      claimReleaseAfterMs: 56 * HOUR,
      claimReminderMs: 16 * HOUR,
      developerNudgeAfterMs: 16 * HOUR,
      reopenWithinMs: 14 * DAY, // REOPEN_WITHIN stays wall-clock time
    });
    expect(
      loadConfig({ ...env, BUSINESS_HOURS: 'Mon-Fri 09:00-17:00', BUSINESS_TIMEZONE: 'Asia/Kolkata' }).businessCalendar,
    ).toMatchObject({ timeZone: 'Asia/Kolkata' });
  });

  it('names a bad BUSINESS_HOURS, BUSINESS_TIMEZONE or HOLIDAYS, and compares durations in business time', () => {
    expect(() => loadConfig({ ...env, BUSINESS_HOURS: 'weekdays' })).toThrow(/BUSINESS_HOURS expected opening hours/);
    expect(() => loadConfig({ ...env, BUSINESS_HOURS: 'Mon-Fri 09:00-17:00', BUSINESS_TIMEZONE: '+02:00' })).toThrow(
      /BUSINESS_TIMEZONE expected an IANA time zone/,
    );
    expect(() => loadConfig({ ...env, BUSINESS_HOURS: 'Mon-Fri 09:00-17:00', HOLIDAYS: '2026-02-30' })).toThrow(
      /HOLIDAYS expected dates/,
    );
    // 1d is 24h on the wall clock (longer than 20h) but 8 business hours (shorter).
    expect(() => loadConfig({ ...env, AUTO_CLOSE_AFTER: '20h', AUTO_CLOSE_WARNING: '1d' })).toThrow(
      /AUTO_CLOSE_WARNING must be shorter than AUTO_CLOSE_AFTER/,
    );
    expect(
      loadConfig({ ...env, BUSINESS_HOURS: 'Mon-Fri 09:00-17:00', AUTO_CLOSE_AFTER: '20h', AUTO_CLOSE_WARNING: '1d' }),
    ).toMatchObject({ autoCloseAfterMs: 20 * HOUR, autoCloseWarningMs: 8 * HOUR });
  });
});

describe('inactivity on business hours', () => {
  it('Friday evening silence does not close a bug on Monday morning', () => {
    const settings = settingsOn(BERLIN, { autoCloseAfterMs: '2d', autoCloseWarningMs: '0' });
    const fridayEvening = at('2026-11-27T17:00:00Z'); // 18:00 Berlin, after closing
    expect(decideInactivity(quiet(fridayEvening), at('2026-11-30T08:00:00Z'), settings, exactly)).toEqual({
      kind: 'none',
    });
    // On the wall clock the same 63 hours would have closed it.
    const wall = { ...settings, autoCloseAfterMs: 2 * DAY, calendar: WALL_CLOCK };
    expect(decideInactivity(quiet(fridayEvening), at('2026-11-30T08:00:00Z'), wall, exactly).kind).toBe('close');
    // 16 business hours: Monday and Tuesday, strictly past Tuesday's closing.
    expect(decideInactivity(quiet(fridayEvening), at('2026-12-01T16:00:00Z'), settings, exactly)).toEqual({
      kind: 'none',
    });
    expect(decideInactivity(quiet(fridayEvening), at('2026-12-02T08:00:00Z'), settings, exactly)).toEqual({
      kind: 'none',
    });
    expect(decideInactivity(quiet(fridayEvening), at('2026-12-02T08:00:00.001Z'), settings, exactly)).toEqual({
      kind: 'close',
      idleMs: 16 * HOUR + 1,
    });
  });

  it('holidays count as closed days', () => {
    const settings = settingsOn(BERLIN, { autoCloseAfterMs: '1d', autoCloseWarningMs: '0' });
    const before = at('2026-12-23T15:00:00Z'); // Wed 16:00 Berlin; Thu and Fri are holidays
    expect(decideInactivity(quiet(before), at('2026-12-28T15:00:00Z'), settings, exactly).kind).toBe('none');
    expect(decideInactivity(quiet(before), at('2026-12-28T15:00:00.001Z'), settings, exactly).kind).toBe('close');
  });

  it('across the spring-forward weekend in New York the close time is 17:00 local, not an hour late', () => {
    const settings = settingsOn(NEW_YORK, { autoCloseAfterMs: '1d', autoCloseWarningMs: '2h' });
    const fridayAfternoon = at('2026-03-06T21:00:00Z'); // Fri 16:00 EST
    // Mon 9 Mar 15:00 EDT: 1h on Friday and 6h on Monday is past 1d − 2h.
    const decision = decideInactivity(quiet(fridayAfternoon), at('2026-03-09T19:00:00Z'), settings, exactly);
    expect(decision).toEqual({ kind: 'warn', closesAt: at('2026-03-09T21:00:00Z') });
  });

  it('the close time a warning states is exactly when the bug closes, in every zone and at any hour', () => {
    const zones = [
      calendar('Mon-Fri 09:00-17:00', 'Europe/Berlin', ['2026-10-26']),
      calendar('Mon-Fri 09:00-12:00 13:00-18:00', 'America/New_York'),
      calendar('Mon-Thu 08:30-17:00, Fri 08:30-13:00', 'Pacific/Auckland'),
      calendar('Mon-Sat 10:00-19:00', 'Asia/Kolkata'),
    ];
    // Around Berlin's fall-back night (25 Oct 2026) and Auckland's spring-forward one (27 Sep 2026).
    const starts = ['2026-10-23T15:37:00Z', '2026-09-25T22:10:00Z', '2026-10-24T12:00:00Z', '2026-03-06T20:59:59Z'];
    for (const cal of zones) {
      const settings = settingsOn(cal, { autoCloseAfterMs: '2d', autoCloseWarningMs: '1d' });
      for (const start of starts) {
        const last = at(start);
        let now = plus(last, HOUR);
        let warned: { kind: 'warn'; closesAt: Date } | null = null;
        for (let i = 0; i < 24 * 14 && !warned; i++, now = plus(now, HOUR)) {
          const decision = decideInactivity(quiet(last), now, settings, exactly);
          if (decision.kind === 'warn') warned = decision;
        }
        expect(warned, `${cal.kind === 'business' ? cal.timeZone : ''} from ${start}`).not.toBeNull();
        const warnedAt = plus(now, -HOUR);
        const state = quiet(last, { warnedAt, autoCloseAt: warned!.closesAt, warningVisibleSince: warnedAt });
        expect(decideInactivity(state, plus(warned!.closesAt, -1), settings, exactly).kind).toBe('wait');
        expect(decideInactivity(state, warned!.closesAt, settings, exactly).kind).toBe('close');
        // And the range scan's bound agrees with the rule.
        const bound = clockThreshold(warned!.closesAt, settings.autoCloseAfterMs, settings);
        expect(last.getTime()).toBeLessThan(bound.getTime());
      }
    }
  });
});

describe('claims and nudges on business hours', () => {
  it("the reminder's release time is exactly when the claim is released", () => {
    const settings = settingsOn(BERLIN, { claimReleaseAfterMs: '3d', claimReminderMs: '1d' });
    const claimedAt = at('2026-12-22T14:00:00Z'); // Tue 15:00 Berlin, before Christmas
    const claim = { status: 'in_progress' as const, claimantId: 'UDEV', claimedAt, claimantLastActivityAt: claimedAt };
    // 2 business days: Tue 2h, Wed 8h, (Thu, Fri holidays, weekend), Mon 6h → remind past Mon 28 Dec 15:00 Berlin.
    expect(decideClaim(claim, at('2026-12-28T14:00:00Z'), settings, exactly).kind).toBe('none');
    const remind = decideClaim(claim, at('2026-12-28T14:30:00Z'), settings, exactly);
    expect(remind).toMatchObject({ kind: 'remind', releaseAt: at('2026-12-29T14:00:00.001Z') });
    const reminded = {
      ...claim,
      remindedAt: at('2026-12-28T14:30:00Z'),
      claimReleaseAt: at('2026-12-29T14:00:00.001Z'),
    };
    expect(decideClaim(reminded, at('2026-12-29T14:00:00Z'), settings, exactly).kind).toBe('none');
    expect(decideClaim(reminded, at('2026-12-29T14:00:00.001Z'), settings, exactly).kind).toBe('release');
  });

  it('a developers turn that began on Friday evening is not nudged on Monday morning', () => {
    const settings: SweepSettings = {
      ...settingsOn(BERLIN),
      autoClosePolicy: 'waiting-on-reporter',
      developerNudgeAfterMs: span('1d', BERLIN),
    };
    const waiting = { status: 'open' as const, turn: 'developers' as const, turnSince: at('2026-11-27T18:00:00Z') };
    expect(decideNudge(waiting, at('2026-11-30T10:00:00Z'), settings).kind).toBe('none');
    expect(decideNudge(waiting, at('2026-11-30T16:00:00Z'), settings).kind).toBe('none');
    // Past Monday's closing the clock is paused: exactly 1d until Tuesday's opening.
    expect(decideNudge(waiting, at('2026-11-30T20:00:00Z'), settings).kind).toBe('none');
    expect(decideNudge(waiting, at('2026-12-01T08:00:00.001Z'), settings)).toEqual({
      kind: 'nudge',
      waitingSince: waiting.turnSince,
      silentMs: 8 * HOUR + 1,
    });
  });
});
