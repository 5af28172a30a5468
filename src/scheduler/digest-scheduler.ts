// A thin croner wrapper around sendDigest (DIGEST_SCHEDULE, in SWEEP_TIMEZONE). croner fires in every replica;
// PostgreSQL decides which one sends each slot's digest (services/digest.ts).
import { Cron } from 'croner';
import type { AppContext } from '../app-context.ts';
import { sendDigest } from '../services/digest.ts';
import { currentSlot } from './cron-slot.ts';

export type DigestScheduler = { start(): void; stop(): Promise<void> };

export function createDigestScheduler(ctx: AppContext): DigestScheduler {
  const digest = ctx.config.digest;
  if (!digest) return { start() {}, async stop() {} };
  const log = ctx.logger.child({ component: 'digest-scheduler' });
  let running: Promise<unknown> | null = null;
  const cron = new Cron(
    digest.schedule,
    {
      timezone: ctx.config.sweep.timezone,
      paused: true,
      protect: true,
      catch: (error) => log.error({ err: error }, 'scheduled digest failed'),
    },
    async (job: Cron) => {
      running = sendDigest(ctx, currentSlot(job));
      try {
        await running;
      } finally {
        running = null;
      }
    },
  );
  return {
    start() {
      cron.resume();
      log.info(
        { schedule: digest.schedule, channel: digest.channelId, next: cron.nextRun()?.toISOString() },
        'digest scheduled',
      );
    },
    async stop() {
      cron.stop();
      if (running) await running.catch(() => {});
    },
  };
}
