// The ephemeral answers to `/bugs merge` and `/bugs split`: what happened, or why not.
import type { DuplicateChangeOutcome } from '../../services/duplicates.ts';

export function buildDuplicateAnswer(
  outcome: DuplicateChangeOutcome,
  kind: 'merge' | 'split',
  permalinkFor: (channelId: string, ts: string) => string,
): string {
  if (!outcome.ok) return outcome.message;
  const link = (bug: { ref: string; channelId: string; threadTs: string }) =>
    `<${permalinkFor(bug.channelId, bug.threadTs)}|*${bug.ref}*>`;
  return kind === 'merge'
    ? `Done: ${link(outcome.bug)} is closed as a duplicate of ${link(outcome.canonical)}.`
    : `Done: ${link(outcome.bug)} is open again on its own; it will not be linked to ${link(outcome.canonical)} again.`;
}
