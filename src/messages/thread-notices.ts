// What bugsweep says in bug threads. Pure builders on plain inputs: every time in them is computed by the caller
// from the settings in force and formatted in SWEEP_TIMEZONE, never a hard-coded number of days. The outbox
// stores what they return, so a notice states the facts as they were decided.
import type { ReminderClearedWhy, WarningClearedWhy } from '../domain/bug-activity.ts';
import { formatDuration } from '../domain/duration.ts';
import type { Transition, TransitionDetails } from '../domain/lifecycle.ts';
import { isCommitSha } from '../domain/slack-text.ts';
import {
  actions,
  button,
  capMrkdwn,
  escapeMrkdwn,
  LIMITS,
  message,
  type SlackMessage,
  section,
  textMessage,
} from './blocks.ts';
import { slackMoment } from './date-token.ts';
import { ACTIONS, BLOCKS } from './ids.ts';
import { mentionClaimant } from './mentions.ts';

/**
 * A time a notice states: a Slack date token, which each reader sees in their own zone and clock format; its
 * fallback is "Tue 24 Nov, 14:00 UTC" in SWEEP_TIMEZONE, the wording bugsweep always used.
 */
function stated(at: Date, input: { timeZone: string }): string {
  return slackMoment(at, input.timeZone);
}

/** The bug as a notice names it. */
export type BugRef = { id: number; ref: string; reporterId: string; claimantId?: string | null };

/**
 * A notice's sentence with a person's words in it (a resolution note, a reason): their words are escaped and cut,
 * never the sentence around them, so a very long note still leaves the whole notice within one section.
 */
function withUserText(build: (words: string) => string, words: string, prepare = escapeMrkdwn): string {
  const room = LIMITS.section - build('').length;
  return build(capMrkdwn(prepare(words), Math.max(room, 1)));
}

/** An agent's fix, waiting for a person to try it: the reporter and the developers are asked to verify it. */
function proposedFixNotice(bug: BugRef, who: string, details: TransitionDetails): SlackMessage {
  const head = `:test_tube: ${who} has a fix for *${bug.ref}* waiting for verification.`;
  const tail = [
    ...(details.link ? [`Fix: ${formatFixLink(details.link)}`] : []),
    `${mentionClaimant(bug.reporterId)}, developers: does it work? Press *Verify* on the card, or *Still broken* and say what you see.`,
  ];
  return textMessage(
    details.note
      ? withUserText((note) => [head, note, ...tail].join('\n'), details.note, quote)
      : [head, ...tail].join('\n'),
  );
}

/** The thread notice a person's (or an agent's) lifecycle action owes. */
export function buildTransitionNotice(
  bug: BugRef,
  transition: Transition,
  actorId: string,
  details: TransitionDetails = {},
): SlackMessage {
  const who = mentionClaimant(actorId);
  switch (transition.action) {
    case 'claim':
      return textMessage(`:raising_hand: ${who} claimed *${bug.ref}* and is on it.`);
    case 'release':
      return textMessage(
        transition.from !== 'escalated' && bug.claimantId && bug.claimantId !== actorId
          ? `:arrows_counterclockwise: ${who} released ${mentionClaimant(bug.claimantId)}'s claim on *${bug.ref}*; it is back in the queue.`
          : `:arrows_counterclockwise: ${who} released *${bug.ref}*; it is back in the queue for someone to pick up.`,
      );
    case 'resolve': {
      if (transition.to === 'awaiting_verification') return proposedFixNotice(bug, who, details);
      const head = `:white_check_mark: ${who} resolved *${bug.ref}*.`;
      const tail = [
        ...(details.link ? [`Fix: ${formatFixLink(details.link)}`] : []),
        `${mentionClaimant(bug.reporterId)}, if it is not fixed for you, press *Reopen* on the card.`,
      ];
      const text = details.note
        ? withUserText((note) => [head, note, ...tail].join('\n'), details.note, quote)
        : [head, ...tail].join('\n');
      return textMessage(text);
    }
    case 'verify':
      return textMessage(`:white_check_mark: ${who} verified the fix for *${bug.ref}*; it is resolved.`);
    case 'still_broken': {
      const build = (words: string) =>
        `:leftwards_arrow_with_hook: ${who} says *${bug.ref}* is still broken${words ? `:\n${words}` : '.'}\n` +
        'It is open again and back in the queue.';
      return textMessage(details.note ? withUserText(build, details.note, quote) : build(''));
    }
    case 'reopen':
      return textMessage(
        `:leftwards_arrow_with_hook: ${who} reopened *${bug.ref}*. It is open again and waiting to be claimed.`,
      );
    case 'escalate':
      return textMessage(
        details.reason
          ? withUserText(
              (reason) => `:rotating_light: ${who} escalated *${bug.ref}*: ${reason} bugsweep will not auto-close it.`,
              details.reason,
            )
          : `:rotating_light: ${who} escalated *${bug.ref}*. bugsweep will not auto-close it.`,
      );
    case 'close':
      if (transition.closeReason === 'withdrawn')
        return textMessage(`:wave: ${who} withdrew *${bug.ref}*; it is closed.`);
      return textMessage(
        details.reason
          ? withUserText((reason) => `:lock: ${who} closed *${bug.ref}*: ${reason}`, details.reason)
          : `:lock: ${who} closed *${bug.ref}*.`,
      );
  }
}

