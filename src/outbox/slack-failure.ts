// What a failed Web API call means for a notice: wait and try again, slow the channel down, or give up.
import { ErrorCode } from '@slack/web-api';

export type SlackFailure =
  | { kind: 'rate_limited'; retryAfterMs: number; reason: string }
  | { kind: 'retryable'; reason: string }
  | { kind: 'permanent'; reason: string };

/** Slack errors that no retry can fix: the notice is marked failed with the reason, and the state change stands. */
const PERMANENT_ERRORS = new Set([
  'channel_not_found',
  'is_archived',
  'not_in_channel',
  'thread_not_found',
  'msg_too_long',
  'no_text',
  'invalid_blocks',
  'invalid_arguments',
  'invalid_metadata_format',
  'cant_update_message',
  'edit_window_closed',
  'message_not_found',
  'restricted_action',
  'restricted_action_read_only_channel',
  'restricted_action_thread_only_channel',
  'restricted_action_non_threadable_channel',
  'team_access_not_granted',
  'missing_scope',
]);

export function classifySlackFailure(error: unknown): SlackFailure {
  const coded = error as {
    code?: string;
    data?: { error?: string };
    retryAfter?: number;
    statusCode?: number;
    message?: string;
  };
  switch (coded?.code) {
    case ErrorCode.RateLimitedError:
      return { kind: 'rate_limited', retryAfterMs: Math.max(1, coded.retryAfter ?? 1) * 1000, reason: 'ratelimited' };
    case ErrorCode.PlatformError: {
      const reason = coded.data?.error ?? 'unknown_error';
      if (reason === 'ratelimited') return { kind: 'rate_limited', retryAfterMs: 1000, reason };
      return PERMANENT_ERRORS.has(reason) ? { kind: 'permanent', reason } : { kind: 'retryable', reason };
    }
    case ErrorCode.HTTPError:
      return { kind: 'retryable', reason: `http_${coded.statusCode ?? 'error'}` };
    case ErrorCode.RequestError:
      return { kind: 'retryable', reason: `network: ${coded.message ?? 'request failed'}` };
    default:
      return { kind: 'retryable', reason: coded?.message ?? String(error) };
  }
}

/** Exponential backoff for retryable failures: 2 s, 4 s, 8 s ... capped at 15 minutes. */
export function retryDelayMs(attempt: number): number {
  return Math.min(2_000 * 2 ** Math.max(0, attempt - 1), 15 * 60_000);
}

/** Retryable failures give up after this many attempts (about 2 hours of trying); 429s never count. */
export const MAX_NOTICE_ATTEMPTS = 14;
