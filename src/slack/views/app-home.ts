// The App Home tab: your claims, your open reports, and the bugs waiting for someone.
import type { HomeView, KnownBlock } from '@slack/types';
import { STATUS_LABELS } from '../../domain/bug-status.ts';
import { formatDuration } from '../../domain/duration.ts';
import { button, context, escapeMrkdwn, header, section } from '../../messages/blocks.ts';
import { ACTIONS, SLASH_COMMAND } from '../../messages/ids.ts';
import type { BugListItem } from './bug-list.ts';

export function buildAppHome(input: {
  claimed: BugListItem[];
  reported: BugListItem[];
  unclaimed: BugListItem[];
  now: Date;
  autoCloseAfterMs: number;
}): HomeView {
  const line = (bug: BugListItem) =>
    `<${bug.permalink}|*${bug.ref}*> ${escapeMrkdwn(bug.title)} · ${STATUS_LABELS[bug.status]} · quiet ${formatDuration(input.now.getTime() - bug.lastActivityAt.getTime())}`;
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
      ...part('Your claims', input.claimed, 'You hold no bugs right now.'),
      ...part('Your open reports', input.reported, 'Nothing you reported is open.'),
      ...part('Waiting for someone', input.unclaimed, 'Every open bug has someone on it.'),
      context(`\`${SLASH_COMMAND} help\` lists everything you can do.`),
    ],
  };
}
