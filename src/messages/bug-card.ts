// The bug card bugsweep keeps in each bug thread: a pure function of the bug's state.
import { type BugStatus, type Severity, STATUS_LABELS } from '../domain/bug-status.ts';
import { ACTIONS } from './ids.ts';

export type BugCardInput = {
  id: number;
  ref: string;
  title: string;
  status: BugStatus;
  severity: Severity;
  reporterId: string;
  claimantId?: string | null;
};

export type SlackMessage = { text: string; blocks: Record<string, unknown>[] };

const STATUS_EMOJI: Record<BugStatus, string> = {
  open: ':large_yellow_circle:',
  in_progress: ':large_blue_circle:',
  resolved: ':white_check_mark:',
  closed: ':black_circle:',
  escalated: ':red_circle:',
};

export function buildBugCard(bug: BugCardInput): SlackMessage {
  const status = `${STATUS_EMOJI[bug.status]} ${STATUS_LABELS[bug.status]}`;
  const claimant = bug.claimantId ? `<@${bug.claimantId}>` : '_nobody yet_';
  const buttons = cardButtons(bug);
  return {
    text: `${bug.ref}: ${escapeMrkdwn(bug.title)} (${STATUS_LABELS[bug.status]})`,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `*${bug.ref}* · ${escapeMrkdwn(bug.title)}` } },
      {
        type: 'section',
        fields: [
          { type: 'mrkdwn', text: `*Status*\n${status}` },
          { type: 'mrkdwn', text: `*Severity*\n${bug.severity}` },
          { type: 'mrkdwn', text: `*Reporter*\n<@${bug.reporterId}>` },
          { type: 'mrkdwn', text: `*Claimed by*\n${claimant}` },
        ],
      },
      ...(buttons.length > 0 ? [{ type: 'actions', block_id: `bug_card_actions:${bug.id}`, elements: buttons }] : []),
    ],
  };
}

function cardButtons(bug: BugCardInput): Record<string, unknown>[] {
  const value = String(bug.id);
  const button = (actionId: string, label: string, style?: 'primary' | 'danger') => ({
    type: 'button',
    action_id: actionId,
    text: { type: 'plain_text', text: label },
    value,
    ...(style ? { style } : {}),
  });
  switch (bug.status) {
    case 'open':
      return [button(ACTIONS.claim, 'Claim', 'primary'), button(ACTIONS.resolve, 'Resolve')];
    case 'in_progress':
      return [button(ACTIONS.release, 'Release'), button(ACTIONS.resolve, 'Resolve', 'primary')];
    case 'escalated':
      return [
        bug.claimantId ? button(ACTIONS.release, 'Release') : button(ACTIONS.claim, 'Claim'),
        button(ACTIONS.resolve, 'Resolve', 'primary'),
      ];
    case 'resolved':
    case 'closed':
      return [button(ACTIONS.reopen, 'Reopen')];
  }
}

/** Slack mrkdwn treats &, < and > specially; user text must not turn into mentions or links by accident. */
export function escapeMrkdwn(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}
