import { describe, expect, it } from 'vitest';
import {
  isSlaBreachDue,
  isSlaBreached,
  slaClockAfterSeverityChange,
  slaClockAfterStatusChange,
  slaClockAtIntake,
  slaDueAt,
} from '../../src/domain/sla.ts';
import { HOUR } from '../support/test-clock.ts';

const SETTINGS = { critical: 4 * HOUR, high: 24 * HOUR, medium: 120 * HOUR, low: 0 };
const T0 = new Date('2026-11-24T09:00:00Z');
const at = (hours: number) => new Date(T0.getTime() + hours * HOUR);

describe('SLA clock', () => {
  it('due times by severity; 0 means none', () => {
    expect(slaDueAt('critical', T0, SETTINGS)).toEqual(at(4));
    expect(slaDueAt('low', T0, SETTINGS)).toBeNull();
    expect(slaClockAtIntake('high', T0, SETTINGS)).toEqual({ slaStartedAt: T0, slaDueAt: at(24) });
    expect(slaClockAtIntake('low', T0, SETTINGS)).toEqual({ slaStartedAt: T0, slaDueAt: null });
  });

  it('stops when resolved, closed or escalated, restarts on a reopen, is kept by a claim or release', () => {
    const running = { severity: 'critical' as const, slaStartedAt: T0, slaDueAt: at(4) };
    for (const to of ['resolved', 'closed', 'escalated'] as const) {
      expect(slaClockAfterStatusChange(running, 'open', to, at(1), SETTINGS)).toEqual({
        slaStartedAt: null,
        slaDueAt: null,
      });
    }
    expect(slaClockAfterStatusChange(running, 'open', 'in_progress', at(1), SETTINGS)).toEqual({
      slaStartedAt: T0,
      slaDueAt: at(4),
    });
    const stopped = { severity: 'critical' as const, slaStartedAt: null, slaDueAt: null };
    expect(slaClockAfterStatusChange(stopped, 'resolved', 'open', at(10), SETTINGS)).toEqual({
      slaStartedAt: at(10),
      slaDueAt: at(14),
    });
  });

  it('a severity change keeps the start; a stopped clock stays stopped', () => {
    expect(slaClockAfterSeverityChange({ slaStartedAt: T0, slaDueAt: at(24) }, 'critical', SETTINGS)).toEqual({
      slaStartedAt: T0,
      slaDueAt: at(4),
    });
    expect(slaClockAfterSeverityChange({ slaStartedAt: T0, slaDueAt: at(4) }, 'low', SETTINGS)).toEqual({
      slaStartedAt: T0,
      slaDueAt: null,
    });
    expect(slaClockAfterSeverityChange({ slaStartedAt: null, slaDueAt: null }, 'critical', SETTINGS)).toEqual({
      slaStartedAt: null,
      slaDueAt: null,
    });
  });

  it('a breach is due once per due time, only while open or in progress', () => {
    const bug = { status: 'open' as const, slaDueAt: at(4), slaBreachNotifiedFor: null };
    expect(isSlaBreachDue(bug, at(3.9))).toBe(false);
    expect(isSlaBreachDue(bug, at(4))).toBe(true);
    expect(isSlaBreachDue({ ...bug, slaBreachNotifiedFor: at(4) }, at(5))).toBe(false);
    expect(isSlaBreachDue({ ...bug, slaBreachNotifiedFor: at(24) }, at(5))).toBe(true);
    expect(isSlaBreachDue({ ...bug, status: 'escalated' }, at(5))).toBe(false);
    expect(isSlaBreached({ ...bug }, at(5))).toBe(true);
    expect(isSlaBreached({ ...bug, slaDueAt: null }, at(5))).toBe(false);
  });
});
