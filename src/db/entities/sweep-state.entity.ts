// sweep_state: the sweep's single settings row: paused or not, and the admin's schedule.
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
    /** `/bugs sweep schedule`: the admin's cron and time zone; null for SWEEP_SCHEDULE in SWEEP_TIMEZONE. */
    schedule: p.text().nullable(),
    scheduleTimezone: p.text().nullable(),
    scheduleSetBy: p.text().nullable(),
    scheduleSetAt: p.datetime().columnType('timestamptz').nullable(),
  },
});

export class SweepState extends SweepStateSchema.class {}
SweepStateSchema.setClass(SweepState);