/** A note as a block quote, line by line. */
function quote(note: string): string {
  return `>${escapeMrkdwn(note).replaceAll('\n', '\n>')}`;
}

/** A commit SHA as code, a link as a link whose address cannot smuggle in mentions or formatting. */
function formatFixLink(link: string): string {
  if (isCommitSha(link)) return `\`${link.toLowerCase()}\``;
  try {
    return `<${new URL(link).href}>`;
  } catch {
    return escapeMrkdwn(link);
  }
}

/** Under AUTO_CLOSE_POLICY=waiting-on-reporter: the developer message the reporter has not answered. */
export type AwaitedMessage = { developerId: string; text: string; at: Date };

export type WarningInput = {
  bug: BugRef;
  lastActivityAt: Date;
  closesAt: Date;
  timeZone: string;
  /** Set when the bug is waiting on its reporter: the warning says what is awaited, to the reporter. */
  awaited?: AwaitedMessage | null;
  /** An agent's fix waiting for verification: the warning says it will be closed as resolved. */
  unverified?: boolean;
};

/** How much of an unanswered question a warning quotes. */
const AWAITED_QUOTE_MAX = 200;

/** Posted before an inactivity close, with a button that counts as the reporter's or a developer's activity. */
export function buildInactivityWarning(input: WarningInput): SlackMessage {
  const { bug } = input;
  if (input.unverified) return unverifiedWarning(input);
  if (input.awaited) return awaitingReporterWarning(input, input.awaited);
  const people = [
    `${mentionClaimant(bug.reporterId)}`,
    ...(bug.claimantId && bug.claimantId !== bug.reporterId ? [mentionClaimant(bug.claimantId)] : []),
  ].join(' ');
  const text =
    `:hourglass_flowing_sand: ${people} *${bug.ref}* has been quiet since ${stated(input.lastActivityAt, input)}. ` +
    `It will be closed on *${stated(input.closesAt, input)}* unless someone replies here. ` +
    `A reply from the reporter or a developer, or *Keep open*, keeps it open.`;
  return message(text, [
    section(text),
    actions(BLOCKS.warningActions(bug.id), [
      button({ actionId: ACTIONS.keepOpen, label: 'Keep open', value: String(bug.id) }),
    ]),
  ]);
}

