// The digest of what waits on developers (DIGEST_SCHEDULE, DIGEST_CHANNEL; issue 16): one message per slot with
// the bugs waiting on developers (the longest waiting first, how long, who holds them), the bugs the next sweep will
// warn or close, and the orphaned claims. A Claim button on each unclaimed bug; each list shows at most a few and
// ends with "and N more" pointing at App Home. Nothing to list: no message at all.
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
  /** The next sweep warns these, closing at `closesAt`, or closes them. */
  toWarn: { items: (DigestBug & { closesAt: Date | null })[]; total: number };
  toClose: { items: DigestBug[]; total: number };
  /** Claims quiet for CLAIM_RELEASE_AFTER: the next sweep releases them. */
  orphaned: { items: (DigestBug & { quietMs: number })[]; total: number };
  /** Where the rest are: a mention of the bot, whose App Home lists every open bug. */
  appHome: string;
};

/** Entries shown per list; 4 lists of header, entries and "more" stay well within Slack's 50 blocks. */
export const DIGEST_LIST_MAX = 8;

const titleOf = (bug: DigestBug) => capMrkdwn(escapeMrkdwn(bug.title), 120);
const refOf = (bug: DigestBug) => (bug.permalink ? `*<${bug.permalink}|${bug.ref}>*` : `*${bug.ref}*`);
const holder = (bug: DigestBug) => (bug.claimantId ? mentionClaimant(bug.claimantId) : '_unclaimed_');

export function buildDigest(input: DigestInput): SlackMessage | null {
  const total = input.waiting.total + input.toWarn.total + input.toClose.total + input.orphaned.total;
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
    if (more > 0) blocks.push(context(`…and ${more} more: see App Home of ${input.appHome}.`));
  };
  list(
    'Waiting on developers',
    input.waiting,
    (bug) =>
      `${refOf(bug)} ${titleOf(bug)}\nwaiting ${formatDuration(input.now.getTime() - bug.since.getTime())} · ${holder(bug)}`,
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
    `${input.toWarn.total} to be warned`,
    `${input.toClose.total} to be closed`,
    `${input.orphaned.total} orphaned claims`,
  ].join(', ');
  return message(`Bug digest: ${summary}`, blocks.slice(0, 50));
}
