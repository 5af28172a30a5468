// How a claimant appears in a message: a person is mentioned, an agent is named ("agent remediation-bot").
import { agentNameOf } from '../domain/claimant.ts';
import { escapeMrkdwn } from './blocks.ts';

export function mentionClaimant(claimantId: string): string {
  const agent = agentNameOf(claimantId);
  return agent === null ? `<@${claimantId}>` : `agent *${escapeMrkdwn(agent)}*`;
}
