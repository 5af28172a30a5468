// How a claimant, a reporter or any actor appears in a message: a person is mentioned, an agent is named
// ("agent remediation-bot"), since agents file, claim and resolve bugs too.
import { agentNameOf } from '../domain/claimant.ts';
import { escapeMrkdwn } from './blocks.ts';

export function mentionClaimant(claimantId: string): string {
  const agent = agentNameOf(claimantId);
  return agent === null ? `<@${claimantId}>` : `agent *${escapeMrkdwn(agent)}*`;
}
