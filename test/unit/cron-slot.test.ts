// The slot a croner tick is for (src/scheduler/cron-slot.ts): the scheduled time at or before the firing, whether
// the timer fired right on time or late, so every replica records the same slot.
import { Cron } from 'croner';
import { afterEach, describe, expect, it } from 'vitest';
import { slotAt } from '../../src/scheduler/cron-slot.ts';

describe('the slot of a tick', () => {
  const jobs: Cron[] = [];
  const hourly = () => {
    const job = new Cron('0 * * * *', { timezone: 'UTC', paused: true });
    jobs.push(job);
    return job;
  };
  afterEach(() => {
    for (const job of jobs.splice(0)) job.stop();
  });

  it('is the scheduled time itself for a timer that fired right on it', () => {
    expect(slotAt(hourly(), new Date('2026-12-03T14:00:00.000Z'))).toEqual(new Date('2026-12-03T14:00:00.000Z'));
  });

  it('is the scheduled time before a timer that fired late, however late', () => {
    for (const late of ['14:00:00.004', '14:00:01.500', '14:59:59.999']) {
      expect(slotAt(hourly(), new Date(`2026-12-03T${late}Z`))).toEqual(new Date('2026-12-03T14:00:00.000Z'));
    }
  });

  it('follows the schedule in its time zone', () => {
    const job = new Cron('0 9 * * *', { timezone: 'Europe/Berlin', paused: true });
    jobs.push(job);
    // 09:00 in Berlin in winter is 08:00 UTC.
    expect(slotAt(job, new Date('2026-12-03T08:00:00.000Z'))).toEqual(new Date('2026-12-03T08:00:00.000Z'));
    expect(slotAt(job, new Date('2026-12-03T07:59:59.999Z'))).toEqual(new Date('2026-12-02T08:00:00.000Z'));
  });
});
