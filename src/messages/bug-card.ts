// The bug card bugsweep keeps in each bug thread: a pure function of the bug's state, rendered when it is sent.
import type { Button } from '@slack/types';
import { type BugStatus, type Severity, STATUS_LABELS } from '../domain/bug-status.ts';
import { TURN_LABELS, type Turn } from '../domain/turn.ts';
import { actions, button, context, escapeMrkdwn, fields, message, type SlackMessage, section } from './blocks.ts';
import { ACTIONS, BLOCKS } from './ids.ts';
import { mentionClaimant } from './mentions.ts';

export type BugCardInput = {
  id: number;
  ref: string;
  title: string;
  status: BugStatus;
  severity: Severity;
  reporterId: string;
  claimantId?: string | null;
  /** Shown under AUTO_CLOSE_POLICY=waiting-on-reporter: whose turn it is. */
  whoseTurn?: Turn | null;
};

const STATUS_EMOJI: Record<BugStatus, string> = {
  open: ':large_yellow_circle:',
  in_progress: ':large_blue_circle:',
  resolved: ':white_check_mark:',
  closed: ':black_circle:',
  escalated: ':red_circle:',
};

export function buildBugCard(bug: BugCardInput): SlackMessage {
  const status = `${STATUS_EMOJI[bug.status]} ${STATUS_LABELS[bug.status]}`;
  const claimant = bug.claimantId ? mentionClaimant(bug.claimantId) : '_nobody yet_';
  const buttons = cardButtons(bug);
  return message(`${bug.ref}: ${escapeMrkdwn(bug.title)} (${STATUS_LABELS[bug.status]})`, [
    section(`*${bug.ref}* · ${escapeMrkdwn(bug.title)}`),
    fields(
      `*Status*\n${status}`,
      `*Severity*\n${bug.severity}`,
      `*Reporter*\n<@${bug.reporterId}>`,
      `*Claimed by*\n${claimant}`,
    ),
    ...(bug.whoseTurn ? [context(`:speech_balloon: ${TURN_LABELS[bug.whoseTurn]}`)] : []),
    ...(buttons.length > 0 ? [actions(BLOCKS.cardActions(bug.id), buttons)] : []),
  ]);
}

/** What can be done next from each status; the bug id rides along as the button value. */
function cardButtons(bug: BugCardInput): Button[] {
  const value = String(bug.id);
  const claim = (style?: 'primary') => button({ actionId: ACTIONS.claim, label: 'Claim', value, style });
  const release = () => button({ actionId: ACTIONS.release, label: 'Release', value });
  const resolve = (style?: 'primary') => button({ actionId: ACTIONS.resolve, label: 'Resolve', value, style });
  switch (bug.status) {
    case 'open':
      return [claim('primary'), resolve()];
    case 'in_progress':
      return [release(), resolve('primary')];
    case 'escalated':
      return [bug.claimantId ? release() : claim(), resolve('primary')];
    case 'resolved':
    case 'closed':
      return [button({ actionId: ACTIONS.reopen, label: 'Reopen', value })];
  }
}
