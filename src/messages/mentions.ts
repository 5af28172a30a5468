// How a claimant, a reporter or any actor appears in a message: a person is mentioned, an agent is named
// ("agent remediation-bot"), since agents file, claim and resolve bugs too.
import { agentNameOf } from '../domain/claimant.ts';
import { legacyNameOf } from '../domain/legacy-report.ts';
import { escapeMrkdwn } from './blocks.ts';

/** A bug's reference, linked to its thread when it has one (an imported bug may not). */
export function linkedRef(ref: string, permalink: string | null): string {
  return permalink ? `<${permalink}|*${ref}*>` : `*${ref}*`;
}

export function mentionClaimant(claimantId: string): string {
  // An imported report's reporter who was no Slack user: named as the old system knew them.
  const legacy = legacyNameOf(claimantId);
  if (legacy !== null) return legacy === 'unknown' ? '_someone (old system)_' : `${escapeMrkdwn(legacy)} (old system)`;
  const agent = agentNameOf(claimantId);
  return agent === null ? `<@${claimantId}>` : `agent *${escapeMrkdwn(agent)}*`;
}
