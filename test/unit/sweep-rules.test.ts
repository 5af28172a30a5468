// The sweep's rules on timelines: every `now` is passed in, every stated time comes from the real schedule.
import { describe, expect, it } from 'vitest';
import type { BugStatus } from '../../src/domain/bug-status.ts';
import {
  type ClaimState,
  claimQuietSince,
  decideClaim,
  decideInactivity,
  type InactivityState,
  isOrphanedClaim,
  type NextSweepAt,
  type SweepSettings,
} from '../../src/domain/sweep-rules.ts';
import { nextSweepAtFor } from '../../src/services/sweep/sweep-slots.ts';
import { DAY, HOUR, MINUTE } from '../support/test-clock.ts';

const at = (iso: string) => new Date(iso);
const plus = (date: Date, ms: number) => new Date(date.getTime() + ms);
const slots = (schedule: string, timezone = 'UTC'): NextSweepAt => nextSweepAtFor({ schedule, timezone });

/** The defaults: close after 5d with a 1d warning, release claims after 7d with a 2d reminder. */
const SETTINGS: SweepSettings = {
  autoCloseAfterMs: 5 * DAY,
  autoCloseWarningMs: 1 * DAY,
  claimReleaseAfterMs: 7 * DAY,
  claimReminderMs: 2 * DAY,
};
const hourly = slots('0 * * * *');

function quiet(lastActivityAt: Date, extra: Partial<InactivityState> = {}): InactivityState {
  return {
    status: 'open',
    lastActivityAt,
    warnedAt: null,
    autoCloseAt: null,
    warningVisibleSince: null,
    warningUndeliverable: false,
    ...extra,
  };
}

describe('nextSweepAtFor', () => {
  it('hourly in UTC: rounds up to the next full hour, and is exact on a slot', () => {
    expect(hourly(at('2026-11-24T09:20:00Z'))).toEqual(at('2026-11-24T10:00:00Z'));
    expect(hourly(at('2026-11-24T10:00:00Z'))).toEqual(at('2026-11-24T10:00:00Z'));
    expect(hourly(at('2026-11-24T23:30:00Z'))).toEqual(at('2026-11-25T00:00:00Z'));
  });

  it('with sub-second times: a moment just after a slot waits for the next one, just before it takes it', () => {
    expect(hourly(at('2026-11-24T10:00:00.001Z'))).toEqual(at('2026-11-24T11:00:00Z'));
    expect(hourly(at('2026-11-24T10:00:00.999Z'))).toEqual(at('2026-11-24T11:00:00Z'));
    expect(hourly(at('2026-11-24T09:59:59.999Z'))).toEqual(at('2026-11-24T10:00:00Z'));
    expect(hourly(at('2026-11-24T09:59:59.001Z'))).toEqual(at('2026-11-24T10:00:00Z'));
  });

  it("every 15 minutes: '*/15 * * * *'", () => {
    const quarter = slots('*/15 * * * *');
    expect(quarter(at('2026-11-24T09:07:30Z'))).toEqual(at('2026-11-24T09:15:00Z'));
    expect(quarter(at('2026-11-24T09:15:00Z'))).toEqual(at('2026-11-24T09:15:00Z'));
    expect(quarter(at('2026-11-24T09:15:00.500Z'))).toEqual(at('2026-11-24T09:30:00Z'));
    expect(quarter(at('2026-11-24T09:45:01Z'))).toEqual(at('2026-11-24T10:00:00Z'));
  });

  it('daily at 09:00 in Europe/Berlin: 08:00 UTC in winter, 07:00 UTC in summer, across the DST change', () => {
    const berlin = slots('0 9 * * *', 'Europe/Berlin');
    expect(berlin(at('2026-11-24T07:00:00Z'))).toEqual(at('2026-11-24T08:00:00Z'));
    expect(berlin(at('2026-11-24T08:00:00Z'))).toEqual(at('2026-11-24T08:00:00Z'));
    expect(berlin(at('2026-11-24T08:00:00.001Z'))).toEqual(at('2026-11-25T08:00:00Z'));
    expect(berlin(at('2026-11-24T09:00:00Z'))).toEqual(at('2026-11-25T08:00:00Z'));
    expect(berlin(at('2026-07-01T06:00:00Z'))).toEqual(at('2026-07-01T07:00:00Z'));
    // Clocks go forward on Sunday 29 March 2026: Saturday 10:00 CET → Sunday 09:00 CEST.
    expect(berlin(at('2026-03-28T09:00:00Z'))).toEqual(at('2026-03-29T07:00:00Z'));
  });

  it('hourly in a half-hour zone: the slots are on the half hour in UTC', () => {
    const kolkata = slots('0 * * * *', 'Asia/Kolkata');
    expect(kolkata(at('2026-11-24T09:00:00Z'))).toEqual(at('2026-11-24T09:30:00Z'));
    expect(kolkata(at('2026-11-24T09:30:00Z'))).toEqual(at('2026-11-24T09:30:00Z'));
  });
});

