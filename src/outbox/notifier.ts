/**
 * Sends what the outbox (slack_notices) holds: after commit, paced per channel, retried, at most once.
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
};
