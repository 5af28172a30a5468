// Whose turn it is in a bug's thread (AUTO_CLOSE_POLICY=waiting-on-reporter, issue 16). Kept as a column updated with
// each message, like last_activity_at, so the sweep still selects by an index range; `turnOf` is the definition the
// column must always equal, and what to recompute it with when a message is deleted.
import type { SenderType } from './sender-type.ts';
import type { ActivityMessage } from './staleness.ts';

/**
 * `reporter`: waiting on the reporter, because a developer (the claimant is one: classifySender says so) spoke last.
 * `developers`: waiting on developers, because the reporter spoke last or nobody but the reporter has spoken.
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

export const TURN_LABELS: Record<Turn, string> = {
  reporter: 'Waiting on the reporter',
  developers: 'Waiting on developers',
};

/**
 * The turn after one more message. The reporter hands the turn to developers, a developer to the reporter;
 * bystanders and bots don't change it (a "+1" is not an answer, a bot notice asks nobody). When a developer reports
 * a bug, classifySender calls them the reporter, so their own replies hand the turn to the other developers.
 * Lifecycle actions (claim, Keep open) are not messages and don't change the turn; edits don't either.
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
 * The turn a thread's messages give: `turnAfterMessage` over the messages still there, oldest first (by
 * `messageAt`, in the given order when two are at the same moment), starting from INITIAL_TURN. A deleted message
 * counts as not sent, so deleting the last developer reply gives the turn back to developers.
 */
export function turnOf(messages: readonly ActivityMessage[]): Turn {
  const present = messages.filter((message) => !message.deletedAt);
  const ordered = present
    .map((message, index) => ({ message, index }))
    .sort((a, b) => a.message.messageAt.getTime() - b.message.messageAt.getTime() || a.index - b.index);
  return ordered.reduce<Turn>((turn, { message }) => turnAfterMessage(turn, message.senderType), INITIAL_TURN);
}