describe('decideInactivity: warning', () => {
  const last = at('2026-11-20T09:30:00Z');

  it('nothing while the bug is inside AUTO_CLOSE_AFTER minus the warning', () => {
    expect(decideInactivity(quiet(last), at('2026-11-24T09:00:00Z'), SETTINGS, hourly)).toEqual({ kind: 'none' });
    expect(decideInactivity(quiet(last), at('2026-11-24T09:30:00Z'), SETTINGS, hourly)).toEqual({ kind: 'none' }); // exactly 4d
  });

  it('warns once in the warning window; the close time is a full warning away, rounded up to the next slot', () => {
    expect(decideInactivity(quiet(last), at('2026-11-24T09:30:00.001Z'), SETTINGS, hourly)).toEqual({
      kind: 'warn',
      closesAt: at('2026-11-25T10:00:00Z'),
    });
    expect(decideInactivity(quiet(last), at('2026-11-24T10:00:00Z'), SETTINGS, hourly)).toEqual({
      kind: 'warn',
      closesAt: at('2026-11-25T10:00:00Z'),
    });
    expect(decideInactivity(quiet(last), at('2026-11-24T10:00:05Z'), SETTINGS, hourly)).toEqual({
      kind: 'warn',
      closesAt: at('2026-11-25T11:00:00Z'),
    });
  });

  it('a long-forgotten bug gets a full warning period too, never an immediate close', () => {
    const ancient = quiet(at('2026-10-01T00:00:00Z'));
    expect(decideInactivity(ancient, at('2026-11-24T09:00:00Z'), SETTINGS, hourly)).toEqual({
      kind: 'warn',
      closesAt: at('2026-11-25T09:00:00Z'),
    });
    expect(decideInactivity(ancient, at('2026-11-24T09:00:00.250Z'), SETTINGS, hourly)).toEqual({
      kind: 'warn',
      closesAt: at('2026-11-25T10:00:00Z'),
    });
  });

  it('states the close time on the real schedule: every 15 minutes', () => {
    const decision = decideInactivity(
      quiet(at('2026-11-01T00:00:00Z')),
      at('2026-11-24T09:07:00Z'),
      SETTINGS,
      slots('*/15 * * * *'),
    );
    expect(decision).toEqual({ kind: 'warn', closesAt: at('2026-11-25T09:15:00Z') });
  });

  it('states the close time on the real schedule: daily at 09:00 Europe/Berlin', () => {
    const berlin = slots('0 9 * * *', 'Europe/Berlin');
    // Warned at 10:00 Berlin on the 24th: a day later is 10:00 on the 25th, so the 09:00 run of the 26th closes it.
    const decision = decideInactivity(quiet(at('2026-11-01T00:00:00Z')), at('2026-11-24T09:00:00Z'), SETTINGS, berlin);
    expect(decision).toEqual({ kind: 'warn', closesAt: at('2026-11-26T08:00:00Z') });
  });

  it('a warning issued before the latest activity no longer counts', () => {
    const reply = at('2026-11-23T12:00:00Z');
    const history = {
      warnedAt: at('2026-11-22T09:00:00Z'),
      autoCloseAt: at('2026-11-23T09:00:00Z'),
      warningVisibleSince: at('2026-11-22T09:00:01Z'),
    };
    // The reply was long enough ago that the bug is quiet again: a fresh warning, not a close on the old one.
    const later = at('2026-11-27T13:00:00Z');
    expect(decideInactivity(quiet(reply, history), later, SETTINGS, hourly)).toEqual({
      kind: 'warn',
      closesAt: at('2026-11-28T13:00:00Z'),
    });
    // Not quiet long enough yet: nothing at all.
    expect(decideInactivity(quiet(reply, history), at('2026-11-24T09:00:00Z'), SETTINGS, hourly)).toEqual({
      kind: 'none',
    });
  });

  it.each(['resolved', 'closed', 'escalated'] as const)('never touches a %s bug', (status: BugStatus) => {
    const ancient = quiet(at('2026-01-01T00:00:00Z'), {
      status,
      warnedAt: at('2026-01-10T00:00:00Z'),
      autoCloseAt: at('2026-01-11T00:00:00Z'),
      warningVisibleSince: at('2026-01-10T00:00:00Z'),
    });
    expect(decideInactivity(ancient, at('2026-11-24T09:00:00Z'), SETTINGS, hourly)).toEqual({ kind: 'none' });
    expect(
      decideInactivity(ancient, at('2026-11-24T09:00:00Z'), { ...SETTINGS, autoCloseWarningMs: 0 }, hourly),
    ).toEqual({ kind: 'none' });
  });

  it('an in-progress bug is swept for inactivity like an open one', () => {
    expect(
      decideInactivity(quiet(last, { status: 'in_progress' }), at('2026-11-24T10:00:00Z'), SETTINGS, hourly),
    ).toMatchObject({ kind: 'warn' });
  });
});

