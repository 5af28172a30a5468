// The private answer to a late reply (issue 16) and to "Open a follow-up" being pressed.
import { actions, button, message, type SlackMessage, section } from '../../messages/blocks.ts';
import { ACTIONS, BLOCKS } from '../../messages/ids.ts';
import type { FollowUpOffer, FollowUpOutcome } from '../../services/follow-ups.ts';

/** The button's value: the old bug and the reply to prefill the follow-up with. */
export const followUpValue = (offer: { bugId: number; replyTs: string }) => `${offer.bugId}:${offer.replyTs}`;

export function buildFollowUpOffer(offer: FollowUpOffer): SlackMessage {
  const text =
    `*${offer.ref}* was closed a while ago, so replies here no longer reopen it and may go unseen. ` +
    'If this is still a problem, open a follow-up: a new bug in this channel, with your reply, linked to this one.';
  return message(text, [
    section(text),
    actions(BLOCKS.followUpActions(offer.bugId), [
      button({
        actionId: ACTIONS.openFollowUp,
        label: 'Open a follow-up',
        value: followUpValue(offer),
        style: 'primary',
      }),
    ]),
  ]);
}

export function buildFollowUpAnswer(outcome: FollowUpOutcome, permalink: string | null): string {
  switch (outcome.kind) {
    case 'filed':
      return `:memo: Filed *${outcome.followUp.ref}* as a follow-up of *${outcome.of.ref}*${permalink ? `: <${permalink}|follow it here>` : ''}.`;
    case 'exists':
      return `*${outcome.of.ref}* already has a follow-up: *${outcome.followUp.ref}*${permalink ? ` (<${permalink}|here>)` : ''}.`;
    case 'not_found':
      return 'That bug no longer exists.';
  }
}
