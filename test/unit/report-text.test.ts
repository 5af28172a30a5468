import { describe, expect, it } from 'vitest';
import {
  extractTelemetry,
  extractTelemetryIds,
  MAX_TITLE_LENGTH,
  parseTelemetryQuery,
  plainText,
  titleFromText,
  truncate,
} from '../../src/domain/report-text.ts';

describe('titleFromText', () => {
  it('takes the first line that says something', () => {
    expect(titleFromText('Checkout button does nothing\nSteps: click Pay')).toBe('Checkout button does nothing');
    expect(titleFromText('\n   \n  Login loops forever  \nmore')).toBe('Login loops forever');
  });

  it('drops quote, heading and bullet marks and skips code fences', () => {
    expect(titleFromText('> Payments page is blank\nsecond')).toBe('Payments page is blank');
    expect(titleFromText('## Export fails')).toBe('Export fails');
    expect(titleFromText('• Avatar upload fails')).toBe('Avatar upload fails');
    expect(titleFromText('- Search returns 500')).toBe('Search returns 500');
    expect(titleFromText('```js\nTypeError: x is undefined\n```')).toBe('TypeError: x is undefined');
  });

  it('reads mrkdwn as plain words: link labels, bare links, mentions, emphasis and entities', () => {
    expect(titleFromText('<https://example.com/login|The login page> is blank')).toBe('The login page is blank');
    expect(titleFromText('Broken: <https://example.com/a>')).toBe('Broken: https://example.com/a');
    expect(titleFromText('<@U0ALICE> says <#C0GENERAL|general> is down')).toBe('@U0ALICE says general is down');
    expect(titleFromText('*Checkout* is _very_ ~slow~')).toBe('Checkout is very slow');
    expect(titleFromText('&lt;div&gt; overlaps &amp; hides the menu')).toBe('<div> overlaps & hides the menu');
    expect(titleFromText('snake_case_name breaks')).toBe('snake_case_name breaks');
  });

  it('collapses runs of whitespace', () => {
    expect(titleFromText('Total   is\twrong')).toBe('Total is wrong');
  });

  it('cuts a long line at a word boundary with an ellipsis, within 80 characters', () => {
    const line =
      'The checkout page shows the wrong total when a discount code and a gift card are both applied to the order';
    const title = titleFromText(line);
    expect(title).toBe('The checkout page shows the wrong total when a discount code and a gift card…');
    expect(title.length).toBeLessThanOrEqual(80);
    expect(line.startsWith(title.slice(0, -1))).toBe(true);
  });

  it('cuts one very long word hard when there is no boundary to cut at', () => {
    const title = titleFromText('x'.repeat(120));
    expect(title).toBe(`${'x'.repeat(79)}…`);
  });

  it('keeps a line of exactly 80 characters whole', () => {
    const line = `${'a'.repeat(39)} ${'b'.repeat(40)}`;
    expect(line).toHaveLength(80);
    expect(titleFromText(line)).toBe(line);
  });

  it('falls back when there is nothing to title it by', () => {
    expect(titleFromText('')).toBe('Untitled bug report');
    expect(titleFromText('  \n \n')).toBe('Untitled bug report');
    expect(titleFromText('```\n```')).toBe('Untitled bug report');
    expect(titleFromText('> \n#', 'from a file')).toBe('from a file');
    expect(titleFromText('', '')).toBe('');
  });

  it('stays well within the title limit of a report', () => {
    expect(titleFromText('word '.repeat(100)).length).toBeLessThanOrEqual(MAX_TITLE_LENGTH);
  });
});

describe('plainText and truncate', () => {
  it('plainText decodes entities once', () => {
    expect(plainText('&amp;lt; is how you write &lt;')).toBe('&lt; is how you write <');
  });
  it('truncate leaves short text alone and never exceeds the limit', () => {
    expect(truncate('short', 10)).toBe('short');
    expect(truncate('one two three four', 10)).toBe('one two…');
    expect(truncate('one two three four', 10).length).toBeLessThanOrEqual(10);
  });
});