describe('decideInactivity: closing after a warning', () => {
  // Quiet since the 18th; the 09:00 sweep on the 22nd warned (a moment after its slot), naming 10:00 on the 23rd;
  // the notice went out 2s later.
  const last = at('2026-11-18T08:30:00Z');
  const warnedAt = at('2026-11-22T09:00:00Z');
  const autoCloseAt = at('2026-11-23T10:00:00Z');
  const visible = at('2026-11-22T09:00:02Z');
  const warned = (extra: Partial<InactivityState> = {}) =>
    quiet(last, { warnedAt, autoCloseAt, warningVisibleSince: visible, ...extra });

  it('closes once the warning has been visible for the warning period and the named time has come', () => {
    const now = at('2026-11-23T10:00:00Z');
    expect(decideInactivity(warned(), now, SETTINGS, hourly)).toEqual({
      kind: 'close',
      idleMs: now.getTime() - last.getTime(),
    });
  });

  it('waits while the warning is not yet visible, whatever the time', () => {
    const decision = decideInactivity(
      warned({ warningVisibleSince: null }),
      at('2026-11-30T10:00:00Z'),
      SETTINGS,
      hourly,
    );
    expect(decision).toEqual({ kind: 'wait', reason: 'the warning is not posted yet', closesAt: autoCloseAt });
  });

  it('warns again when the warning never reached Slack (its notice failed), instead of closing unwarned', () => {
    const now = at('2026-11-30T10:00:00Z');
    const decision = decideInactivity(
      warned({ warningVisibleSince: null, warningUndeliverable: true }),
      now,
      SETTINGS,
      hourly,
    );
    expect(decision).toEqual({ kind: 'warn', closesAt: at('2026-12-01T10:00:00Z') });
  });

  it('waits until the warning has been visible for the whole warning period', () => {
    const lateNotice = warned({ warningVisibleSince: at('2026-11-22T20:00:00Z') }); // Slack was down for hours
    expect(decideInactivity(lateNotice, at('2026-11-23T10:00:00Z'), SETTINGS, hourly)).toEqual({
      kind: 'wait',
      reason: 'warned; the warning period is running',
      closesAt: autoCloseAt,
    });
    expect(decideInactivity(lateNotice, at('2026-11-23T19:59:59.999Z'), SETTINGS, hourly)).toMatchObject({
      kind: 'wait',
    });
    expect(decideInactivity(lateNotice, at('2026-11-23T20:00:00Z'), SETTINGS, hourly)).toMatchObject({ kind: 'close' });
  });

  it('never closes before the time the warning named', () => {
    const named = warned({ autoCloseAt: at('2026-11-24T09:00:00Z') });
    expect(decideInactivity(named, at('2026-11-24T08:00:00Z'), SETTINGS, hourly)).toEqual({
      kind: 'wait',
      reason: 'warned; closes at the time the warning named',
      closesAt: at('2026-11-24T09:00:00Z'),
    });
    expect(decideInactivity(named, at('2026-11-24T09:00:00Z'), SETTINGS, hourly)).toMatchObject({ kind: 'close' });
  });

  it('under a longer AUTO_CLOSE_AFTER set since the warning, waits until the bug is idle that long', () => {
    const longer = { ...SETTINGS, autoCloseAfterMs: 10 * DAY };
    expect(decideInactivity(warned(), at('2026-11-23T10:00:00Z'), longer, hourly)).toEqual({
      kind: 'wait',
      reason: 'warned; not idle long enough under the current settings',
      closesAt: autoCloseAt,
    });
    expect(decideInactivity(warned(), at('2026-11-28T08:30:00Z'), longer, hourly)).toMatchObject({ kind: 'wait' }); // exactly 10d
    expect(decideInactivity(warned(), at('2026-11-28T09:00:00Z'), longer, hourly)).toMatchObject({ kind: 'close' });
  });

  it('a warning still pending counts as a warning: no second warning is issued', () => {
    expect(
      decideInactivity(warned({ warningVisibleSince: null }), at('2026-11-22T10:00:00Z'), SETTINGS, hourly),
    ).toMatchObject({ kind: 'wait' });
  });

  it('the stated close time holds end to end: warned at a sweep, closed by the sweep at the time it named', () => {
    const bugLast = at('2026-11-19T07:42:13.512Z');
    const sweepAt = at('2026-11-23T08:00:00.040Z'); // a sweep runs a few ms after its slot
    const warn = decideInactivity(quiet(bugLast), sweepAt, SETTINGS, hourly);
    expect(warn).toEqual({ kind: 'warn', closesAt: at('2026-11-24T09:00:00Z') });
    if (warn.kind !== 'warn') return;
    const state = quiet(bugLast, {
      warnedAt: sweepAt,
      autoCloseAt: warn.closesAt,
      warningVisibleSince: plus(sweepAt, 1_500),
    });
    expect(decideInactivity(state, at('2026-11-24T08:00:00.030Z'), SETTINGS, hourly)).toMatchObject({ kind: 'wait' });
    expect(decideInactivity(state, at('2026-11-24T09:00:00.030Z'), SETTINGS, hourly)).toMatchObject({ kind: 'close' });
  });
});