/** A fix waiting for verification, about to count as resolved. */
function unverifiedWarning(input: WarningInput): SlackMessage {
  const { bug } = input;
  const text =
    `:hourglass_flowing_sand: ${mentionClaimant(bug.reporterId)} the fix for *${bug.ref}* has waited for verification since ` +
    `${stated(input.lastActivityAt, input)}. Unless someone says it is still broken, it will be closed as ` +
    `resolved on *${stated(input.closesAt, input)}*. *Verify* or *Still broken* on the card, a reply here, ` +
    'or *Keep open* keeps it waiting.';
  return message(text, [
    section(text),
    actions(BLOCKS.warningActions(bug.id), [
      button({ actionId: ACTIONS.keepOpen, label: 'Keep open', value: String(bug.id) }),
    ]),
  ]);
}

/** "<@reporter>, <@dev> asked “…” on Tue 1 Dec; BUG-1 closes on … unless you reply." */
function awaitingReporterWarning(input: WarningInput, awaited: AwaitedMessage): SlackMessage {
  const { bug } = input;
  const words = awaited.text.replace(/\s+/g, ' ').trim();
  const asked = words
    ? `<@${awaited.developerId}> asked “${capMrkdwn(escapeMrkdwn(words), AWAITED_QUOTE_MAX)}”`
    : `<@${awaited.developerId}> replied`;
  const text =
    `:hourglass_flowing_sand: ${mentionClaimant(bug.reporterId)}, ${asked} on ${slackMoment(awaited.at, input.timeZone)}; ` +
    `*${bug.ref}* closes on *${slackMoment(input.closesAt, input.timeZone)}* unless you reply. ` +
    `A reply here, or *Keep open*, keeps it open.`;
  return message(text, [
    section(text),
    actions(BLOCKS.warningActions(bug.id), [
      button({ actionId: ACTIONS.keepOpen, label: 'Keep open', value: String(bug.id) }),
    ]),
  ]);
}

/** Who a nudge calls on: the claimant, else the developer user group, else the listed developers. */
export type NudgeAudience =
  | { kind: 'claimant'; userId: string }
  | { kind: 'usergroup'; usergroupId: string }
  | { kind: 'developers'; userIds: readonly string[] };

function mentionAudience(audience: NudgeAudience): string {
  switch (audience.kind) {
    case 'claimant':
      return mentionClaimant(audience.userId);
    case 'usergroup':
      return `<!subteam^${audience.usergroupId}>`;
    case 'developers':
      return audience.userIds.length > 0 ? audience.userIds.map((id) => `<@${id}>`).join(' ') : 'Developers';
  }
}

/** Under waiting-on-reporter: a bug whose developers have been silent for DEVELOPER_NUDGE_AFTER, nudged once. */
export function buildDeveloperNudge(input: {
  bug: BugRef;
  audience: NudgeAudience;
  waitingSince: Date;
  timeZone: string;
}): SlackMessage {
  const { bug } = input;
  return textMessage(
    `:bell: ${mentionAudience(input.audience)}, *${bug.ref}* is waiting on developers: ${mentionClaimant(bug.reporterId)} ` +
      `has had no answer since ${slackMoment(input.waitingSince, input.timeZone)}. ` +
      `bugsweep does not close a bug while it waits on you; a reply here is all it takes.`,
  );
}

/** The nudge, edited in place once a developer answered. */
export function buildNudgeWithdrawn(input: { bug: BugRef; at: Date; timeZone: string }): SlackMessage {
  return textMessage(
    `:white_check_mark: ~Nudge for *${input.bug.ref}*~ No longer applies: a developer answered on ${slackMoment(input.at, input.timeZone)}.`,
  );
}

/** The warning, edited in place once it no longer applies. */
export function buildWarningCleared(input: {
  bug: BugRef;
  byUserId: string | null;
  at: Date;
  why: WarningClearedWhy;
  timeZone: string;
}): SlackMessage {
  const when = stated(input.at, input);
  const by = input.byUserId ? `<@${input.byUserId}>` : 'someone';
  const reasons: Record<WarningClearedWhy, string> = {
    keep_open: `${by} asked to keep it open on ${when}`,
    reply: `${by} replied on ${when}`,
    claim: `${by} claimed it on ${when}`,
    status: `its status changed on ${when}`,
  };
  const reason = reasons[input.why];
  return textMessage(
    `:white_check_mark: ~Inactivity warning for *${input.bug.ref}*~ No longer applies: ${reason}. The inactivity clock has started again.`,
  );
}

