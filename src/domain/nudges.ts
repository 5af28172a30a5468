// Nudging developers (AUTO_CLOSE_POLICY=waiting-on-reporter, DEVELOPER_NUDGE_AFTER, issue 16): a bug waiting on
// developers is never closed on its reporter's silence; instead, the first sweep after DEVELOPER_NUDGE_AFTER of
// developer silence nudges it once in its thread. The nudge belongs to the developers' turn: a developer's answer
// passes the turn to the reporter and withdraws it, and the next developers' turn may be nudged again.
import { type BugStatus, isSweepable } from './bug-status.ts';
import { elapsedMs, type SweepSettings } from './sweep-rules.ts';
import type { Turn } from './turn.ts';

export type NudgeState = {
  status: BugStatus;
  turn: Turn;
  /** When the current turn began: the developers' silence is counted from here. */
  turnSince: Date;
  nudgedAt?: Date | null;
};

export type NudgeDecision = { kind: 'nudge'; waitingSince: Date; silentMs: number } | { kind: 'none' };

export function nudgesDevelopers(settings: SweepSettings): boolean {
  return settings.autoClosePolicy === 'waiting-on-reporter' && (settings.developerNudgeAfterMs ?? 0) > 0;
}

export function decideNudge(bug: NudgeState, now: Date, settings: SweepSettings): NudgeDecision {
  if (!nudgesDevelopers(settings) || !isSweepable(bug.status) || bug.turn !== 'developers') return { kind: 'none' };
  // One nudge per developers' turn.
  if (bug.nudgedAt && bug.nudgedAt.getTime() >= bug.turnSince.getTime()) return { kind: 'none' };
  const silent = elapsedMs(bug.turnSince, now, settings);
  // Like staleness: strictly longer than the setting.
  if (silent <= settings.developerNudgeAfterMs!) return { kind: 'none' };
  return { kind: 'nudge', waitingSince: bug.turnSince, silentMs: silent };
}
