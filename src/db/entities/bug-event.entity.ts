// bug_events: the audit trail of a bug, one row a change of state, written in the transaction of that change.
import { defineEntity, p } from '@mikro-orm/core';
import { ACTOR_KINDS } from '../../domain/bug-event-types.ts';

export const BugEventSchema = defineEntity({
  name: 'BugEvent',
  tableName: 'bug_events',
  properties: {
    id: p.bigint('number').primary(),
    bugId: p.integer(),
    eventType: p.text(),
    actorId: p.text().nullable(),
    actorKind: p.enum(ACTOR_KINDS),
    metadata: p.json<Record<string, unknown>>().default('{}'),
    createdAt: p.datetime().columnType('timestamptz'),
  },
});

export class BugEvent extends BugEventSchema.class {}
BugEventSchema.setClass(BugEvent);
