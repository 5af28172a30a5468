// What bugsweep says in a thread about duplicates: the "Looks like BUG-12" notice on a report linked to an earlier
// one (with its Not a duplicate button), the notices of a split and a merge, and a near-duplicate suggestion.
import { actions, button, escapeMrkdwn, message, type SlackMessage, section, textMessage } from './blocks.ts';
import { ACTIONS, BLOCKS } from './ids.ts';

/** A bug named in a notice: its permalink, or null for an imported bug without a Slack thread (named, not linked). */
export type LinkedBug = { ref: string; permalink: string | null };

/** `*<thread|BUG-12>*`, or just `*BUG-12*` when the bug has no Slack thread to link to. */
const refLink = (bug: LinkedBug) => (bug.permalink ? `*<${bug.permalink}|${bug.ref}>*` : `*${bug.ref}*`);

/** "2 h", "5 min", "3 d": how long ago a group was last reported, as the notice says it. */
export function agoPhrase(ms: number): string {
  const minutes = Math.floor(Math.max(0, ms) / 60_000);
  if (minutes < 1) return 'moments';
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h`;
  return `${Math.floor(hours / 24)} d`;
}

/**
 * On a new report linked to an earlier bug: "Looks like *BUG-12* (reported 5 times, last 2 h ago)", a link to its
 * thread and a **Not a duplicate** button (the value is the duplicate's own id). `occurrences` counts this report
 * too; `sinceLastMs` is how long before it the group was last reported.
 */
export function buildDuplicateLinkedNotice(input: {
  duplicate: { id: number; ref: string };
  canonical: LinkedBug;
  occurrences: number;
  sinceLastMs: number;
}): SlackMessage {
  const facts = `(reported ${input.occurrences} times, last ${agoPhrase(input.sinceLastMs)} ago)`;
  const text = `Looks like *${input.canonical.ref}* ${facts}`;
  return message(text, [
    section(
      `:link: Looks like ${refLink(input.canonical)} ${facts}.\n` +
        `I closed *${input.duplicate.ref}* as its duplicate so the work happens in one place; your replies here still count on ${input.canonical.ref}. ` +
        `If this is a different problem, press *Not a duplicate*.`,
    ),
    actions(BLOCKS.duplicateActions(input.duplicate.id), [
      button({ actionId: ACTIONS.notDuplicate, label: 'Not a duplicate', value: String(input.duplicate.id) }),
    ]),
  ]);
}

/** In the thread of a bug split back out of a group. */
export function buildDuplicateSplitNotice(input: {
  bug: { ref: string };
  canonical: LinkedBug;
  actorId: string;
}): SlackMessage {
  return textMessage(
    `:scissors: <@${input.actorId}> says *${input.bug.ref}* is not a duplicate of ${refLink(input.canonical)}. ` +
      `It is open again as a bug of its own, and the two will not be linked again.`,
  );
}

/**
 * The "Looks like" notice once its bug was split back out: edited in place to say so and by whom, without the
 * Not a duplicate button (the question is answered).
 */
export function buildDuplicateNoticeSplitOut(input: {
  bug: { ref: string };
  canonical: LinkedBug;
  actorId: string;
}): SlackMessage {
  return textMessage(
    `:scissors: Split out: <@${input.actorId}> said *${input.bug.ref}* is not a duplicate of ${refLink(input.canonical)}, ` +
      `so it is a bug of its own again.`,
  );
}

/** In the thread of a bug merged into another by hand. */
export function buildMergedNotice(input: {
  bug: { ref: string };
  canonical: LinkedBug;
  actorId: string;
}): SlackMessage {
  return textMessage(
    `:link: <@${input.actorId}> marked *${input.bug.ref}* as a duplicate of ${refLink(input.canonical)} and closed it; ` +
      `replies here from its reporter still count there. \`/bugs split ${input.bug.ref}\` undoes this.`,
  );
}

/** A suggestion, never a merge: a recent bug in the same channel with a similar title. */
export function buildNearDuplicateNotice(input: {
  bug: { ref: string };
  similar: LinkedBug & { title: string };
}): SlackMessage {
  return textMessage(
    `:mag: This might be the same as ${refLink(input.similar)} (“${escapeMrkdwn(input.similar.title)}”). ` +
      `If it is, a developer can \`/bugs merge ${input.bug.ref} into ${input.similar.ref}\`; otherwise carry on here.`,
  );
}
