import { describe, expect, it } from 'vitest';
import { decideGrouping, maySplitDuplicate, notDuplicatePair } from '../../src/domain/duplicates.ts';
import { agoPhrase } from '../../src/messages/duplicate-notices.ts';
import { DAY } from '../support/test-clock.ts';

const now = new Date('2026-12-03T12:00:00Z');
const group = (lastSeenAgoMs: number) => ({
  fingerprint: 'v1:abc',
  canonicalBugId: 12,
  occurrenceCount: 3,
  firstSeenAt: new Date(now.getTime() - 10 * DAY),
  lastSeenAt: new Date(now.getTime() - lastSeenAgoMs),
});
const decide = (overrides: Partial<Parameters<typeof decideGrouping>[0]> = {}) =>
  decideGrouping({
    group: group(DAY),
    canonical: { id: 12, status: 'open' },
    now,
    windowMs: 30 * DAY,
    notDuplicate: false,
    ...overrides,
  });

describe('decideGrouping', () => {
  it('links to an open, in-progress or escalated canonical bug last seen within the window', () => {
    expect(decide()).toEqual({ kind: 'link', canonicalBugId: 12 });
    expect(decide({ canonical: { id: 12, status: 'in_progress' } }).kind).toBe('link');
    expect(decide({ canonical: { id: 12, status: 'escalated' } }).kind).toBe('link');
    expect(decide({ group: group(30 * DAY) }).kind).toBe('link');
  });

  it('starts the group again otherwise', () => {
    expect(decide({ group: null, canonical: null })).toEqual({ kind: 'start' });
    expect(decide({ canonical: { id: 12, status: 'resolved' } })).toEqual({ kind: 'start' });
    expect(decide({ canonical: { id: 12, status: 'closed' } })).toEqual({ kind: 'start' });
    expect(decide({ group: group(30 * DAY + 1) })).toEqual({ kind: 'start' });
    expect(decide({ notDuplicate: true })).toEqual({ kind: 'start' });
    expect(decide({ canonical: { id: 13, status: 'open' } })).toEqual({ kind: 'start' });
  });
});

describe('the rest of the duplicate rules', () => {
  it('stores a pair smaller id first', () => {
    expect(notDuplicatePair(9, 4)).toEqual({ bugId: 4, otherBugId: 9 });
    expect(notDuplicatePair(4, 9)).toEqual({ bugId: 4, otherBugId: 9 });
  });

  it('lets the reporter, developers and admins split', () => {
    const bug = { reporterId: 'UREP' };
    expect(maySplitDuplicate(bug, { id: 'UREP', isDeveloper: false, isAdmin: false })).toBe(true);
    expect(maySplitDuplicate(bug, { id: 'UDEV', isDeveloper: true, isAdmin: false })).toBe(true);
    expect(maySplitDuplicate(bug, { id: 'UADM', isDeveloper: false, isAdmin: true })).toBe(true);
    expect(maySplitDuplicate(bug, { id: 'UBY', isDeveloper: false, isAdmin: false })).toBe(false);
  });

  it('says how long ago as the notice does', () => {
    expect(agoPhrase(20_000)).toBe('moments');
    expect(agoPhrase(5 * 60_000)).toBe('5 min');
    expect(agoPhrase(2 * 3_600_000 + 59 * 60_000)).toBe('2 h');
    expect(agoPhrase(3 * DAY)).toBe('3 d');
  });
});
