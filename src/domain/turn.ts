// Whose turn it is in a bug's thread (AUTO_CLOSE_POLICY=waiting-on-reporter, issue 16). Kept as a column updated with
// each message and each reopen, like last_activity_at, so the sweep still selects by an index range; `turnOf` is the
// definition the column must always equal, and what to recompute it with when a message is deleted.
import type { BugEventType } from './bug-event-types.ts';
import type { SenderType } from './sender-type.ts';
import type { ActivityMessage } from './staleness.ts';

/**
 * `reporter`: waiting on the reporter, because a developer (the claimant is one: classifySender says so) spoke last.
 * `developers`: waiting on developers, because the reporter spoke last, nobody but the reporter has spoken, or the bug
 * was reopened after the last developer message.
 */
export const TURNS = ['reporter', 'developers'] as const;
export type Turn = (typeof TURNS)[number];

/**
 * AUTO_CLOSE_POLICY. `any`: the seed rule, a bug closes on AUTO_CLOSE_AFTER of silence whoever spoke last.
 * `waiting-on-reporter`: only a bug waiting on its reporter is warned and closed; one waiting on developers is nudged.
 */
export const AUTO_CLOSE_POLICIES = ['any', 'waiting-on-reporter'] as const;
export type AutoClosePolicy = (typeof AUTO_CLOSE_POLICIES)[number];

/** A new bug: only the reporter has spoken (the report itself). */
export const INITIAL_TURN: Turn = 'developers';

/**
 * A reopen (a resolved, closed or awaiting-verification bug back to open: Reopen, `/bugs reopen`, the API, "still
 * broken", "Not a duplicate", or the bot's own reopen on a reply or Keep open) says the fix did not do it: whatever was
 * said before, it is the developers' turn from that moment, a new turn (a nudge of an earlier one is forgotten).
 */
export const TURN_AFTER_REOPEN: Turn = 'developers';

/**
 * The bug_events that are a reopen, at their created_at. `bug.duplicate_split` is recorded on both bugs of the pair
 * and is a reopen of the duplicate only (its metadata's duplicateId). The bot's reopen on a reply is recorded at the
 * reply's moment, and the reply counts after it, so a developer's reply that reopens a bug still asks the reporter.
 */
export const REOPEN_EVENT_TYPES = [
  'bug.reopened',
  'bug.auto_reopened',
  'bug.verification_failed',
  'bug.duplicate_split',
] as const satisfies readonly BugEventType[];

export function isReopenEvent(type: BugEventType): boolean {
  return (REOPEN_EVENT_TYPES as readonly BugEventType[]).includes(type);
}

export const TURN_LABELS: Record<Turn, string> = {
  reporter: 'Waiting on the reporter',
  developers: 'Waiting on developers',
};

/**
 * The turn after one more message. The reporter hands the turn to developers, a developer to the reporter;
 * bystanders and bots don't change it (a "+1" is not an answer, a bot notice asks nobody). When a developer reports
 * a bug, classifySender calls them the reporter, so their own replies hand the turn to the other developers.
 * Other lifecycle actions (claim, release, resolve, Keep open on an open bug) don't change the turn, nor do edits;
 * a reopen does (TURN_AFTER_REOPEN).
 */
export function turnAfterMessage(previous: Turn, sender: SenderType): Turn {
  switch (sender) {
    case 'reporter':
      return 'developers';
    case 'developer':
      return 'reporter';
    case 'other':
    case 'bot':
      return previous;
  }
}

/**
 * The turn a thread's messages and the bug's reopens give: `turnAfterMessage` over the messages still there, oldest
 * first (by `messageAt`, in the given order when two are at the same moment), starting from INITIAL_TURN, with each
 * reopen handing the turn to developers (TURN_AFTER_REOPEN) at its moment; a message at the same moment as a reopen
 * comes after it. So only the messages since the last reopen count. A deleted message counts as not sent, so deleting
 * the last developer reply gives the turn back to developers; deleting a message never undoes a reopen.
 */
export function turnOf(messages: readonly ActivityMessage[], reopenedAt: readonly Date[] = []): Turn {
  const lastReopen = Math.max(Number.NEGATIVE_INFINITY, ...reopenedAt.map((at) => at.getTime()));
  const present = messages.filter((message) => !message.deletedAt && message.messageAt.getTime() >= lastReopen);
  const start = reopenedAt.length > 0 ? TURN_AFTER_REOPEN : INITIAL_TURN;
  const ordered = present
    .map((message, index) => ({ message, index }))
    .sort((a, b) => a.message.messageAt.getTime() - b.message.messageAt.getTime() || a.index - b.index);
  return ordered.reduce<Turn>((turn, { message }) => turnAfterMessage(turn, message.senderType), start);
}
