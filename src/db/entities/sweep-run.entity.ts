// sweep_runs: one row a sweep run (scheduled, admin, command line or API), with its counts and outcome.
import { defineEntity, p } from '@mikro-orm/core';

export const SWEEP_TRIGGERS = ['schedule', 'admin', 'cli', 'api'] as const;
export type SweepTrigger = (typeof SWEEP_TRIGGERS)[number];
export const SWEEP_RUN_STATUSES = ['running', 'completed', 'failed', 'skipped', 'cancelled'] as const;

export const SweepRunSchema = defineEntity({
  name: 'SweepRun',
  tableName: 'sweep_runs',
  properties: {
    id: p.integer().primary(),
    trigger: p.enum(SWEEP_TRIGGERS),
    triggeredBy: p.text().nullable(),
    slotKey: p.text().nullable().unique(),
    dryRun: p.boolean().default(false),
    status: p.enum(SWEEP_RUN_STATUSES),
    skipReason: p.text().nullable(),
    startedAt: p.datetime().columnType('timestamptz'),
    finishedAt: p.datetime().columnType('timestamptz').nullable(),
    warned: p.integer().default(0),
    closed: p.integer().default(0),
    reminded: p.integer().default(0),
    released: p.integer().default(0),
    failed: p.integer().default(0),
    error: p.text().nullable(),
    details: p.json<Record<string, unknown>>().default('{}'),
    /** `/bugs sweep cancel`: the runner stops between items once this is set, and records the run as cancelled. */
    cancelRequestedAt: p.datetime().columnType('timestamptz').nullable(),
    cancelRequestedBy: p.text().nullable(),
  },
});

export class SweepRun extends SweepRunSchema.class {}
SweepRunSchema.setClass(SweepRun);
