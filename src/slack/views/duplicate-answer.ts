// The ephemeral answers to `/bugs merge` and `/bugs split`: what happened, or why not.
import { linkedRef } from '../../messages/mentions.ts';
import type { DuplicateChangeOutcome } from '../../services/duplicates.ts';

export function buildDuplicateAnswer(
  outcome: DuplicateChangeOutcome,
  kind: 'merge' | 'split',
  threadLinkFor: (bug: { channelId: string; threadTs: string }) => string | null,
): string {
  if (!outcome.ok) return outcome.message;
  const link = (bug: { ref: string; channelId: string; threadTs: string }) => linkedRef(bug.ref, threadLinkFor(bug));
  return kind === 'merge'
    ? `Done: ${link(outcome.bug)} is closed as a duplicate of ${link(outcome.canonical)}.`
    : `Done: ${link(outcome.bug)} is open again on its own; it will not be linked to ${link(outcome.canonical)} again.`;
}
