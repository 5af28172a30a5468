// The digest of what waits on developers (DIGEST_SCHEDULE, DIGEST_CHANNEL; issue 16): one message per slot with
// the bugs waiting on developers (the longest waiting first, how long, who holds them), the bugs past their SLA due
// time (the oldest breach first, how long overdue, who holds them), the bugs the next sweep will warn or close, and
// the orphaned claims. A Claim button on each unclaimed bug; each list shows at most a few and ends with "and N
// more" linking to App Home. Nothing to list: no message at all.
import { formatDuration } from '../domain/duration.ts';
import { button, capMrkdwn, context, escapeMrkdwn, header, message, type SlackMessage, section } from './blocks.ts';
import { slackMoment } from './date-token.ts';
import { ACTIONS } from './ids.ts';
import { mentionClaimant } from './mentions.ts';

export type DigestBug = {
  id: number;
  ref: string;
  title: string;
  /** The bug's thread, to link its ref. */
  permalink: string | null;
  claimantId: string | null;
};

export type DigestInput = {
  now: Date;
  timeZone: string;
  /** Waiting on developers since `since`. */
  waiting: { items: (DigestBug & { since: Date })[]; total: number };
  /** Open or in progress past their SLA due time `dueAt`. */
  breached: { items: (DigestBug & { dueAt: Date })[]; total: number };
  /** The next sweep warns these, closing at `closesAt`, or closes them. */
  toWarn: { items: (DigestBug & { closesAt: Date | null })[]; total: number };
  toClose: { items: DigestBug[]; total: number };
  /** Claims quiet for CLAIM_RELEASE_AFTER: the next sweep releases them. */
  orphaned: { items: (DigestBug & { quietMs: number })[]; total: number };
  /**
   * Where the rest are, as mrkdwn: a link to the bot's App Home (`<slack://app?…&tab=home|App Home>`), or, when
   * the app id is unknown, "App Home of <@bot>".
   */
  appHome: string;
};

/** Entries shown per list: a header, 5 lists of a title, 7 entries and "more" make 46 of Slack's 50 blocks. */
export const DIGEST_LIST_MAX = 7;

const titleOf = (bug: DigestBug) => capMrkdwn(escapeMrkdwn(bug.title), 120);
const refOf = (bug: DigestBug) => (bug.permalink ? `*<${bug.permalink}|${bug.ref}>*` : `*${bug.ref}*`);
const holder = (bug: DigestBug) => (bug.claimantId ? mentionClaimant(bug.claimantId) : '_unclaimed_');

export function buildDigest(input: DigestInput): SlackMessage | null {
  const total =
    input.waiting.total + input.breached.total + input.toWarn.total + input.toClose.total + input.orphaned.total;
  if (total === 0) return null;
  const blocks: SlackMessage['blocks'] = [header('Bugs waiting on developers')];
  const claimable = (bug: DigestBug, text: string) =>
    bug.claimantId
      ? section(text)
      : section(text, button({ actionId: ACTIONS.claim, label: 'Claim', value: String(bug.id) }));
  const list = <T extends DigestBug>(title: string, part: { items: T[]; total: number }, line: (bug: T) => string) => {
    if (part.total === 0) return;
    blocks.push(section(`*${title}* (${part.total})`));
    for (const bug of part.items.slice(0, DIGEST_LIST_MAX)) blocks.push(claimable(bug, line(bug)));
    const more = part.total - Math.min(part.items.length, DIGEST_LIST_MAX);
    if (more > 0) blocks.push(context(`…and ${more} more: see ${input.appHome}.`));
  };
  list(
    'Waiting on developers',
    input.waiting,
    (bug) =>
      `${refOf(bug)} ${titleOf(bug)}\nwaiting ${formatDuration(input.now.getTime() - bug.since.getTime())} · ${holder(bug)}`,
  );
  list(
    'Past their SLA due time',
    input.breached,
    (bug) =>
      `${refOf(bug)} ${titleOf(bug)}\nwas due ${slackMoment(bug.dueAt, input.timeZone)}, ${formatDuration(Math.max(0, input.now.getTime() - bug.dueAt.getTime()))} overdue · ${holder(bug)}`,
  );
  list(
    'The next sweep warns',
    input.toWarn,
    (bug) =>
      `${refOf(bug)} ${titleOf(bug)}\n${bug.closesAt ? `would close ${slackMoment(bug.closesAt, input.timeZone)}` : 'would be warned'} · ${holder(bug)}`,
  );
  list('The next sweep closes', input.toClose, (bug) => `${refOf(bug)} ${titleOf(bug)}\n${holder(bug)}`);
  list(
    'Orphaned claims',
    input.orphaned,
    (bug) => `${refOf(bug)} ${titleOf(bug)}\n${holder(bug)} quiet for ${formatDuration(bug.quietMs)}`,
  );
  const summary = [
    `${input.waiting.total} waiting on developers`,
    `${input.breached.total} past SLA due`,
    `${input.toWarn.total} to be warned`,
    `${input.toClose.total} to be closed`,
    `${input.orphaned.total} orphaned claims`,
  ].join(', ');
  return message(`Bug digest: ${summary}`, blocks.slice(0, 50));
}
