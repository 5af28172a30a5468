// What a sweep would do right now: every candidate bug with the rule's decision, phase by phase (inactivity,
// then claims), oldest first, read in keyset pages from the sweep's indexes. The runner acts on it; the
// preview (/bugs stale, dry runs, the command line) only lists it.
import type { AppContext } from '../../app-context.ts';
import type { BugReport } from '../../db/entities/index.ts';
import type { Cursor } from '../../db/repositories/bug-keyset.ts';
import {
  findIdleBugs,
  findNotices,
  findQuietClaims,
  findUnnudgedBugs,
} from '../../db/repositories/sweep.repository.ts';
import { decideNudge, type NudgeDecision, nudgesDevelopers } from '../../domain/nudges.ts';
import {
  type ClaimDecision,
  clockThreshold,
  decideClaim,
  decideInactivity,
  type InactivityDecision,
  type NextSweepAt,
} from '../../domain/sweep-rules.ts';
import { inactivityStateOf, sweepSettings } from './sweep-items.ts';

export type SweepCandidate =
  | { phase: 'inactivity'; bug: BugReport; decision: InactivityDecision }
  | { phase: 'claim'; bug: BugReport; decision: ClaimDecision }
  | { phase: 'nudge'; bug: BugReport; decision: NudgeDecision };

/** Lazy: the next page is read after the caller has handled the previous one, so acting while scanning is safe. */
export async function* scanSweepCandidates(
  ctx: AppContext,
  now: Date,
  nextSweepAt: NextSweepAt,
): AsyncGenerator<SweepCandidate> {
  const settings = sweepSettings(ctx);
  const batch = ctx.config.sweep.batchSize;

  // Candidates are the bugs due a warning or a close: idle for longer than the window minus the warning period.
  // Under waiting-on-reporter only the reporter's turn closes on silence: the selection reads only those bugs.
  const onlyTurn = settings.autoClosePolicy === 'waiting-on-reporter' ? ('reporter' as const) : undefined;
  const idleThreshold = clockThreshold(now, settings.autoCloseAfterMs - settings.autoCloseWarningMs, settings);
  for await (const page of pages(
    (cursor) => findIdleBugs(ctx.orm.em.fork(), idleThreshold, cursor, batch, onlyTurn),
    (bug) => bug.lastActivityAt,
  )) {
    const notices = await findNotices(
      ctx.orm.em.fork(),
      page.flatMap((bug) => (bug.warningNoticeId ? [bug.warningNoticeId] : [])),
    );
    for (const bug of page) {
      const warning = bug.warningNoticeId ? notices.get(bug.warningNoticeId) : null;
      yield {
        phase: 'inactivity',
        bug,
        decision: decideInactivity(inactivityStateOf(bug, warning), now, settings, nextSweepAt),
      };
    }
  }

  const claimThreshold = clockThreshold(now, settings.claimReleaseAfterMs - settings.claimReminderMs, settings);
  for await (const page of pages(
    (cursor) => findQuietClaims(ctx.orm.em.fork(), claimThreshold, cursor, batch),
    (bug) => bug.claimantLastActivityAt!,
  )) {
    for (const bug of page) yield { phase: 'claim', bug, decision: decideClaim(bug, now, settings, nextSweepAt) };
  }

  // Bugs waiting on developers, silent for DEVELOPER_NUDGE_AFTER and not nudged in this turn.
  if (!nudgesDevelopers(settings)) return;
  const nudgeThreshold = clockThreshold(now, settings.developerNudgeAfterMs!, settings);
  for await (const page of pages(
    (cursor) => findUnnudgedBugs(ctx.orm.em.fork(), nudgeThreshold, cursor, batch),
    (bug) => bug.turnSince,
  )) {
    for (const bug of page) yield { phase: 'nudge', bug, decision: decideNudge(bug, now, settings) };
  }
}

async function* pages(
  fetch: (cursor: Cursor) => Promise<BugReport[]>,
  keyOf: (bug: BugReport) => Date,
): AsyncGenerator<BugReport[]> {
  let cursor: Cursor = null;
  for (;;) {
    const page = await fetch(cursor);
    if (page.length === 0) return;
    yield page;
    const last = page.at(-1)!;
    const next = { at: keyOf(last), id: last.id };
    // A cursor that does not move forward would read the same page for ever: fail the run loudly instead.
    if (
      cursor &&
      (next.at.getTime() < cursor.at.getTime() || (next.at.getTime() === cursor.at.getTime() && next.id <= cursor.id))
    ) {
      throw new Error(`sweep paging did not advance past bug ${cursor.id}`);
    }
    cursor = next;
  }
}