describe('decideInactivity: AUTO_CLOSE_WARNING=0', () => {
  const noWarning = { ...SETTINGS, autoCloseWarningMs: 0 };
  const last = at('2026-11-19T09:00:00Z');

  it('closes directly once idle longer than AUTO_CLOSE_AFTER, and not a moment before', () => {
    expect(decideInactivity(quiet(last), at('2026-11-24T09:00:00Z'), noWarning, hourly)).toEqual({ kind: 'none' });
    expect(decideInactivity(quiet(last), at('2026-11-24T09:00:00.001Z'), noWarning, hourly)).toEqual({
      kind: 'close',
      idleMs: 5 * DAY + 1,
    });
  });

  it('needs no warning to be posted, even if an old one is on the row', () => {
    const oldWarning = quiet(last, {
      warnedAt: at('2026-11-23T09:00:00Z'),
      autoCloseAt: at('2026-11-30T09:00:00Z'),
      warningUndeliverable: true,
    });
    expect(decideInactivity(oldWarning, at('2026-11-24T10:00:00Z'), noWarning, hourly)).toEqual({
      kind: 'close',
      idleMs: 5 * DAY + HOUR,
    });
  });
});

describe('claimQuietSince', () => {
  it("is the claimant's last activity, else the claim time, else nothing", () => {
    const claimedAt = at('2026-11-10T10:00:00Z');
    const spoke = at('2026-11-12T10:00:00Z');
    expect(
      claimQuietSince({ status: 'in_progress', claimantId: 'UDEV', claimedAt, claimantLastActivityAt: spoke }),
    ).toEqual(spoke);
    expect(
      claimQuietSince({ status: 'in_progress', claimantId: 'UDEV', claimedAt, claimantLastActivityAt: null }),
    ).toEqual(claimedAt);
    expect(claimQuietSince({ status: 'in_progress', claimantId: 'UDEV' })).toBeNull();
  });
});

