// The App Home tab: your claims, your open reports, and the bugs waiting for someone.
import { STATUS_LABELS } from '../../domain/bug-status.ts';
import { formatDuration } from '../../domain/duration.ts';
import { escapeMrkdwn } from '../../messages/bug-card.ts';
import { ACTIONS, SLASH_COMMAND } from '../../messages/ids.ts';
import type { BugListItem } from './bug-list.ts';

export function buildAppHome(input: {
  claimed: BugListItem[];
  reported: BugListItem[];
  unclaimed: BugListItem[];
  now: Date;
  autoCloseAfterMs: number;
}): Record<string, unknown> {
  const line = (bug: BugListItem) =>
    `<${bug.permalink}|*${bug.ref}*> ${escapeMrkdwn(bug.title)} · ${STATUS_LABELS[bug.status]} · quiet ${formatDuration(input.now.getTime() - bug.lastActivityAt.getTime())}`;
  const part = (title: string, bugs: BugListItem[], empty: string) => [
    { type: 'header', text: { type: 'plain_text', text: title } },
    {
      type: 'section',
      text: { type: 'mrkdwn', text: (bugs.length > 0 ? bugs.map(line).join('\n') : `_${empty}_`).slice(0, 3000) },
    },
  ];
  return {
    type: 'home',
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: `*bugsweep* keeps bug threads moving. A bug with no word from its reporter or a developer for ${formatDuration(input.autoCloseAfterMs)} is warned, then closed.`,
        },
        accessory: {
          type: 'button',
          action_id: ACTIONS.homeReport,
          text: { type: 'plain_text', text: 'Report a bug' },
          style: 'primary',
        },
      },
      ...part('Your claims', input.claimed, 'You hold no bugs right now.'),
      ...part('Your open reports', input.reported, 'Nothing you reported is open.'),
      ...part('Waiting for someone', input.unclaimed, 'Every open bug has someone on it.'),
      {
        type: 'context',
        elements: [{ type: 'mrkdwn', text: `\`${SLASH_COMMAND} help\` lists everything you can do.` }],
      },
    ],
  };
}