export function buildAutoClosedNotice(input: {
  bug: BugRef;
  lastActivityAt: Date;
  now: Date;
  reopenWithinMs: number;
  timeZone: string;
}): SlackMessage {
  const idle = formatDuration(input.now.getTime() - input.lastActivityAt.getTime());
  const reopen =
    input.reopenWithinMs > 0
      ? ` If it still matters, reply here before ${stated(new Date(input.now.getTime() + input.reopenWithinMs), input)} and it reopens by itself.`
      : ' If it still matters, press *Reopen* on the card.';
  return textMessage(
    `:zzz: Closed *${input.bug.ref}* after ${idle} without a word from the reporter or a developer (last on ${stated(input.lastActivityAt, input)}).${reopen}`,
  );
}

/** The sweep closing an agent's fix that nobody said was still broken: it counts as resolved. */
export function buildUnverifiedClosedNotice(input: {
  bug: BugRef;
  lastActivityAt: Date;
  timeZone: string;
}): SlackMessage {
  return textMessage(
    `:white_check_mark: Closed *${input.bug.ref}* as resolved: its fix waited for verification since ` +
      `${stated(input.lastActivityAt, input)} and nobody said it was still broken. ` +
      'If it is, press *Reopen* on the card.',
  );
}

export function buildAutoReopenedNotice(bug: BugRef, byUserId: string): SlackMessage {
  return textMessage(
    `:leftwards_arrow_with_hook: <@${byUserId}> replied, so *${bug.ref}* is open again and back in the queue.`,
  );
}

export function buildClaimReminder(input: {
  bug: BugRef;
  claimantId: string;
  quietSince: Date;
  releaseAt: Date;
  timeZone: string;
}): SlackMessage {
  return textMessage(
    `:wave: ${mentionClaimant(input.claimantId)}, a gentle nudge on *${input.bug.ref}*: it has been quiet since ${stated(input.quietSince, input)}. ` +
      `If you are still on it, a quick update here keeps your claim. Otherwise it goes back to the queue on ${stated(input.releaseAt, input)} ` +
      `so fresh eyes can pick it up. No worries either way.`,
  );
}

/** The reminder, edited in place once it no longer applies: thanks when the claimant spoke up, plain facts otherwise. */
export function buildReminderCleared(input: {
  bug: BugRef;
  at: Date;
  why: ReminderClearedWhy;
  timeZone: string;
}): SlackMessage {
  const reasons: Record<ReminderClearedWhy, string> = {
    activity: `Thanks for the update on ${stated(input.at, input)}; the claim stays.`,
    released: 'No longer applies: the claim was released.',
    status: `No longer applies: *${input.bug.ref}* is no longer waiting on this claim.`,
  };
  return textMessage(`:white_check_mark: ~Reminder for *${input.bug.ref}*~ ${reasons[input.why]}`);
}

/** Kind words: a released claim is nobody's failure, just a bug that needs fresh eyes. */
export function buildClaimReleasedNotice(input: {
  bug: BugRef;
  claimantId: string;
  idleMs: number;
  byAdminId: string | null;
}): SlackMessage {
  const intro = input.byAdminId
    ? `<@${input.byAdminId}> moved *${input.bug.ref}* back to the queue`
    : `*${input.bug.ref}* is back in the queue`;
  return textMessage(
    `:seedling: ${intro}: it has been quiet for ${formatDuration(input.idleMs)}, and fresh eyes might help. ` +
      `Thank you ${mentionClaimant(input.claimantId)} for the time you put in; you are welcome to claim it again any time.`,
  );
}

export function buildFiledFromMessageNotice(bug: BugRef, permalink: string): SlackMessage {
  return textMessage(`:memo: Filed as *${bug.ref}*: <${permalink}|follow it here>.`);
}
