// The App Home tab: your claims, your open reports, and the bugs waiting for someone; for admins, above them, how
// the backlog stands, what the next sweep will do, the sweep's state with its buttons, and SLA-breached bugs.
import type { HomeView, KnownBlock } from '@slack/types';
import { BUG_STATUSES, type BugStatus, STATUS_LABELS } from '../../domain/bug-status.ts';
import { formatDuration } from '../../domain/duration.ts';
import { actions, button, context, divider, escapeMrkdwn, header, section } from '../../messages/blocks.ts';
import { slackMoment } from '../../messages/date-token.ts';
import { ACTIONS, BLOCKS, SLASH_COMMAND } from '../../messages/ids.ts';
import { linkedRef, mentionClaimant } from '../../messages/mentions.ts';
import type { SweepStatus } from '../../services/sweep/sweep-control.ts';
import type { BugListItem } from './bug-list.ts';
import { buildSweepStatus } from './sweep-views.ts';

const ADMIN_LINES = 10;

export type AdminHomeInput = {
  counts: Record<BugStatus, number>;
  orphanedClaims: number;
  /** What the next sweep will do, with when each closes. */
  warn: (BugListItem & { closesAt: Date | null })[];
  close: BugListItem[];
  /** The preview stopped at its limit: more candidates than were looked at. */
  truncated: boolean;
  sweep: SweepStatus;
  breached: { items: (BugListItem & { dueAt: Date })[]; total: number };
  timeZone: string;
};

function adminBlocks(input: AdminHomeInput, now: Date): KnownBlock[] {
  const tz = input.timeZone;
  const link = (bug: BugListItem) => `${linkedRef(bug.ref, bug.permalink)} ${escapeMrkdwn(bug.title)}`;
  const lines = <T>(items: T[], line: (item: T) => string, total = items.length) => {
    const shown = items.slice(0, ADMIN_LINES).map((item) => `• ${line(item)}`);
    if (total > shown.length) shown.push(`• …and ${total - shown.length} more`);
    return shown.join('\n');
  };
  const counts = BUG_STATUSES.map((status) => `${STATUS_LABELS[status]} *${input.counts[status] ?? 0}*`).join(' · ');
  const orphaned =
    input.orphanedClaims > 0
      ? section(
          `:warning: *${input.orphanedClaims} orphaned claim${input.orphanedClaims === 1 ? '' : 's'}*: claimed, then quiet past the release time.`,
          button({ actionId: ACTIONS.homeReleaseClaims, label: 'Release orphaned claims' }),
        )
      : section(':white_check_mark: No orphaned claims.');
  const more = input.truncated ? '+' : '';
  const next = [
    input.warn.length > 0
      ? `*The next sweep will warn* (${input.warn.length}${more})\n${lines(input.warn, (bug) => `${link(bug)}${bug.closesAt ? `, closing ${slackMoment(bug.closesAt, tz)}` : ''}`)}`
      : '*The next sweep will warn* nothing.',
    input.close.length > 0
      ? `*The next sweep will close* (${input.close.length}${more})\n${lines(input.close, (bug) => `${link(bug)}, quiet ${formatDuration(now.getTime() - bug.lastActivityAt.getTime())}`)}`
      : '*The next sweep will close* nothing.',
    ...(input.truncated ? ['_Only the oldest candidates are shown._'] : []),
  ];
  const status = buildSweepStatus({ ...input.sweep, timeZone: tz });
  const breached =
    input.breached.total > 0
      ? `*SLA breached* (${input.breached.total})\n${lines(
          input.breached.items,
          (bug) =>
            `${link(bug)} · ${bug.claimantId ? mentionClaimant(bug.claimantId) : 'unclaimed'} · was due ${slackMoment(bug.dueAt, tz)}`,
          input.breached.total,
        )}`
      : '*SLA breached*: none.';
  return [
    header('Admin'),
    section(counts),
    orphaned,
    ...next.map((text) => section(text)),
    section(status.text),
    actions(BLOCKS.homeSweepActions, [
      input.sweep.state.paused
        ? button({ actionId: ACTIONS.homeResumeSweep, label: 'Resume', style: 'primary' })
        : button({ actionId: ACTIONS.homePauseSweep, label: 'Pause' }),
      button({ actionId: ACTIONS.homeRunSweep, label: 'Run now' }),
    ]),
    section(breached),
    divider(),
  ];
}

export function buildAppHome(input: {
  claimed: BugListItem[];
  reported: BugListItem[];
  unclaimed: BugListItem[];
  now: Date;
  autoCloseAfterMs: number;
  /** Admins only. */
  admin?: AdminHomeInput | null;
}): HomeView {
  const line = (bug: BugListItem) =>
    `${linkedRef(bug.ref, bug.permalink)} ${escapeMrkdwn(bug.title)} · ${STATUS_LABELS[bug.status]} · quiet ${formatDuration(input.now.getTime() - bug.lastActivityAt.getTime())}`;
  const part = (title: string, bugs: BugListItem[], empty: string): KnownBlock[] => [
    header(title),
    section(bugs.length > 0 ? bugs.map(line).join('\n') : `_${empty}_`),
  ];
  return {
    type: 'home',
    blocks: [
      section(
        `*bugsweep* keeps bug threads moving. A bug with no word from its reporter or a developer for ${formatDuration(input.autoCloseAfterMs)} is warned, then closed.`,
        button({ actionId: ACTIONS.homeReport, label: 'Report a bug', style: 'primary' }),
      ),
      ...(input.admin ? adminBlocks(input.admin, input.now) : []),
      ...part('Your claims', input.claimed, 'You hold no bugs right now.'),
      ...part('Your open reports', input.reported, 'Nothing you reported is open.'),
      ...part('Waiting for someone', input.unclaimed, 'Every open bug has someone on it.'),
      context(`\`${SLASH_COMMAND} help\` lists everything you can do.`),
    ],
  };
}
