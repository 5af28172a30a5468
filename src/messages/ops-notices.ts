// What bugsweep says about SLA breaches and the backlog: in the bug's thread, and in ALERT_CHANNEL. Pure builders;
// times are Slack date tokens (each reader's own zone) with the SWEEP_TIMEZONE wording as the fallback.
import type { BacklogCondition } from '../domain/backlog-alert.ts';
import { describeBacklogCondition } from '../domain/backlog-alert.ts';
import type { Severity } from '../domain/bug-status.ts';
import { formatDuration } from '../domain/duration.ts';
import { escapeMrkdwn, type SlackMessage, textMessage } from './blocks.ts';
import { slackMoment } from './date-token.ts';
import { linkedRef, mentionClaimant } from './mentions.ts';

export type SlaBreachInput = {
  bug: { ref: string; title: string; severity: Severity; claimantId?: string | null };
  dueAt: Date;
  now: Date;
  /** Who is told when nobody holds the bug: the developers' user group, when DEVELOPER_USERGROUP is set. */
  developerUsergroup: string | undefined;
  timeZone: string;
};

function whoToTell(input: SlaBreachInput): string {
  if (input.bug.claimantId) return `${mentionClaimant(input.bug.claimantId)} `;
  return input.developerUsergroup ? `<!subteam^${input.developerUsergroup}> ` : '';
}

/** In the bug's thread, once per due time. */
export function buildSlaBreachNotice(input: SlaBreachInput): SlackMessage {
  const overdue = formatDuration(input.now.getTime() - input.dueAt.getTime());
  const holder = input.bug.claimantId ? '' : ' Nobody has claimed it yet.';
  return textMessage(
    `:alarm_clock: ${whoToTell(input)}*${input.bug.ref}* (${input.bug.severity}) was due to be resolved by ` +
      `${slackMoment(input.dueAt, input.timeZone)} and is ${overdue} past it.${holder}`,
  );
}

/** One line in ALERT_CHANNEL. */
export function buildSlaBreachAlert(input: SlaBreachInput & { permalink: string | null }): SlackMessage {
  const holder = input.bug.claimantId ? `held by ${mentionClaimant(input.bug.claimantId)}` : 'unclaimed';
  return textMessage(
    `:alarm_clock: SLA breached: ${linkedRef(input.bug.ref, input.permalink)} ${escapeMrkdwn(input.bug.title)} ` +
      `(${input.bug.severity}, ${holder}) was due ${slackMoment(input.dueAt, input.timeZone)}.`,
  );
}

/** permalink: null for an imported bug without a Slack thread. */
export type BacklogBug = { ref: string; title: string; createdAt: Date; permalink: string | null };

/** The backlog has been over the line for the whole period. */
export function buildBacklogAlertRaised(input: {
  condition: BacklogCondition;
  count: number;
  overSince: Date;
  oldest: BacklogBug[];
  timeZone: string;
}): SlackMessage {
  const oldest = input.oldest.map(
    (bug) =>
      `• ${linkedRef(bug.ref, bug.permalink)} ${escapeMrkdwn(bug.title)} (filed ${slackMoment(bug.createdAt, input.timeZone)})`,
  );
  return textMessage(
    [
      `:rotating_light: *Backlog alert*: ${input.count} ${input.condition.metric} bugs, over the line ` +
        `(${describeBacklogCondition(input.condition)}) since ${slackMoment(input.overSince, input.timeZone)}.`,
      ...(oldest.length > 0 ? ['The oldest:', ...oldest] : []),
    ].join('\n'),
  );
}

/** The condition no longer holds after an alert. */
export function buildBacklogBackToNormal(input: {
  condition: BacklogCondition;
  count: number;
  raisedAt: Date;
  timeZone: string;
}): SlackMessage {
  return textMessage(
    `:white_check_mark: *Back to normal*: ${input.count} ${input.condition.metric} bugs, no longer ` +
      `${describeBacklogCondition(input.condition)} (alert raised ${slackMoment(input.raisedAt, input.timeZone)}).`,
  );
}
