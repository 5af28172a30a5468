import type { EntityManager } from '@mikro-orm/postgresql';
import { BugEvent } from '../db/entities/index.ts';
import type { ActorKind, BugEventType } from '../domain/bug-event-types.ts';

export type AuditEntry = {
  bugId: number;
  type: BugEventType;
  actorId: string | null;
  actorKind: ActorKind;
  at: Date;
  metadata?: Record<string, unknown>;
};

/** Adds an audit row to the unit of work; it commits with the state change it describes. */
export function recordEvent(em: EntityManager, entry: AuditEntry): BugEvent {
  return em.create(BugEvent, {
    bugId: entry.bugId,
    eventType: entry.type,
    actorId: entry.actorId,
    actorKind: entry.actorKind,
    metadata: entry.metadata ?? {},
    createdAt: entry.at,
  });
}