describe('decideClaim', () => {
  const claimedAt = at('2026-11-19T09:20:00Z');
  const claim = (extra: Partial<ClaimState> = {}): ClaimState => ({
    status: 'in_progress',
    claimantId: 'UDEV',
    claimedAt,
    claimantLastActivityAt: claimedAt,
    remindedAt: null,
    ...extra,
  });

  it('nothing while the claimant was active within CLAIM_RELEASE_AFTER minus the reminder', () => {
    expect(decideClaim(claim(), at('2026-11-24T09:00:00Z'), SETTINGS, hourly)).toEqual({ kind: 'none' });
    expect(decideClaim(claim(), at('2026-11-24T09:20:00Z'), SETTINGS, hourly)).toEqual({ kind: 'none' }); // exactly 5d
  });

  it('reminds in the reminder window, naming the slot at which the claim goes back to the queue', () => {
    expect(decideClaim(claim(), at('2026-11-24T10:00:00Z'), SETTINGS, hourly)).toEqual({
      kind: 'remind',
      claimantId: 'UDEV',
      quietSince: claimedAt,
      releaseAt: at('2026-11-26T10:00:00Z'),
    });
  });

  it('reminds only once per quiet period', () => {
    const reminded = claim({ remindedAt: at('2026-11-24T10:00:00Z') });
    expect(decideClaim(reminded, at('2026-11-24T11:00:00Z'), SETTINGS, hourly)).toEqual({ kind: 'none' });
    expect(decideClaim(reminded, at('2026-11-26T09:00:00Z'), SETTINGS, hourly)).toEqual({ kind: 'none' });
  });

  it('a reminder from an earlier quiet period does not count after the claimant spoke up', () => {
    const spoke = at('2026-11-25T12:00:00Z');
    const again = claim({ remindedAt: at('2026-11-24T10:00:00Z'), claimantLastActivityAt: spoke });
    expect(decideClaim(again, at('2026-11-27T12:00:00Z'), SETTINGS, hourly)).toEqual({ kind: 'none' });
    expect(decideClaim(again, at('2026-11-30T13:00:00Z'), SETTINGS, hourly)).toEqual({
      kind: 'remind',
      claimantId: 'UDEV',
      quietSince: spoke,
      // Released once quiet for MORE than 7 days: 12:00 sharp is not yet, so the named sweep is 13:00.
      releaseAt: at('2026-12-02T13:00:00Z'),
    });
  });

  it('releases once quiet for longer than CLAIM_RELEASE_AFTER, reminded or not', () => {
    expect(decideClaim(claim(), at('2026-11-26T09:20:00Z'), SETTINGS, hourly)).toMatchObject({ kind: 'remind' }); // exactly 7d
    const now = at('2026-11-26T10:00:00Z');
    const expected = { kind: 'release', claimantId: 'UDEV', quietSince: claimedAt, idleMs: 7 * DAY + 40 * MINUTE };
    expect(decideClaim(claim(), now, SETTINGS, hourly)).toEqual(expected);
    expect(decideClaim(claim({ remindedAt: at('2026-11-24T10:00:00Z') }), now, SETTINGS, hourly)).toEqual(expected);
  });

  it('never releases before the time the reminder named, even when the settings now say it is overdue', () => {
    // Reminded at 10:00 naming Thu 10:00; then CLAIM_RELEASE_AFTER was shortened to 6 days.
    const reminded = claim({ remindedAt: at('2026-11-24T10:00:00Z'), claimReleaseAt: at('2026-11-26T10:00:00Z') });
    const shorter = { ...SETTINGS, claimReleaseAfterMs: 6 * DAY };
    expect(decideClaim(reminded, at('2026-11-26T09:00:00Z'), shorter, hourly)).toEqual({ kind: 'none' });
    expect(decideClaim(reminded, at('2026-11-26T10:00:00Z'), shorter, hourly)).toMatchObject({ kind: 'release' });
    // A named time from an earlier quiet period (the claimant spoke since) no longer holds the release back.
    const spoke = claim({ ...reminded, claimantLastActivityAt: at('2026-11-24T11:00:00Z') });
    expect(decideClaim(spoke, at('2026-12-01T12:00:00Z'), shorter, hourly)).toMatchObject({ kind: 'release' });
  });

  it('counts from the claim itself when the claimant never spoke', () => {
    expect(
      decideClaim(claim({ claimantLastActivityAt: null }), at('2026-11-26T10:00:00Z'), SETTINGS, hourly),
    ).toMatchObject({ kind: 'release', quietSince: claimedAt });
  });

  it('with CLAIM_REMINDER=0 never reminds, and still releases after the threshold', () => {
    const noReminder = { ...SETTINGS, claimReminderMs: 0 };
    expect(decideClaim(claim(), at('2026-11-26T09:00:00Z'), noReminder, hourly)).toEqual({ kind: 'none' });
    expect(decideClaim(claim(), at('2026-11-26T09:20:00Z'), noReminder, hourly)).toEqual({ kind: 'none' });
    expect(decideClaim(claim(), at('2026-11-26T10:00:00Z'), noReminder, hourly)).toMatchObject({ kind: 'release' });
  });

  it.each(['escalated', 'open', 'resolved', 'closed'] as const)(
    'leaves a %s bug alone, whatever its claim',
    (status) => {
      const ancient = claim({
        status,
        claimedAt: at('2026-01-01T00:00:00Z'),
        claimantLastActivityAt: at('2026-01-01T00:00:00Z'),
      });
      expect(decideClaim(ancient, at('2026-11-24T09:00:00Z'), SETTINGS, hourly)).toEqual({ kind: 'none' });
      expect(isOrphanedClaim(ancient, at('2026-11-24T09:00:00Z'), SETTINGS)).toBe(false);
    },
  );

  it('nothing without a claimant or any claim time', () => {
    expect(decideClaim(claim({ claimantId: null }), at('2026-12-24T09:00:00Z'), SETTINGS, hourly)).toEqual({
      kind: 'none',
    });
    expect(
      decideClaim(
        claim({ claimedAt: null, claimantLastActivityAt: null }),
        at('2026-12-24T09:00:00Z'),
        SETTINGS,
        hourly,
      ),
    ).toEqual({ kind: 'none' });
  });

  it('the reminder states the release time on the real schedule (Europe/Berlin, daily 09:00)', () => {
    const berlin = slots('0 9 * * *', 'Europe/Berlin');
    // Quiet since 10:20 UTC on the 19th: 7 days later is 11:20 Berlin on the 26th; the next run is 09:00 on the 27th.
    expect(
      decideClaim(
        claim({ claimedAt: at('2026-11-19T10:20:00Z'), claimantLastActivityAt: at('2026-11-19T10:20:00Z') }),
        at('2026-11-25T08:00:00Z'),
        SETTINGS,
        berlin,
      ),
    ).toMatchObject({
      kind: 'remind',
      releaseAt: at('2026-11-27T08:00:00Z'),
    });
  });
});

