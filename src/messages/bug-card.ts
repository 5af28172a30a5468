// The bug card bugsweep keeps in each bug thread: a pure function of the bug's state, rendered when it is sent.
import type { Button } from '@slack/types';
import { type BugStatus, hasRunningSla, type Severity, STATUS_LABELS } from '../domain/bug-status.ts';
import { TURN_LABELS, type Turn } from '../domain/turn.ts';
import { actions, button, context, escapeMrkdwn, fields, message, type SlackMessage, section } from './blocks.ts';
import { slackMoment } from './date-token.ts';
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
  /** Shown on a bug exempt by ENGAGEMENT_EXEMPT: how many people it affects, and how many reacted. */
  affects?: { people: number; reactions: number } | null;
  /** Opted out of the agents' work queue (developers and admins toggle it on the card). */
  automationOptOut?: boolean;
  /** Follow-ups (late replies): the bug this one follows, and the follow-up filed for this one. */
  followsRef?: string | null;
  followedUpByRef?: string | null;
  /** The SLA due time (shown while the bug is open or in progress). */
  slaDueAt?: Date | null;
  /** SWEEP_TIMEZONE, the zone of the date tokens' fallback wording; UTC when left out. */
  timeZone?: string;
};

/** What the card says about duplicates: for a duplicate, its canonical bug; for a canonical bug, its group. */
export type CardDuplicates =
  | { kind: 'duplicate_of'; ref: string }
  /** `occurrences` counts the canonical bug too; `reporterIds` are everyone who reported it, each once. */
  | { kind: 'group'; occurrences: number; reporterIds: readonly string[] }
  | null;

/** Mentions the card lists; the count says the rest. */
const MAX_AFFECTED_SHOWN = 10;

const STATUS_EMOJI: Record<BugStatus, string> = {
  open: ':large_yellow_circle:',
  in_progress: ':large_blue_circle:',
  resolved: ':white_check_mark:',
  closed: ':black_circle:',
  escalated: ':red_circle:',
  awaiting_verification: ':large_purple_circle:',
};

export function buildBugCard(bug: BugCardInput, duplicates: CardDuplicates = null): SlackMessage {
  const status = `${STATUS_EMOJI[bug.status]} ${STATUS_LABELS[bug.status]}`;
  const claimant = bug.claimantId ? mentionClaimant(bug.claimantId) : '_nobody yet_';
  const buttons = cardButtons(bug, duplicates);
  const group = duplicates?.kind === 'group' && duplicates.occurrences > 1 ? duplicates : null;
  return message(`${bug.ref}: ${escapeMrkdwn(bug.title)} (${STATUS_LABELS[bug.status]})`, [
    section(`*${bug.ref}* · ${escapeMrkdwn(bug.title)}`),
    fields(
      `*Status*\n${status}${duplicates?.kind === 'duplicate_of' ? ` as a duplicate of *${duplicates.ref}*` : ''}`,
      `*Severity*\n${bug.severity}`,
      `*Reporter*\n${mentionClaimant(bug.reporterId)}`,
      `*Claimed by*\n${claimant}`,
      ...(group ? [`*Reported*\n${group.occurrences} times`, `*Reporters affected*\n${group.reporterIds.length}`] : []),
      // A date token: each reader sees the due time in their own zone (the fallback in SWEEP_TIMEZONE).
      ...(bug.slaDueAt && hasRunningSla(bug.status)
        ? [`*Due*\n${slackMoment(bug.slaDueAt, bug.timeZone ?? 'UTC')}`]
        : []),
    ),
    ...(bug.whoseTurn ? [context(`:speech_balloon: ${TURN_LABELS[bug.whoseTurn]}`)] : []),
    ...(bug.affects ? [context(affectsLine(bug.affects))] : []),
    ...(bug.followsRef ? [context(`:link: Follow-up of *${bug.followsRef}*`)] : []),
    ...(bug.followedUpByRef ? [context(`:link: Followed up in *${bug.followedUpByRef}*`)] : []),
    ...(group ? [context(affectedLine(group.reporterIds))] : []),
    ...(bug.automationOptOut ? [context(':no_entry_sign: Agents leave this bug to people.')] : []),
    ...(buttons.length > 0 ? [actions(BLOCKS.cardActions(bug.id), buttons)] : []),
  ]);
}

function affectedLine(reporterIds: readonly string[]): string {
  const shown = reporterIds.slice(0, MAX_AFFECTED_SHOWN).map(mentionClaimant);
  const more = reporterIds.length - shown.length;
  return `Affected: ${shown.join(', ')}${more > 0 ? ` and ${more} more` : ''}`;
}

function affectsLine(affects: { people: number; reactions: number }): string {
  const people = `Affects ${affects.people} ${affects.people === 1 ? 'person' : 'people'}`;
  const reactions = affects.reactions > 0 ? ` · ${affects.reactions} reacted` : '';
  return `:busts_in_silhouette: ${people}${reactions}; not auto-closed`;
}

/** Developers and admins keep a bug away from the agents' work queue, or hand it back. */
function automationButton(bug: BugCardInput): Button {
  const value = String(bug.id);
  return bug.automationOptOut
    ? button({ actionId: ACTIONS.automationOn, label: 'Allow agents', value })
    : button({ actionId: ACTIONS.automationOff, label: 'No agents', value });
}

/** What can be done next from each status; the bug id rides along as the button value. */
function cardButtons(bug: BugCardInput, duplicates: CardDuplicates): Button[] {
  const value = String(bug.id);
  // A duplicate comes back by being split out, never by a plain reopen that would leave it linked.
  if (duplicates?.kind === 'duplicate_of')
    return [button({ actionId: ACTIONS.notDuplicate, label: 'Not a duplicate', value })];
  const claim = (style?: 'primary') => button({ actionId: ACTIONS.claim, label: 'Claim', value, style });
  const release = () => button({ actionId: ACTIONS.release, label: 'Release', value });
  const resolve = (style?: 'primary') => button({ actionId: ACTIONS.resolve, label: 'Resolve', value, style });
  switch (bug.status) {
    case 'open':
      return [claim('primary'), resolve(), automationButton(bug)];
    case 'in_progress':
      return [release(), resolve('primary'), automationButton(bug)];
    case 'escalated':
      return [bug.claimantId ? release() : claim(), resolve('primary'), automationButton(bug)];
    case 'resolved':
    case 'closed':
      return [button({ actionId: ACTIONS.reopen, label: 'Reopen', value })];
    case 'awaiting_verification':
      return [
        button({ actionId: ACTIONS.verify, label: 'Verify', value, style: 'primary' }),
        button({ actionId: ACTIONS.stillBroken, label: 'Still broken', value }),
      ];
  }
}