describe('extractTelemetry', () => {
  it('finds nothing in text without telemetry', () => {
    expect(extractTelemetry('The checkout button does nothing when I click it.')).toEqual({
      traceId: null,
      requestId: null,
      releaseSha: null,
    });
    expect(extractTelemetry('')).toEqual({ traceId: null, requestId: null, releaseSha: null });
  });

  it('reads trace ids written as trace_id=…, trace-id: … and Trace ID `…`', () => {
    expect(extractTelemetry('failed, trace_id=abc123def456 again').traceId).toBe('abc123def456');
    expect(extractTelemetry('trace-id: 4bf92f35-77b3-4da6, then it died').traceId).toBe('4bf92f35-77b3-4da6');
    expect(extractTelemetry('Trace ID: `abc123`').traceId).toBe('abc123');
    expect(extractTelemetry('traceId="0af7651916cd43dd"').traceId).toBe('0af7651916cd43dd');
  });

  it('reads the trace id out of a W3C traceparent header', () => {
    expect(extractTelemetry('traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01').traceId).toBe(
      '4bf92f3577b34da6a3ce929d0e0e4736',
    );
  });

  it('prefers an explicit trace id over a traceparent', () => {
    expect(
      extractTelemetry('traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01 trace_id=explicit1')
        .traceId,
    ).toBe('explicit1');
  });

  it('reads request ids as request-id, x-request-id, X-Request-ID= and requestId', () => {
    expect(extractTelemetry('request-id: req-77aa').requestId).toBe('req-77aa');
    expect(extractTelemetry('x-request-id: 7f1c2a90').requestId).toBe('7f1c2a90');
    expect(extractTelemetry('X-Request-ID=abc-def-123').requestId).toBe('abc-def-123');
    expect(extractTelemetry('requestId: "r-991"').requestId).toBe('r-991');
    expect(extractTelemetry('req_id=zz9').requestId).toBe('zz9');
  });

  it('reads a release SHA of 7 to 40 hex characters after release, sha or commit, lower-cased', () => {
    expect(extractTelemetry('on release 1a2b3c4').releaseSha).toBe('1a2b3c4');
    expect(extractTelemetry('sha: deadbee').releaseSha).toBe('deadbee');
    expect(extractTelemetry('release_sha=ABCDEF1').releaseSha).toBe('abcdef1');
    expect(extractTelemetry('Release: `9f8e7d6c`').releaseSha).toBe('9f8e7d6c');
    expect(extractTelemetry('Commit SHA: 1a2b3c4d5e').releaseSha).toBe('1a2b3c4d5e');
    expect(extractTelemetry('commit 0123456789abcdef0123456789abcdef01234567').releaseSha).toBe(
      '0123456789abcdef0123456789abcdef01234567',
    );
  });

  it('does not take too short or too long hex runs for a SHA', () => {
    expect(extractTelemetry('release abc12').releaseSha).toBeNull();
    expect(extractTelemetry(`commit ${'a'.repeat(41)}`).releaseSha).toBeNull();
    expect(extractTelemetry('release notes are out').releaseSha).toBeNull();
  });

  it('does not take an all-digit run such as a date or build number for a SHA, and keeps looking', () => {
    expect(extractTelemetry('release 20261124').releaseSha).toBeNull();
    expect(extractTelemetry('release 2026-11-24').releaseSha).toBeNull();
    expect(extractTelemetry('release 20261124, sha 9f8e7d6').releaseSha).toBe('9f8e7d6');
  });

  it('reads all three from one report, including inside a mrkdwn link label', () => {
    const text =
      'Search 500s\ntrace_id=abc123def456 x-request-id: req-1 release 9f8e7d6c\n<https://logs.example.com/q?1|request-id: req-9>';
    expect(extractTelemetry(text)).toEqual({ traceId: 'abc123def456', requestId: 'req-1', releaseSha: '9f8e7d6c' });
    expect(extractTelemetry('see <https://logs.example.com/t/1|trace_id=abc123>').traceId).toBe('abc123');
  });

  // Punctuation after an id, words that merely start like "id", JSON logs, and a version before the SHA.
  it('does not take the full stop ending a sentence into the id', () => {
    expect(extractTelemetry('It failed with trace_id=4bf92f3577b34da6.').traceId).toBe('4bf92f3577b34da6');
    expect(extractTelemetry('Logged as request-id: req-77aa.').requestId).toBe('req-77aa');
  });

  it('does not read words that merely start with "id" as an id label', () => {
    expect(extractTelemetry('Every request identical to the first one fails').requestId).toBeNull();
    expect(extractTelemetry('The trace identifier is missing from the logs').traceId).toBeNull();
  });

  it('reads a SHA after a version, as the source comment promises ("release v2 @ 1a2b3c4d")', () => {
    expect(extractTelemetry('release v2 @ 1a2b3c4d').releaseSha).toBe('1a2b3c4d');
  });

  it('reads ids from a pasted JSON log line, where the label is a quoted key', () => {
    const line = '{"level":"error","trace_id":"4bf92f3577b34da6","request_id":"req-77aa","msg":"boom"}';
    expect(extractTelemetry(line)).toMatchObject({ traceId: '4bf92f3577b34da6', requestId: 'req-77aa' });
  });
});

describe('extractTelemetryIds and parseTelemetryQuery', () => {
  it('keeps every id of each kind, each once, in order, SHAs in lower case', () => {
    expect(
      extractTelemetryIds(
        'trace_id=abc123 then trace_id=def456 and trace_id=abc123; traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\n' +
          'request-id: r-1 x-request-id=r-2\nrelease 1A2B3C4 and sha: deadbeef12',
      ),
    ).toEqual({
      traceIds: ['abc123', 'def456', '4bf92f3577b34da6a3ce929d0e0e4736'],
      requestIds: ['r-1', 'r-2'],
      releaseShas: ['1a2b3c4', 'deadbeef12'],
    });
    expect(extractTelemetryIds('nothing here')).toEqual({ traceIds: [], requestIds: [], releaseShas: [] });
  });

  it('reads a query as an id, and as a SHA prefix when it is 7 to 40 hex characters', () => {
    expect(parseTelemetryQuery(' `9F8E7D6` ')).toEqual({ value: '9F8E7D6', shaPrefix: '9f8e7d6' });
    expect(parseTelemetryQuery('9f8e7d')).toEqual({ value: '9f8e7d', shaPrefix: null });
    expect(parseTelemetryQuery('req-7781')).toEqual({ value: 'req-7781', shaPrefix: null });
    expect(parseTelemetryQuery('')).toBeNull();
    expect(parseTelemetryQuery('two words')).toBeNull();
    expect(parseTelemetryQuery('x'.repeat(129))).toBeNull();
  });
});
