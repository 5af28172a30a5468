// Who holds a claim: a person (their Slack user id) or an agent (`agent:<token name>`), kept in one column so the
// orphaned-claim rules, the lists and the indexes treat both alike.
const AGENT_PREFIX = 'agent:';

export function agentClaimantId(agentName: string): string {
  return `${AGENT_PREFIX}${agentName}`;
}

/** The agent's name when the claimant is an agent, otherwise null. */
export function agentNameOf(claimantId: string): string | null {
  return claimantId.startsWith(AGENT_PREFIX) ? claimantId.slice(AGENT_PREFIX.length) : null;
}
