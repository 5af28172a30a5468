// BACKLOG_ALERT (issue 15): at each sweep run every condition is measured and stepped (domain/backlog-alert.ts) in
// one transaction that holds the conditions' rows FOR UPDATE, and what it announces (an alert once the condition
// has held for its whole period, "back to normal" once after) is queued to ALERT_CHANNEL in that transaction: of
// several replicas checking at once, one decides and the others see its decision, so each is sent once.
import type { AppContext } from '../app-context.ts';
import {
  countBacklog,
  lockBacklogStates,
  oldestInBacklog,
  saveBacklogState,
} from '../db/repositories/backlog.repository.ts';
import { nextBacklogAlertState } from '../domain/backlog-alert.ts';
import { subtractBusinessMs } from '../domain/business-hours.ts';
import { buildBacklogAlertRaised, buildBacklogBackToNormal } from '../messages/ops-notices.ts';
import { enqueueInChannel } from './notices.ts';

export type BacklogCheck = { raised: string[]; cleared: string[] };

const OLDEST_SHOWN = 5;

/** The moment before which a quiet bug counts as `stale`: the sweep warns it (or has), on its (business) clock. */
export function staleBefore(ctx: AppContext, now: Date): Date {
  const { autoCloseAfterMs, autoCloseWarningMs, businessCalendar } = ctx.config;
  return subtractBusinessMs(now, autoCloseAfterMs - autoCloseWarningMs, businessCalendar);
}

export async function checkBacklogAlerts(ctx: AppContext, now: Date): Promise<BacklogCheck> {
  const conditions = ctx.config.backlogAlert;
  const channel = ctx.config.alertChannel;
  const check: BacklogCheck = { raised: [], cleared: [] };
  if (conditions.length === 0 || !channel) return check;
  const before = staleBefore(ctx, now);
  const timeZone = ctx.config.sweep.timezone;
  await ctx.orm.em.fork().transactional(async (em) => {
    const states = await lockBacklogStates(
      em,
      conditions.map((condition) => condition.key),
      now,
    );
    for (const condition of conditions) {
      const previous = states.get(condition.key) ?? { overSince: null, raisedAt: null };
      const count = await countBacklog(em, condition.metric, now, before);
      const step = nextBacklogAlertState(previous, { condition, count }, now);
      await saveBacklogState(em, condition.key, step.state, count, now);
      if (step.announce === 'raise') {
        const oldest = await oldestInBacklog(em, condition.metric, now, before, OLDEST_SHOWN);
        const payload = buildBacklogAlertRaised({
          condition,
          count,
          overSince: step.state.overSince ?? now,
          oldest: oldest.map((bug) => ({ ...bug, permalink: ctx.threadLinkFor(bug) })),
          timeZone,
        });
        await enqueueInChannel(em, channel, payload, now);
        check.raised.push(condition.key);
      } else if (step.announce === 'back-to-normal') {
        const payload = buildBacklogBackToNormal({ condition, count, raisedAt: previous.raisedAt ?? now, timeZone });
        await enqueueInChannel(em, channel, payload, now);
        check.cleared.push(condition.key);
      }
    }
  });
  if (check.raised.length + check.cleared.length > 0) {
    ctx.logger.info(check, 'backlog alert state changed');
    ctx.notifier.kick();
  }
  return check;
}
