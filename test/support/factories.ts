// Test data written straight through the entities, for tests whose subject is not intake itself.
import type { EntityManager } from '@mikro-orm/postgresql';
import { BugConversation, BugReport } from '../../src/db/entities/index.ts';
import { bugRefFor, reserveBugNumber } from '../../src/db/repositories/bug-report.repository.ts';
import type { BugStatus } from '../../src/domain/bug-status.ts';
import type { SenderType } from '../../src/domain/sender-type.ts';
import { slackTs } from './test-clock.ts';

export type BugOverrides = Partial<{
  title: string;
  status: BugStatus;
  reporterId: string;
  claimantId: string | null;
  claimedAt: Date | null;
  channelId: string;
  threadTs: string;
  createdAt: Date;
  lastActivityAt: Date;
  claimantLastActivityAt: Date | null;
}>;

export async function createBug(em: EntityManager, overrides: BugOverrides = {}): Promise<BugReport> {
  const id = await reserveBugNumber(em);
  const createdAt = overrides.createdAt ?? new Date('2026-11-01T10:00:00Z');
  const bug = em.create(BugReport, {
    id,
    ref: bugRefFor(id),
    title: overrides.title ?? `Bug ${id}`,
    description: '',
    severity: 'medium',
    status: overrides.status ?? 'open',
    reporterId: overrides.reporterId ?? 'UREPORTER',
    claimantId: overrides.claimantId ?? null,
    claimedAt: overrides.claimedAt ?? null,
    channelId: overrides.channelId ?? 'CBUGS',
    threadTs: overrides.threadTs ?? slackTs(),
    createdAt,
    updatedAt: createdAt,
    lastActivityAt: overrides.lastActivityAt ?? createdAt,
    claimantLastActivityAt: overrides.claimantLastActivityAt ?? overrides.claimedAt ?? null,
  });
  await em.flush();
  return bug;
}

export async function addConversation(
  em: EntityManager,
  bug: BugReport,
  message: { senderType: SenderType; senderId?: string; at: Date; deleted?: boolean; text?: string },
): Promise<BugConversation> {
  const row = em.create(BugConversation, {
    bugId: bug.id,
    senderType: message.senderType,
    senderId:
      message.senderId ?? (message.senderType === 'reporter' ? bug.reporterId : `U${message.senderType.toUpperCase()}`),
    channelId: bug.channelId,
    slackTs: slackTs(),
    text: message.text ?? 'a reply',
    messageAt: message.at,
    deletedAt: message.deleted ? message.at : null,
    metadata: {},
  });
  await em.flush();
  return row;
}
