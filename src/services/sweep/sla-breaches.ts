// The sweep's SLA phase: every open or in-progress bug past its due time gets one notice in its thread (mentioning
// the claimant, or the developers' user group when nobody holds it), one line in ALERT_CHANNEL when set, and event
// `bug.sla_breached`. Each bug in its own transaction on the locked bug, decided again as it is now; the due time
// announced is stored with it (sla_breach_notified_for), so it is announced once per bug and due time on every
// replica and across restarts.
import type { AppContext } from '../../app-context.ts';
import type { BugReport } from '../../db/entities/index.ts';
import type { Cursor } from '../../db/repositories/bug-keyset.ts';
import { lockBug } from '../../db/repositories/bug-report.repository.ts';
import { findSlaBreachCandidates } from '../../db/repositories/sla.repository.ts';
import { isSlaBreachDue } from '../../domain/sla.ts';
import { bugLogger } from '../../logger.ts';
import { buildSlaBreachAlert, buildSlaBreachNotice } from '../../messages/ops-notices.ts';
import { recordEvent } from '../audit.ts';
import { enqueueInChannel, enqueueInThread } from '../notices.ts';

/** Counted apart from the run's warn/close/remind/release counts. */
export type SlaPhaseCounts = { breached: number; failed: number };

/** Bugs whose breach is due now, in keyset pages (lazy: acting on a page before the next is read is safe). */
export async function* scanSlaBreaches(ctx: AppContext, now: Date): AsyncGenerator<BugReport> {
  let cursor: Cursor = null;
  for (;;) {
    const page = await findSlaBreachCandidates(ctx.orm.em.fork(), now, cursor, ctx.config.sweep.batchSize);
    if (page.length === 0) return;
    for (const bug of page) if (isSlaBreachDue(bug, now)) yield bug;
    const last = page.at(-1)!;
    cursor = { at: last.slaDueAt!, id: last.id };
  }
}

/** Announces the breach if the bug, as it is now, still calls for it. True when it did. */
export async function announceSlaBreach(ctx: AppContext, bugId: number, now: Date): Promise<boolean> {
  return ctx.orm.em.fork().transactional(async (em) => {
    const bug = await lockBug(em, bugId);
    if (!bug || !isSlaBreachDue(bug, now)) return false;
    const dueAt = bug.slaDueAt!;
    bug.slaBreachNotifiedFor = dueAt;
    const input = {
      bug,
      dueAt,
      now,
      developerUsergroup: ctx.config.developerUsergroup,
      timeZone: ctx.config.sweep.timezone,
    };
    await enqueueInThread(em, bug, 'thread_notice', buildSlaBreachNotice(input), now, 'bulk');
    if (ctx.config.alertChannel) {
      const alert = buildSlaBreachAlert({ ...input, permalink: ctx.threadLinkFor(bug) });
      await enqueueInChannel(em, ctx.config.alertChannel, alert, now, { bugId: bug.id, priority: 'bulk' });
    }
    recordEvent(em, {
      bugId: bug.id,
      type: 'bug.sla_breached',
      actorId: null,
      actorKind: 'system',
      at: now,
      metadata: {
        dueAt: dueAt.toISOString(),
        severity: bug.severity,
        claimant: bug.claimantId ?? null,
        overdueMs: now.getTime() - dueAt.getTime(),
      },
    });
    await em.flush();
    return true;
  });
}

/**
 * The phase as the runner calls it: at most `budget` announcements, stopping between items when asked to.
 * A dry run only counts what it would announce.
 */
export async function sweepSlaBreaches(
  ctx: AppContext,
  options: {
    now: Date;
    dryRun: boolean;
    budget: number;
    log: AppContext['logger'];
    stop: () => boolean | Promise<boolean>;
  },
): Promise<SlaPhaseCounts & { refs: string[] }> {
  const counts = { breached: 0, failed: 0, refs: [] as string[] };
  for await (const bug of scanSlaBreaches(ctx, options.now)) {
    if (counts.breached + counts.failed >= options.budget || (await options.stop())) break;
    try {
      if (!options.dryRun && !(await announceSlaBreach(ctx, bug.id, options.now))) continue;
    } catch (error) {
      counts.failed += 1;
      bugLogger(options.log, bug).error({ err: error }, 'SLA breach notice failed; the run goes on');
      continue;
    }
    counts.breached += 1;
    counts.refs.push(bug.ref);
    if (!options.dryRun) ctx.notifier.kick();
    bugLogger(options.log, bug).info({ dueAt: bug.slaDueAt, dryRun: options.dryRun }, 'SLA breach announced');
  }
  return counts;
}
