import { describe, expect, it } from 'vitest';
import {
  type BacklogAlertState,
  type BacklogCondition,
  describeBacklogCondition,
  exceeds,
  nextBacklogAlertState,
  parseBacklogAlert,
  QUIET_BACKLOG_STATE,
} from '../../src/domain/backlog-alert.ts';
import { DAY, HOUR, MINUTE } from '../support/test-clock.ts';

function conditionsOf(text: string): readonly BacklogCondition[] {
  const result = parseBacklogAlert(text);
  if (!result.ok) throw new Error(result.error);
  return result.value;
}

describe('parseBacklogAlert', () => {
  it.each([
    ['open>50 for 4h', [{ metric: 'open', comparison: '>', threshold: 50, forMs: 4 * HOUR, key: 'open>50/14400000' }]],
    ['unclaimed>20 for 1d', [{ metric: 'unclaimed', comparison: '>', threshold: 20, forMs: DAY }]],
    ['Stale >= 10 for 1d12h', [{ metric: 'stale', comparison: '>=', threshold: 10, forMs: 36 * HOUR }]],
    ['breached>0', [{ metric: 'breached', comparison: '>', threshold: 0, forMs: 0 }]],
    ['open>50 for 0', [{ metric: 'open', forMs: 0 }]],
    [
      'open>50 for 4h, unclaimed>20 for 1d , open>200 for 30m',
      [
        { metric: 'open', threshold: 50, forMs: 4 * HOUR },
        { metric: 'unclaimed', threshold: 20, forMs: DAY },
        { metric: 'open', threshold: 200, forMs: 30 * MINUTE },
      ],
    ],
  ])('reads %j', (text, expected) => {
    expect(parseBacklogAlert(text)).toMatchObject({ ok: true, value: expected });
  });

  it.each([
    ['', 'it is empty'],
    ['open', '"open" is not <metric>>N for <duration>'],
    ['open<50 for 4h', '"open<50 for 4h" is not <metric>>N for <duration>'],
    ['open>fifty for 4h', 'is not <metric>>N for <duration>'],
    ['open>50 in 4h', 'is not <metric>>N for <duration>'],
    ['closed>50 for 4h', '"closed" is not one of open, unclaimed, stale, breached'],
    ['open>50 for 4 hours', 'is not <metric>>N for <duration>'],
    ['open>50 for 4x', '"4x" is not a duration'],
    ['open>50 for 4h,', 'an empty entry between commas'],
    ['open>50 for 4h, open > 50 for 240m', '"open > 50 for 240m" is given twice'],
    ['open>99999999999999999999 for 4h', 'is too large'],
  ])('refuses %j, naming the accepted form', (text, problem) => {
    const result = parseBacklogAlert(text);
    expect(result).toMatchObject({ ok: false, error: expect.stringContaining(problem) });
    expect(result).toMatchObject({
      error: expect.stringMatching(
        /^expected conditions such as "open>50 for 4h" or "open>50 for 4h, unclaimed>20 for 1d" \(open, unclaimed, stale, breached;/,
      ),
    });
  });

  it('describes conditions for people', () => {
    expect(conditionsOf('open>50 for 4h, unclaimed>=20, stale>10 for 1d12h').map(describeBacklogCondition)).toEqual([
      'open > 50 for 4h',
      'unclaimed ≥ 20',
      'stale > 10 for 1d 12h',
    ]);
  });

  it('compares strictly or not, as written', () => {
    const [over, atLeast] = conditionsOf('open>50, open>=50');
    expect([49, 50, 51].map((count) => exceeds(over!, count))).toEqual([false, false, true]);
    expect([49, 50, 51].map((count) => exceeds(atLeast!, count))).toEqual([false, true, true]);
  });
});

describe('nextBacklogAlertState', () => {
  const [condition] = conditionsOf('open>50 for 4h');
  const start = new Date('2026-12-07T09:00:00Z');
  const later = (ms: number) => new Date(start.getTime() + ms);

  /** Runs checks in order from the quiet state; returns what each announced and the last state. */
  function run(checks: ReadonlyArray<[atMs: number, count: number]>, from: BacklogAlertState = QUIET_BACKLOG_STATE) {
    let state = from;
    const announced: Array<[number, string]> = [];
    for (const [atMs, count] of checks) {
      const step = nextBacklogAlertState(state, { condition: condition!, count }, later(atMs));
      if (step.announce) announced.push([atMs, step.announce]);
      state = step.state;
    }
    return { announced, state };
  }

  it('raises at the first check once the condition has held for the whole period, and only once', () => {
    const { announced, state } = run([
      [0, 51],
      [HOUR, 60],
      [3 * HOUR + 59 * MINUTE, 55],
      [4 * HOUR, 52],
      [5 * HOUR, 70],
      [9 * HOUR, 80],
    ]);
    expect(announced).toEqual([[4 * HOUR, 'raise']]);
    expect(state).toEqual({ overSince: start, raisedAt: later(4 * HOUR) });
  });

  it('says "back to normal" once when it clears after a raise, never twice', () => {
    const { announced, state } = run([
      [0, 51],
      [4 * HOUR, 51],
      [5 * HOUR, 50],
      [6 * HOUR, 10],
      [7 * HOUR, 0],
    ]);
    expect(announced).toEqual([
      [4 * HOUR, 'raise'],
      [5 * HOUR, 'back-to-normal'],
    ]);
    expect(state).toEqual(QUIET_BACKLOG_STATE);
  });

  it('a dip below the line before the period is over restarts the period and says nothing', () => {
    const { announced } = run([
      [0, 60],
      [3 * HOUR, 50],
      [3 * HOUR + 30 * MINUTE, 60],
      [7 * HOUR, 60],
      [7 * HOUR + 30 * MINUTE, 60],
    ]);
    expect(announced).toEqual([[7 * HOUR + 30 * MINUTE, 'raise']]);
  });

  it('going over again after "back to normal" is a new stretch with its own full period', () => {
    const { announced } = run([
      [0, 60],
      [4 * HOUR, 60],
      [5 * HOUR, 40],
      [6 * HOUR, 60],
      [9 * HOUR, 60],
      [10 * HOUR, 60],
      [11 * HOUR, 40],
    ]);
    expect(announced).toEqual([
      [4 * HOUR, 'raise'],
      [5 * HOUR, 'back-to-normal'],
      [10 * HOUR, 'raise'],
      [11 * HOUR, 'back-to-normal'],
    ]);
  });

  it('never announces while quiet', () => {
    expect(run([0, HOUR, 5 * HOUR, DAY].map((atMs) => [atMs, 50] as [number, number])).announced).toEqual([]);
  });

  it('a period of 0 raises at the first check that finds it over the line', () => {
    const [now] = conditionsOf('breached>0');
    const step = nextBacklogAlertState(QUIET_BACKLOG_STATE, { condition: now!, count: 1 }, start);
    expect(step).toEqual({ state: { overSince: start, raisedAt: start }, announce: 'raise' });
  });

  it('a check whose clock runs behind the stored one neither raises early nor loses the stretch', () => {
    const stored: BacklogAlertState = { overSince: later(2 * HOUR), raisedAt: null };
    const step = nextBacklogAlertState(stored, { condition: condition!, count: 99 }, later(HOUR));
    expect(step).toEqual({ state: stored, announce: null });
    const raised: BacklogAlertState = { overSince: start, raisedAt: later(4 * HOUR) };
    expect(nextBacklogAlertState(raised, { condition: condition!, count: 99 }, later(3 * HOUR))).toEqual({
      state: raised,
      announce: null,
    });
  });

  it('repeating the same check (another replica, the same moment) changes nothing more', () => {
    const first = nextBacklogAlertState(
      { overSince: start, raisedAt: null },
      { condition: condition!, count: 60 },
      later(4 * HOUR),
    );
    expect(first.announce).toBe('raise');
    expect(nextBacklogAlertState(first.state, { condition: condition!, count: 60 }, later(4 * HOUR))).toEqual({
      state: first.state,
      announce: null,
    });
    const cleared = nextBacklogAlertState(first.state, { condition: condition!, count: 1 }, later(5 * HOUR));
    expect(cleared.announce).toBe('back-to-normal');
    expect(nextBacklogAlertState(cleared.state, { condition: condition!, count: 1 }, later(5 * HOUR)).announce).toBe(
      null,
    );
  });
});
