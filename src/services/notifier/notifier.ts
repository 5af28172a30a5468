/**
 * Sends what the outbox (slack_notices) holds: after commit, paced per channel, retried, at most once.
 * Services write notices with enqueueNotice/requestCardRefresh inside their transaction and call kick() after commit.
 */
export type Notifier = {
  /** Something was committed: send what is due soon, in the background. */
  kick(): void;
  /** Sends everything due now (tests and the CLI await this); resolves when nothing due is left to try. */
  drain(): Promise<void>;
  /** Starts the background loop that also picks up retries and notices left by other replicas or a crash. */
  start(): void;
  /** Stops the loop after the send in progress. */
  stop(): Promise<void>;
};

/** Placeholder until the dispatcher lands: keeps notices in the outbox. */
export function createIdleNotifier(): Notifier {
  return { kick() {}, async drain() {}, start() {}, async stop() {} };
}
