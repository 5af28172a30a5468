// The ephemeral answer to /bugs list: one line per bug with what a team scans for.
import { type BugStatus, STATUS_LABELS } from '../../domain/bug-status.ts';
import { formatDuration } from '../../domain/duration.ts';
import { escapeMrkdwn, type SlackMessage, textMessage } from '../../messages/blocks.ts';
import { slackMoment } from '../../messages/date-token.ts';
import { linkedRef, mentionClaimant } from '../../messages/mentions.ts';

export type BugListItem = {
  ref: string;
  title: string;
  status: BugStatus;
  claimantId?: string | null;
  lastActivityAt: Date;
  /** null for an imported bug without a Slack thread. */
  permalink: string | null;
  /** The SLA due time, when the bug has one. */
  slaDueAt?: Date | null;
};

/** A bug as lists show it (/bugs list, App Home). */
export function toBugListItem(
  bug: Omit<BugListItem, 'permalink'> & { channelId: string; threadTs: string },
  threadLinkFor: (bug: { channelId: string; threadTs: string }) => string | null,
): BugListItem {
  return {
    ref: bug.ref,
    title: bug.title,
    status: bug.status,
    claimantId: bug.claimantId ?? null,
    lastActivityAt: bug.lastActivityAt,
    permalink: threadLinkFor(bug),
    slaDueAt: bug.slaDueAt ?? null,
  };
}

export function buildBugList(input: {
  filter: string;
  items: BugListItem[];
  total: number;
  now: Date;
  /** SWEEP_TIMEZONE: the fallback wording of the due times' date tokens; UTC when left out. */
  timeZone?: string;
}): SlackMessage {
  if (input.items.length === 0) {
    const text =
      input.filter === 'all' ? 'No bugs yet.' : `No ${input.filter === 'open' ? 'open' : input.filter} bugs. :tada:`;
    return textMessage(text);
  }
  const lines = input.items.map((bug) => {
    const who = bug.claimantId ? mentionClaimant(bug.claimantId) : 'unclaimed';
    const quiet = formatDuration(input.now.getTime() - bug.lastActivityAt.getTime());
    const due = bug.slaDueAt ? ` · due ${slackMoment(bug.slaDueAt, input.timeZone ?? 'UTC')}` : '';
    return `${linkedRef(bug.ref, bug.permalink)} ${escapeMrkdwn(bug.title)}\n      ${STATUS_LABELS[bug.status]} · ${who} · last reply from reporter/developer ${quiet} ago${due}`;
  });
  const more = input.total > input.items.length ? `\n…and ${input.total - input.items.length} more.` : '';
  const header = `*${input.total} ${input.filter === 'all' ? '' : `${input.filter} `}bug${input.total === 1 ? '' : 's'}*`;
  const text = `${header}\n${lines.join('\n')}${more}`;
  return textMessage(text);
}
