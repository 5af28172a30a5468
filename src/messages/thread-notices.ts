// What bugsweep says in bug threads. Pure builders: every time in them is computed by the caller from the
// settings in force and formatted in SWEEP_TIMEZONE, never a hard-coded number of days.
import { formatDuration } from '../domain/duration.ts';
import type { Transition } from '../domain/lifecycle.ts';
import { isCommitSha } from '../domain/slack-text.ts';
import { formatMoment } from '../domain/time-format.ts';
import { escapeMrkdwn, type SlackMessage } from './bug-card.ts';
import { ACTIONS } from './ids.ts';

type BugRef = { id: number; ref: string; reporterId: string; claimantId?: string | null };

const plain = (text: string): SlackMessage => ({ text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] });

export type TransitionDetails = { note?: string | null; link?: string | null; reason?: string | null };

/** The thread notice a person's lifecycle action owes. */
export function buildTransitionNotice(
  bug: BugRef,
  transition: Transition,
  actorId: string,
  details: TransitionDetails = {},
): SlackMessage {
  const who = `<@${actorId}>`;
  switch (transition.action) {
    case 'claim':
      return plain(`:raising_hand: ${who} claimed *${bug.ref}* and is on it.`);
    case 'release':
      return plain(
        transition.from !== 'escalated' && bug.claimantId && bug.claimantId !== actorId
          ? `:arrows_counterclockwise: ${who} released <@${bug.claimantId}>'s claim on *${bug.ref}*; it is back in the queue.`
          : `:arrows_counterclockwise: ${who} released *${bug.ref}*; it is back in the queue for someone to pick up.`,
      );
    case 'resolve': {
      const lines = [`:white_check_mark: ${who} resolved *${bug.ref}*.`];
      if (details.note) lines.push(`>${escapeMrkdwn(details.note).replaceAll('\n', '\n>')}`);
      if (details.link) lines.push(`Fix: ${formatFixLink(details.link)}`);
      lines.push(`<@${bug.reporterId}>, if it is not fixed for you, press *Reopen* on the card.`);
      return plain(lines.join('\n'));
    }
    case 'reopen':
      return plain(
        `:leftwards_arrow_with_hook: ${who} reopened *${bug.ref}*. It is open again and waiting to be claimed.`,
      );
    case 'escalate':
      return plain(
        `:rotating_light: ${who} escalated *${bug.ref}*${details.reason ? `: ${escapeMrkdwn(details.reason)}` : '.'} bugsweep will not auto-close it.`,
      );
    case 'close':
      return plain(
        transition.closeReason === 'withdrawn'
          ? `:wave: ${who} withdrew *${bug.ref}*; it is closed.`
          : `:lock: ${who} closed *${bug.ref}*${details.reason ? `: ${escapeMrkdwn(details.reason)}` : '.'}`,
      );
  }
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

export type WarningInput = { bug: BugRef; lastActivityAt: Date; closesAt: Date; timeZone: string };

/** Posted before an inactivity close, with a button that counts as the reporter's or a developer's activity. */
export function buildInactivityWarning(input: WarningInput): SlackMessage {
  const { bug } = input;
  const people = [
    `<@${bug.reporterId}>`,
    ...(bug.claimantId && bug.claimantId !== bug.reporterId ? [`<@${bug.claimantId}>`] : []),
  ].join(' ');
  const text =
    `:hourglass_flowing_sand: ${people} *${bug.ref}* has been quiet since ${formatMoment(input.lastActivityAt, input.timeZone)}. ` +
    `It will be closed on *${formatMoment(input.closesAt, input.timeZone)}* unless someone replies here. ` +
    `A reply from the reporter or a developer, or *Keep open*, keeps it open.`;
  return {
    text,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text } },
      {
        type: 'actions',
        block_id: `warning_actions:${bug.id}`,
        elements: [
          {
            type: 'button',
            action_id: ACTIONS.keepOpen,
            text: { type: 'plain_text', text: 'Keep open' },
            value: String(bug.id),
          },
        ],
      },
    ],
  };
}

export type WarningClearedWhy = 'reply' | 'keep_open' | 'claim' | 'status';

/** The warning, edited in place once it no longer applies. */
export function buildWarningCleared(input: {
  bug: BugRef;
  byUserId: string | null;
  at: Date;
  why: WarningClearedWhy;
  timeZone: string;
}): SlackMessage {
  const when = formatMoment(input.at, input.timeZone);
  const by = input.byUserId ? `<@${input.byUserId}>` : 'someone';
  const reasons: Record<WarningClearedWhy, string> = {
    keep_open: `${by} asked to keep it open on ${when}`,
    reply: `${by} replied on ${when}`,
    claim: `${by} claimed it on ${when}`,
    status: `its status changed on ${when}`,
  };
  const reason = reasons[input.why];
  return plain(
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
      ? ` If it still matters, reply here before ${formatMoment(new Date(input.now.getTime() + input.reopenWithinMs), input.timeZone)} and it reopens by itself.`
      : ' If it still matters, press *Reopen* on the card.';
  return plain(
    `:zzz: Closed *${input.bug.ref}* after ${idle} without a word from the reporter or a developer (last on ${formatMoment(input.lastActivityAt, input.timeZone)}).${reopen}`,
  );
}

export function buildAutoReopenedNotice(bug: BugRef, byUserId: string): SlackMessage {
  return plain(
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
  return plain(
    `:wave: <@${input.claimantId}>, a gentle nudge on *${input.bug.ref}*: it has been quiet since ${formatMoment(input.quietSince, input.timeZone)}. ` +
      `If you are still on it, a quick update here keeps your claim. Otherwise it goes back to the queue on ${formatMoment(input.releaseAt, input.timeZone)} ` +
      `so fresh eyes can pick it up. No worries either way.`,
  );
}

export type ReminderClearedWhy = 'activity' | 'released' | 'status';

/** The reminder, edited in place once it no longer applies: thanks when the claimant spoke up, plain facts otherwise. */
export function buildReminderCleared(input: {
  bug: BugRef;
  at: Date;
  why: ReminderClearedWhy;
  timeZone: string;
}): SlackMessage {
  const reasons: Record<ReminderClearedWhy, string> = {
    activity: `Thanks for the update on ${formatMoment(input.at, input.timeZone)}; the claim stays.`,
    released: 'No longer applies: the claim was released.',
    status: `No longer applies: *${input.bug.ref}* is no longer waiting on this claim.`,
  };
  return plain(`:white_check_mark: ~Reminder for *${input.bug.ref}*~ ${reasons[input.why]}`);
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
  return plain(
    `:seedling: ${intro}: it has been quiet for ${formatDuration(input.idleMs)}, and fresh eyes might help. ` +
      `Thank you <@${input.claimantId}> for the time you put in; you are welcome to claim it again any time.`,
  );
}

export function buildFiledFromMessageNotice(bug: BugRef, permalink: string): SlackMessage {
  return plain(`:memo: Filed as *${bug.ref}*: <${permalink}|follow it here>.`);
}
