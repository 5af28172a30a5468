// The legacy import's pure parts: field aliases, the old system's words for severities and statuses, Slack ids,
// how an old report becomes a bug row, zod validation of one record, and where a broken JSON text breaks.
import { describe, expect, it } from 'vitest';
import { findJsonFault } from '../../src/domain/json-position.ts';
import {
  canonicalFields,
  type LegacyReport,
  legacyBugRow,
  legacySeverity,
  legacyStatus,
  slackUserIdIn,
} from '../../src/domain/legacy-report.ts';
import { checkLegacyRecord } from '../../src/services/legacy-import/legacy-record.ts';

describe('canonicalFields', () => {
  it('finds fields under their common names, whatever the case and separators; the first one present wins', () => {
    expect(
      canonicalFields({
        Bug_ID: 7,
        Summary: 'Crash',
        'Created At': '2024-01-01',
        reportedBy: 'U123',
        'x-request-id': 'req-1',
        priority: 'P0',
        title: 'ignored: summary came first',
        unknown: 'left out',
        description: '',
      }),
    ).toEqual({ id: 7, title: 'Crash', createdAt: '2024-01-01', reporter: 'U123', requestId: 'req-1', severity: 'P0' });
  });
});

describe('the old words', () => {
  it.each([
    ['P0', 'critical'],
    ['blocker', 'critical'],
    ['Sev1', 'high'],
    ['major', 'high'],
    ['normal', 'medium'],
    [2, 'medium'],
    ['Minor', 'low'],
    ['trivial', 'low'],
    ['whatever', null],
  ])('severity %s is %s', (word, severity) => {
    expect(legacySeverity(word)).toBe(severity);
  });

  it.each([
    ['New', 'open'],
    ['In Progress', 'in_progress'],
    ['in-progress', 'in_progress'],
    ['FIXED', 'resolved'],
    ["Won't Fix", 'closed'],
    ['duplicate', 'closed'],
    ['blocked', 'escalated'],
    ['limbo', null],
  ])('status %s is %s', (word, status) => {
    expect(legacyStatus(word)).toBe(status);
  });

  it('reads Slack user ids written plainly or as mentions, and nothing else', () => {
    expect(slackUserIdIn('U0123ABCD')).toBe('U0123ABCD');
    expect(slackUserIdIn('<@W0123ABCD|alice>')).toBe('W0123ABCD');
    expect(slackUserIdIn('alice@example.com')).toBeNull();
    expect(slackUserIdIn('Ursula')).toBeNull();
  });
});

const report = (overrides: Partial<LegacyReport> = {}): LegacyReport => ({
  legacyId: 'L-1',
  title: 'Crash',
  description: '',
  severity: null,
  status: null,
  reporter: null,
  assignee: null,
  createdAt: new Date('2024-01-01T00:00:00Z'),
  updatedAt: null,
  resolvedAt: null,
  telemetry: { traceId: null, requestId: null, releaseSha: null },
  ...overrides,
});

describe('legacyBugRow', () => {
  it('defaults to an open, medium bug whose last activity is its creation', () => {
    expect(legacyBugRow(report())).toMatchObject({
      status: 'open',
      severity: 'medium',
      reporterId: 'legacy:unknown',
      claimantId: null,
      lastActivityAt: new Date('2024-01-01T00:00:00Z'),
      resolvedAt: null,
      closedAt: null,
    });
  });

  it('keeps the last update as the last activity, never one before the creation', () => {
    const updated = new Date('2024-03-01T00:00:00Z');
    expect(legacyBugRow(report({ updatedAt: updated })).lastActivityAt).toEqual(updated);
    expect(legacyBugRow(report({ updatedAt: new Date('2020-01-01') })).lastActivityAt).toEqual(
      new Date('2024-01-01T00:00:00Z'),
    );
  });

  it('keeps a claim only for a Slack user; in progress without one comes back open', () => {
    const updatedAt = new Date('2024-02-01T00:00:00Z');
    expect(legacyBugRow(report({ status: 'in_progress', assignee: '<@U0999>', updatedAt }))).toMatchObject({
      status: 'in_progress',
      claimantId: 'U0999',
      claimedAt: updatedAt,
    });
    expect(legacyBugRow(report({ status: 'in_progress', assignee: 'bob' }))).toMatchObject({
      status: 'open',
      claimantId: null,
    });
    expect(legacyBugRow(report({ reporter: 'bob@example.com' })).reporterId).toBe('legacy:bob@example.com');
  });

  it('resolved and closed bugs keep their times; closed ones are closed manually', () => {
    const resolvedAt = new Date('2024-01-05T00:00:00Z');
    expect(legacyBugRow(report({ status: 'resolved', resolvedAt }))).toMatchObject({ resolvedAt, closedAt: null });
    expect(legacyBugRow(report({ status: 'closed', updatedAt: resolvedAt }))).toMatchObject({
      closedAt: resolvedAt,
      closeReason: 'manual',
      resolvedAt: null,
    });
  });

  it('cuts a long title to the card length at a word boundary', () => {
    const title = legacyBugRow(report({ title: `${'word '.repeat(60)}end` })).title;
    expect(title.length).toBeLessThanOrEqual(150);
    expect(title.endsWith('…')).toBe(true);
  });
});

