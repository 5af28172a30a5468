// The short ephemeral answer to a person's lifecycle action: what happened, or why not.
import { STATUS_LABELS } from '../../domain/bug-status.ts';
import type { ActionOutcome } from '../../services/bug-lifecycle.ts';

export function buildActionAnswer(outcome: ActionOutcome, permalink: string | null): string {
  if (!outcome.ok) return outcome.refusal.message;
  const ref = permalink ? `<${permalink}|*${outcome.bug.ref}*>` : `*${outcome.bug.ref}*`;
  const what: Record<string, string> = {
    claim: `you claimed ${ref}. It is yours until you resolve or release it.`,
    release: `${ref} is back in the queue.`,
    resolve: `${ref} is resolved.`,
    reopen: `${ref} is open again.`,
    escalate: `${ref} is escalated; the sweep leaves it alone.`,
    close: `${ref} is closed${outcome.transition.closeReason === 'withdrawn' ? ' as withdrawn' : ''}.`,
  };
  return `Done: ${what[outcome.transition.action]} (${STATUS_LABELS[outcome.transition.to]})`;
}
