import { describe, expect, it } from 'vitest';
import { isStale, lastActivityAt } from '../../src/domain/staleness.ts';

const created = new Date('2026-11-01T00:00:00Z');
const at = (iso: string) => new Date(iso);

describe('lastActivityAt', () => {
  it('is the creation time when nobody who counts has spoken', () => {
    expect(
      lastActivityAt(created, [{ senderType: 'other', messageAt: at('2026-11-05T00:00:00Z'), deletedAt: null }]),
    ).toEqual(created);
  });
  it('takes the newest reporter or developer message that is not deleted', () => {
    const result = lastActivityAt(created, [
      { senderType: 'developer', messageAt: at('2026-11-03T00:00:00Z'), deletedAt: null },
      { senderType: 'reporter', messageAt: at('2026-11-04T00:00:00Z'), deletedAt: at('2026-11-04T01:00:00Z') },
      { senderType: 'bot', messageAt: at('2026-11-06T00:00:00Z'), deletedAt: null },
    ]);
    expect(result).toEqual(at('2026-11-03T00:00:00Z'));
  });
  it('counts extra activity such as a Keep open press', () => {
    expect(lastActivityAt(created, [], [at('2026-11-07T00:00:00Z')])).toEqual(at('2026-11-07T00:00:00Z'));
  });
});

describe('isStale', () => {
  const now = at('2026-11-10T00:00:00Z');
  it('is stale only past the window', () => {
    expect(isStale({ status: 'open', lastActivityAt: at('2026-11-04T23:59:59Z') }, now, 5 * 86_400_000)).toBe(true);
    expect(isStale({ status: 'open', lastActivityAt: at('2026-11-05T00:00:00Z') }, now, 5 * 86_400_000)).toBe(false);
  });
  it('never sweeps resolved, closed or escalated bugs', () => {
    for (const status of ['resolved', 'closed', 'escalated'] as const) {
      expect(isStale({ status, lastActivityAt: created }, now, 1)).toBe(false);
    }
  });
});