describe('checkLegacyRecord', () => {
  it('accepts a record with aliases, numbers for ids and Unix times, and telemetry from its fields or its text', () => {
    const checked = checkLegacyRecord({
      key: 42,
      subject: 'Checkout 500',
      body: 'Failed with request_id=req-778 on release sha 9f8e7d6c',
      opened: 1_704_067_200,
      modified: '1704153600000',
      traceId: 'trace-123',
    });
    expect(checked).toEqual({
      ok: true,
      report: expect.objectContaining({
        legacyId: '42',
        title: 'Checkout 500',
        createdAt: new Date('2024-01-01T00:00:00Z'),
        updatedAt: new Date('2024-01-02T00:00:00Z'),
        telemetry: { traceId: 'trace-123', requestId: 'req-778', releaseSha: '9f8e7d6c' },
      }),
    });
  });

  it('takes the title from the description when there is none', () => {
    const checked = checkLegacyRecord({ id: 'x', description: 'TypeError in checkout\nmore', created: '2024-01-01' });
    expect(checked.ok && checked.report.title).toBe('TypeError in checkout');
  });

  it('names every field that is wrong, with the legacy id when there is one', () => {
    expect(
      checkLegacyRecord({ id: 'bad-1', severity: 'huge', created: 'yesterday', release_sha: 'xyz', status: 9 }),
    ).toEqual({
      ok: false,
      legacyId: 'bad-1',
      errors: expect.arrayContaining([
        { field: 'severity', message: 'unknown severity "huge"' },
        { field: 'createdAt', message: 'expected an ISO 8601 time or a Unix time' },
        { field: 'releaseSha', message: 'expected a commit SHA (7 to 40 hex characters)' },
        { field: 'status', message: expect.any(String) },
      ]),
    });
    expect(checkLegacyRecord({ title: 'No id', created: '2024-01-01' })).toEqual({
      ok: false,
      legacyId: null,
      errors: [{ field: 'id', message: 'required' }],
    });
    expect(checkLegacyRecord({ id: 'no-title', created: '2024-01-01' })).toMatchObject({
      ok: false,
      errors: [{ field: 'title', message: 'required (or a description)' }],
    });
    expect(checkLegacyRecord('a string')).toMatchObject({ ok: false, errors: [{ message: 'expected a JSON object' }] });
  });
});

describe('checkLegacyRecord on dates', () => {
  it('rejects a day that is not on the calendar instead of moving it into the next month', () => {
    for (const created of ['2024-02-30', '2023-02-29', '2024-04-31T10:00:00Z', '2024-06-31T10:00:00+02:00']) {
      expect(checkLegacyRecord({ id: 'd-1', title: 'Dated', created })).toEqual({
        ok: false,
        legacyId: 'd-1',
        errors: [{ field: 'createdAt', message: 'expected an ISO 8601 time or a Unix time' }],
      });
    }
    const leap = checkLegacyRecord({ id: 'd-2', title: 'Leap day', created: '2024-02-29', resolved: '2024-12-31' });
    expect(leap.ok && [leap.report.createdAt, leap.report.resolvedAt]).toEqual([
      new Date('2024-02-29T00:00:00Z'),
      new Date('2024-12-31T00:00:00Z'),
    ]);
  });
});

describe('findJsonFault', () => {
  it.each([
    ['[1, 2]', null],
    ['{"a": [true, false, null, -1.5e3, "x\\n\\u00e9"], "b": {}}', null],
    ['  [] ', null],
    ['[1, 2', { offset: 5, reason: 'unexpected end of the file' }],
    ['{"a": oops}', { offset: 6, reason: 'expected a value, found "o"' }],
    ['{"a" 1}', { offset: 5, reason: `expected ':', found "1"` }],
    ['[1 2]', { offset: 3, reason: `expected ',' or ']', found "2"` }],
    ['{a: 1}', { offset: 1, reason: 'expected a quoted key, found "a"' }],
    ['[1] x', { offset: 4, reason: 'expected the end of the file, found "x"' }],
    ['id,title', { offset: 0, reason: 'expected a value, found "i"' }],
  ])('%s', (text, fault) => {
    expect(findJsonFault(text)).toEqual(fault);
  });

  it('is iterative: deep nesting does not overflow the stack', () => {
    expect(findJsonFault(`${'['.repeat(100_000)}${']'.repeat(100_000)}`)).toBeNull();
  });
});
