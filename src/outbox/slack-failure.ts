// How the outbox retries a notice Slack did not take (what Slack's error means: domain/slack-errors.ts).

/** Exponential backoff for retryable failures: 2 s, 4 s, 8 s ... capped at 15 minutes. */
export function retryDelayMs(attempt: number): number {
  return Math.min(2_000 * 2 ** Math.max(0, attempt - 1), 15 * 60_000);
}

/** Retryable failures give up after this many attempts (about 2 hours of trying); 429s never count. */
export const MAX_NOTICE_ATTEMPTS = 14;
