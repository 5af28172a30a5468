// What a failed Web API call means (domain/slack-errors.ts), on the errors @slack/web-api really throws.
import { ErrorCode } from '@slack/web-api';
import { describe, expect, it } from 'vitest';
import { callOutcome, classifySlackFailure, WEB_API_ERROR_CODES } from '../../src/domain/slack-errors.ts';

describe('classifySlackFailure', () => {
  it("reads the library's own error codes", () => {
    expect(WEB_API_ERROR_CODES).toEqual({
      requestError: ErrorCode.RequestError,
      httpError: ErrorCode.HTTPError,
      platformError: ErrorCode.PlatformError,
      rateLimitedError: ErrorCode.RateLimitedError,
    });
  });

  it("gives up on what no retry can fix, and names Slack's reason", () => {
    expect(classifySlackFailure({ code: ErrorCode.PlatformError, data: { error: 'invalid_blocks' } })).toEqual({
      kind: 'permanent',
      reason: 'invalid_blocks',
    });
    expect(classifySlackFailure({ code: ErrorCode.PlatformError, data: { error: 'fatal_error' } })).toEqual({
      kind: 'retryable',
      reason: 'fatal_error',
    });
  });

  it('waits out a rate limit for as long as Slack says', () => {
    expect(classifySlackFailure({ code: ErrorCode.RateLimitedError, retryAfter: 30 })).toEqual({
      kind: 'rate_limited',
      retryAfterMs: 30_000,
      reason: 'ratelimited',
    });
  });

  it('retries HTTP and network failures, and anything it does not know', () => {
    expect(classifySlackFailure({ code: ErrorCode.HTTPError, statusCode: 503 }).reason).toBe('http_503');
    expect(classifySlackFailure({ code: ErrorCode.RequestError, message: 'ECONNRESET' }).reason).toBe(
      'network: ECONNRESET',
    );
    expect(classifySlackFailure(new Error('boom'))).toEqual({ kind: 'retryable', reason: 'boom' });
    expect(classifySlackFailure(null)).toEqual({ kind: 'retryable', reason: 'null' });
  });
});

describe('callOutcome', () => {
  it("labels a failed call for /metrics from a small set: 429, Slack's code, the HTTP status, never a message", () => {
    expect(callOutcome({ code: ErrorCode.RateLimitedError, retryAfter: 30 })).toBe('429');
    expect(callOutcome({ code: ErrorCode.PlatformError, data: { error: 'ratelimited' } })).toBe('429');
    expect(callOutcome({ code: ErrorCode.PlatformError, data: { error: 'channel_not_found' } })).toBe(
      'channel_not_found',
    );
    expect(callOutcome({ code: ErrorCode.HTTPError, statusCode: 503 })).toBe('http_503');
    expect(callOutcome({ code: ErrorCode.RequestError, message: 'connect ECONNREFUSED 10.0.0.7:443' })).toBe(
      'request_error',
    );
    expect(callOutcome(new Error('boom at 12:00'))).toBe('error');
    expect(callOutcome(null)).toBe('error');
  });
});