describe('isOrphanedClaim', () => {
  const quietSince = at('2026-11-16T09:00:00Z');
  const claim: ClaimState = {
    status: 'in_progress',
    claimantId: 'UDEV',
    claimedAt: at('2026-11-10T09:00:00Z'),
    claimantLastActivityAt: quietSince,
  };

  it('is true exactly when the sweep would release the claim now (reminder or not)', () => {
    expect(isOrphanedClaim(claim, at('2026-11-23T09:00:00Z'), SETTINGS)).toBe(false); // exactly 7d
    expect(isOrphanedClaim(claim, at('2026-11-23T09:00:00.001Z'), SETTINGS)).toBe(true);
    expect(isOrphanedClaim({ ...claim, remindedAt: null }, at('2026-11-22T10:00:00Z'), SETTINGS)).toBe(false); // in the reminder window
    expect(isOrphanedClaim(claim, at('2026-11-23T09:00:00.001Z'), { ...SETTINGS, claimReminderMs: 0 })).toBe(true);
  });

  it('counts from the latest claimant activity, not the claim', () => {
    expect(
      isOrphanedClaim(
        { ...claim, claimantLastActivityAt: at('2026-11-22T09:00:00Z') },
        at('2026-11-24T09:00:00Z'),
        SETTINGS,
      ),
    ).toBe(false);
  });
});
