// /metrics against a database that does not answer (src/metrics/metrics.ts): each scrape gives up on the gauges
// after its wait, but the read it started is shared by the scrapes after it instead of one more query each, which
// would pin every pool connection in turn while the database hangs.
import { describe, expect, it } from 'vitest';
import type { BacklogSnapshot } from '../../src/db/repositories/metrics.repository.ts';
import { createMetrics } from '../../src/metrics/metrics.ts';
import { START } from '../support/test-clock.ts';

describe('the gauges read from PostgreSQL', () => {
  it('start no second read while the first is still waiting for a hung database', { timeout: 15_000 }, async () => {
    let reads = 0;
    let now = START.getTime();
    const metrics = createMetrics(
      () => {
        reads += 1;
        return new Promise<BacklogSnapshot>(() => {}); // the database never answers
      },
      () => new Date(now),
    );
    const first = await metrics.scrape();
    expect(first).toContain('bugsweep_process_cpu_user_seconds_total');
    expect(first).not.toContain('bugsweep_outbox_pending');
    // Well past the cache's five seconds: a scrape would read again, were the first read not still running.
    now += 60_000;
    const second = await metrics.scrape();
    expect(second).not.toContain('bugsweep_outbox_pending');
    expect(reads).toBe(1);
  });
});
