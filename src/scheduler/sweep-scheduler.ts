import type { AppContext } from '../app-context.ts';

export type SweepScheduler = { start(): void; stop(): Promise<void>; nextRun(): Date | null };

export function createSweepScheduler(ctx: AppContext): SweepScheduler {
  void ctx;
  return { start() {}, async stop() {}, nextRun: () => null };
}
