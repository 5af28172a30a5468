// What agents' work looks like in a bug thread: their notes, giving up, and a bug left to people.
import { capMrkdwn, escapeMrkdwn, LIMITS, type SlackMessage, textMessage } from './blocks.ts';
import { mentionClaimant } from './mentions.ts';

type NoticeBug = { ref: string };

/** An agent's note posted to the thread: short, its words capped. */
export function buildAgentNote(bug: NoticeBug, agentId: string, text: string): SlackMessage {
  const head = `:robot_face: ${mentionClaimant(agentId)} on *${bug.ref}*: `;
  return textMessage(head + capMrkdwn(escapeMrkdwn(text), Math.min(600, LIMITS.section - head.length)));
}

export function buildAgentGaveUpNotice(
  bug: NoticeBug,
  agentId: string,
  error: string,
  leftToPeople: { attempts: number } | null,
): SlackMessage {
  const head = `:arrows_counterclockwise: ${mentionClaimant(agentId)} gave up on *${bug.ref}*: `;
  const tail = leftToPeople
    ? `\nAgents have tried ${leftToPeople.attempts} times, so it is left to people now; a developer can claim it.`
    : '\nIt is back in the queue.';
  return textMessage(head + capMrkdwn(escapeMrkdwn(error), 500) + tail);
}

export function buildAutomationNotice(bug: NoticeBug, actorId: string, optOut: boolean): SlackMessage {
  return textMessage(
    optOut
      ? `:no_entry_sign: ${mentionClaimant(actorId)} kept *${bug.ref}* away from agents; people will work it.`
      : `:robot_face: ${mentionClaimant(actorId)} let agents pick up *${bug.ref}* again.`,
  );
}
