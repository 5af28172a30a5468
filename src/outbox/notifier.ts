/**
 * Sends what the outbox (slack_notices) holds: after commit, at Slack's limits per channel and per method, retried,
 * at most once.
 * Services write notices inside their transaction (services/notices.ts) and call kick() after commit.
 */
export type Notifier = {
  /** Something was committed: send what is due soon, in the background. */
  kick(): void;
  /** Sends everything due now (tests await this); resolves when nothing due is left to try now. */
  drain(): Promise<void>;
  /**
   * Sends everything, waiting out channel pacing and retry delays in real time, until the outbox is empty or
   * `timeoutMs` has passed (the command line, which has no background loop). Resolves with what is left.
   */
  flush(timeoutMs: number): Promise<number>;
  /** Starts the background loop that also picks up retries and notices left by other replicas or a crash. */
  start(): void;
  /** Stops the loop after the send in progress. */
  stop(): Promise<void>;
  /** Stops for good (until a restart): Slack took bugsweep's access away. What is queued stays queued. */
  suspend(): Promise<void>;
  /**
   * Waits (at most `maxWaitMs`, real time) for a call of a workspace-wide Web API budget that is not sent through
   * the outbox (views.publish and views.update are Tier 4, about 100 a minute; conversations.history and
   * conversations.replies Tier 3, about 50), shared by every replica. Resolves
   * true when the call may go, false when the wait ran out (the caller goes ahead; Slack may answer 429).
   */
  awaitBudget(method: BudgetedMethod, maxWaitMs?: number): Promise<boolean>;
};

/**
 * Web API methods called outside the outbox whose workspace-wide budget the notifier keeps: Tier 4 views, and the
 * Tier 3 reads of the catch-up (shared with the outbox's own look-ups for an earlier post).
 */
export type BudgetedMethod = 'views.publish' | 'views.update' | 'conversations.history' | 'conversations.replies';
