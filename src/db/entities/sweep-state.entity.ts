import { defineEntity, p } from '@mikro-orm/core';

export const SweepStateSchema = defineEntity({
  name: 'SweepState',
  tableName: 'sweep_state',
  properties: {
    id: p.integer().primary(),
    paused: p.boolean().default(false),
    pausedBy: p.text().nullable(),
    pausedAt: p.datetime().columnType('timestamptz').nullable(),
    pauseNote: p.text().nullable(),
  },
});

export class SweepState extends SweepStateSchema.class {}
SweepStateSchema.setClass(SweepState);
