// `/bugs sweep schedule <cron> [timezone]`: which words are the time zone, what croner refuses and why, and which
// times are slots of a schedule (the scheduler's check at each tick). Pure: no clock, no database.
import { describe, expect, it } from 'vitest';
import { splitScheduleWords } from '../../src/domain/sweep-schedule.ts';
import { canonicalZone, isSlotOf, nextRunsOf, scheduleProblem } from '../../src/services/sweep/sweep-slots.ts';

const words = (text: string) => splitScheduleWords(text.split(' '));

describe('splitScheduleWords', () => {
  it('takes the last word as the time zone only when it cannot be a cron field', () => {
    expect(words('0 * * * *')).toEqual({ cron: '0 * * * *', timezone: null });
    expect(words('0 * * * * Europe/Berlin')).toEqual({ cron: '0 * * * *', timezone: 'Europe/Berlin' });
    expect(words('0 9 * * MON-FRI')).toEqual({ cron: '0 9 * * MON-FRI', timezone: null });
    expect(words('0 9 * * mon,wed UTC')).toEqual({ cron: '0 9 * * mon,wed', timezone: 'UTC' });
    expect(words('0 0 L * *')).toEqual({ cron: '0 0 L * *', timezone: null });
    expect(words('0 0 15W * *')).toEqual({ cron: '0 0 15W * *', timezone: null });
    expect(words('0 9 * * 1#2 Etc/GMT+1')).toEqual({ cron: '0 9 * * 1#2', timezone: 'Etc/GMT+1' });
    expect(words('@hourly')).toEqual({ cron: '@hourly', timezone: null });
    expect(words('@daily America/New_York')).toEqual({ cron: '@daily', timezone: 'America/New_York' });
    // A misspelt zone is still a zone, so the answer can name it.
    expect(words('0 * * * * Europe/Berln')).toEqual({ cron: '0 * * * *', timezone: 'Europe/Berln' });
  });
});

describe('scheduleProblem', () => {
  it('accepts what croner runs, and names what is wrong otherwise', () => {
    expect(scheduleProblem({ schedule: '*/15 9-17 * * 1-5', timezone: 'Europe/Berlin' })).toBeNull();
    expect(scheduleProblem({ schedule: '* * * * * *', timezone: 'UTC' })).toBeNull();
    expect(scheduleProblem({ schedule: '61 * * * *', timezone: 'UTC' })).toEqual({
      field: 'schedule',
      message:
        '`61 * * * *` is not a cron expression I can run: Invalid value for minute: 61. For example `0 * * * *` is every hour on the hour.',
    });
    expect(scheduleProblem({ schedule: '0 0 30 2 *', timezone: 'UTC' })?.message).toBe(
      '`0 0 30 2 *` never runs: no date matches it.',
    );
    for (const zone of ['Europe/Berln', 'Mars', '+01:00'])
      expect(scheduleProblem({ schedule: '0 * * * *', timezone: zone })).toMatchObject({ field: 'timezone' });
  });

  it('spells a zone as IANA does, keeping an alias as typed', () => {
    expect(canonicalZone('europe/berlin')).toBe('Europe/Berlin');
    expect(canonicalZone('utc')).toBe('UTC');
    expect(canonicalZone('Nowhere/Place')).toBeNull();
  });
});

describe('slots of a schedule', () => {
  const everyTwoHours = { schedule: '30 */2 * * *', timezone: 'Europe/Berlin' };
  it('lists the next runs in its zone, and tells a slot from another time', () => {
    // 09:00 UTC is 10:00 in Berlin: the next runs are 10:30, 12:30, 14:30 there.
    expect(nextRunsOf(everyTwoHours, 3, new Date('2026-11-24T09:00:00Z')).map((at) => at.toISOString())).toEqual([
      '2026-11-24T09:30:00.000Z',
      '2026-11-24T11:30:00.000Z',
      '2026-11-24T13:30:00.000Z',
    ]);
    expect(isSlotOf(everyTwoHours, new Date('2026-11-24T11:30:00Z'))).toBe(true);
    expect(isSlotOf(everyTwoHours, new Date('2026-11-24T10:30:00Z'))).toBe(false);
    expect(isSlotOf({ schedule: '0 * * * *', timezone: 'UTC' }, new Date('2026-11-24T10:30:00Z'))).toBe(false);
  });
});
