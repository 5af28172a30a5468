// Writing audit rows: a bug's events (bug_events) and the sweep's own (sweep_events), each in the change's transaction.
import type { EntityManager } from '@mikro-orm/postgresql';
import { BugEvent } from '../db/entities/index.ts';
import { insertSweepEvent } from '../db/repositories/sweep.repository.ts';
import type { ActorKind, BugEventType } from '../domain/bug-event-types.ts';
import type { SweepEventType } from '../domain/sweep-schedule.ts';

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

export type SweepAuditEntry = {
  type: SweepEventType;
  actorId: string | null;
  actorKind: ActorKind;
  at: Date;
  metadata?: Record<string, unknown>;
};

/** Writes a row of the sweep's own audit trail (sweep_events); inside the transaction of the change it describes. */
export async function recordSweepEvent(em: EntityManager, entry: SweepAuditEntry): Promise<void> {
  await insertSweepEvent(em, { ...entry, metadata: entry.metadata ?? {} });
}
