// What a failed Slack Web API call means: wait and try again, slow down, or give up. A pure reading of the error
// @slack/web-api throws (its `code`, and Slack's own `error` string for platform errors); the outbox acts on it,
// and anything that reports a Slack failure to a person quotes its `reason`.

export type SlackFailure =
  | { kind: 'rate_limited'; retryAfterMs: number; reason: string }
  | { kind: 'retryable'; reason: string }
  | { kind: 'permanent'; reason: string };

/** @slack/web-api's ErrorCode values (test/unit/slack-errors.test.ts holds them to the library's enum). */
export const WEB_API_ERROR_CODES = {
  requestError: 'slack_webapi_request_error',
  httpError: 'slack_webapi_http_error',
  platformError: 'slack_webapi_platform_error',
  rateLimitedError: 'slack_webapi_rate_limited_error',
} as const;

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

type WebApiError = {
  code?: string;
  data?: { error?: string };
  retryAfter?: number;
  statusCode?: number;
  message?: string;
};

export function classifySlackFailure(error: unknown): SlackFailure {
  const coded = (typeof error === 'object' && error !== null ? error : {}) as WebApiError;
  switch (coded.code) {
    case WEB_API_ERROR_CODES.rateLimitedError:
      return { kind: 'rate_limited', retryAfterMs: Math.max(1, coded.retryAfter ?? 1) * 1000, reason: 'ratelimited' };
    case WEB_API_ERROR_CODES.platformError: {
      const reason = coded.data?.error ?? 'unknown_error';
      if (reason === 'ratelimited') return { kind: 'rate_limited', retryAfterMs: 1000, reason };
      return PERMANENT_ERRORS.has(reason) ? { kind: 'permanent', reason } : { kind: 'retryable', reason };
    }
    case WEB_API_ERROR_CODES.httpError:
      return { kind: 'retryable', reason: `http_${coded.statusCode ?? 'error'}` };
    case WEB_API_ERROR_CODES.requestError:
      return { kind: 'retryable', reason: `network: ${coded.message ?? 'request failed'}` };
    default:
      return { kind: 'retryable', reason: coded.message ?? String(error) };
  }
}

/**
 * A failed call as /metrics labels its outcome: `429`, Slack's error code, `http_<status>`, or `request_error` for a
 * call that got no answer. Never an error message: a label value must come from a small set.
 */
export function callOutcome(error: unknown): string {
  const failure = classifySlackFailure(error);
  if (failure.kind === 'rate_limited') return '429';
  switch ((error as WebApiError | null)?.code) {
    case WEB_API_ERROR_CODES.platformError:
    case WEB_API_ERROR_CODES.httpError:
      return failure.reason;
    case WEB_API_ERROR_CODES.requestError:
      return 'request_error';
    default:
      return 'error';
  }
}
