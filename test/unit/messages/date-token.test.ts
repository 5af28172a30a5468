import { describe, expect, it } from 'vitest';
import { formatMoment } from '../../../src/domain/time-format.ts';
import { DATE_TOKEN_FORMAT, slackDate, slackMoment } from '../../../src/messages/date-token.ts';

/** Slack's token grammar, read the way Slack reads it: up to the first `>`, fallback after the first `|`. */
const TOKEN = /^<!date\^(-?\d+)\^([^^|>]+)\|([^>]*)>$/;

describe('slackDate', () => {
  it.each([
    ['2026-11-24T14:00:00.000Z', 1_795_528_800, 'Tue 24 Nov, 14:00 UTC'],
    ['2026-11-24T14:00:59.999Z', 1_795_528_859, 'Tue 24 Nov, 14:00 UTC'],
    ['1970-01-01T00:00:00.000Z', 0, 'Thu 1 Jan, 00:00 UTC'],
    ['1969-12-31T23:59:59.500Z', -1, 'Wed 31 Dec, 23:59 UTC'],
  ])('at %s: unix seconds rounded down (%i), the wording as fallback', (iso, seconds, fallback) => {
    const at = new Date(iso);
    expect(slackDate(at, formatMoment(at, 'UTC'))).toBe(`<!date^${seconds}^{date_short_pretty} {time}|${fallback}>`);
  });

  it('has no link part: the token string runs straight into the fallback', () => {
    const token = slackDate(new Date('2026-12-07T09:00:00Z'), 'Mon 7 Dec, 10:00 CET');
    const match = TOKEN.exec(token);
    expect(match?.slice(1)).toEqual(['1796634000', DATE_TOKEN_FORMAT, 'Mon 7 Dec, 10:00 CET']);
    expect(token.split('^')).toHaveLength(3);
  });

  it.each([
    ['a | pipe', 'a ¦ pipe'],
    ['closes > soon', 'closes &gt; soon'],
    ['<@U123> & <!here>', '&lt;@U123&gt; &amp; &lt;!here&gt;'],
    ['already &amp; escaped', 'already &amp;amp; escaped'],
    ['^caret^', '^caret^'],
  ])('escapes the fallback %j so it cannot end or split the token', (fallback, written) => {
    const token = slackDate(new Date(0), fallback);
    expect(token).toBe(`<!date^0^{date_short_pretty} {time}|${written}>`);
    expect(TOKEN.exec(token)?.[3]).toBe(written);
  });
});

describe('slackMoment', () => {
  it.each([
    ['UTC', 'Tue 24 Nov, 14:00 UTC'],
    ['Europe/Berlin', 'Tue 24 Nov, 15:00 CET'],
    ['Asia/Kolkata', 'Tue 24 Nov, 19:30 GMT+5:30'],
  ])('keeps the current wording in SWEEP_TIMEZONE %s as fallback', (zone, fallback) => {
    const at = new Date('2026-11-24T14:00:00Z');
    expect(slackMoment(at, zone)).toBe(`<!date^1795528800^{date_short_pretty} {time}|${fallback}>`);
    expect(fallback).toBe(formatMoment(at, zone));
  });
});
