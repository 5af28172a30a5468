// Prometheus metrics (prom-client): counters and histograms the process keeps, and gauges read from PostgreSQL at
// scrape time (cached for a few seconds, so a scrape every 5 s costs a handful of counts at most).
// One registry per app, so several apps in one process (the tests) never mix their figures. A database that refuses
// or hangs costs a scrape only the PostgreSQL gauges: the process's own figures are served regardless.
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { type Clock, systemClock } from '../clock.ts';
import type { BacklogSnapshot } from '../db/repositories/metrics.repository.ts';

export type Metrics = {
  /** The process's own metrics: counters, histograms and Node's. */
  registry: Registry;
  /** What GET /metrics serves: the process's metrics, and the PostgreSQL gauges when they could be read in time. */
  scrape(): Promise<string>;
  slackEvent(type: string): void;
  eventHandled(type: string, seconds: number): void;
  webApiCall(method: string, outcome: string): void;
  notice(purpose: string, result: 'sent' | 'failed'): void;
  sweepRun(trigger: string, outcome: string, seconds: number, items: Record<string, number>): void;
};

const SNAPSHOT_TTL_MS = 5_000;
/** How long a scrape waits for the PostgreSQL figures before it answers without them (Prometheus gives up at 10 s). */
const SNAPSHOT_WAIT_MS = 2_000;

/** The value, or null when it fails or takes longer than `ms`. */
function within<T>(value: Promise<T>, ms: number): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<null>((resolve) => {
    timer = setTimeout(resolve, ms, null);
    timer.unref();
  });
  return Promise.race([value.catch(() => null), late]).finally(() => clearTimeout(timer));
}

export function createMetrics(readSnapshot: () => Promise<BacklogSnapshot>, clock: Clock = systemClock): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'bugsweep_' });
  // The gauges read from PostgreSQL, served only with figures read for this scrape.
  const database = new Registry();

  // A read still running is shared, however old: against a hung database, one query waits, not one per scrape
  // until the pool runs out. A failed read is forgotten, so the next scrape tries again.
  let cached: { at: number; value: Promise<BacklogSnapshot>; settled: boolean } | null = null;
  const snapshot = (): Promise<BacklogSnapshot> => {
    const now = clock().getTime();
    if (!cached || (cached.settled && Math.abs(now - cached.at) > SNAPSHOT_TTL_MS)) {
      const entry = { at: now, value: readSnapshot(), settled: false };
      cached = entry;
      entry.value.then(
        () => {
          entry.settled = true;
        },
        () => {
          if (cached === entry) cached = null;
        },
      );
    }
    return cached.value;
  };
  /** What the gauges show: set by scrape() right before they are collected. */
  let figures: BacklogSnapshot | null = null;
  const gauge = (
    name: string,
    help: string,
    set: (g: Gauge, s: BacklogSnapshot) => void,
    labelNames: string[] = [],
  ): Gauge =>
    new Gauge({
      name,
      help,
      labelNames,
      registers: [database],
      collect() {
        if (figures) set(this, figures);
      },
    });

  gauge(
    'bugsweep_bugs',
    'Bugs by status and severity',
    (g, s) => {
      g.reset();
      for (const row of s.bugs) g.set({ status: row.status, severity: row.severity }, row.count);
    },
    ['status', 'severity'],
  );
  gauge('bugsweep_stale_bugs_due_warning', 'Bugs the next sweep would warn', (g, s) => g.set(s.staleDueWarning));
  gauge('bugsweep_stale_bugs_due_close', 'Warned bugs the next sweep would close', (g, s) => g.set(s.staleDueClose));
  gauge('bugsweep_orphaned_claims', 'Claims quiet for CLAIM_RELEASE_AFTER', (g, s) => g.set(s.orphanedClaims));
  gauge('bugsweep_sla_breached_bugs', 'Open and in-progress bugs past their SLA due time', (g, s) =>
    g.set(s.slaBreached),
  );
  gauge('bugsweep_outbox_pending', 'Notices waiting to be sent to Slack', (g, s) => g.set(s.outboxPending));
  gauge('bugsweep_outbox_failed', 'Notices Slack refused for good', (g, s) => g.set(s.outboxFailed));
  gauge('bugsweep_outbox_oldest_pending_age_seconds', 'Age of the oldest pending notice', (g, s) =>
    g.set(s.oldestPendingAgeSeconds),
  );

  const events = new Counter({
    name: 'bugsweep_slack_events_received_total',
    help: 'Slack requests received, by event or payload type',
    labelNames: ['type'],
    registers: [registry],
  });
  const handling = new Histogram({
    name: 'bugsweep_slack_event_handling_seconds',
    help: 'Time from receiving a Slack request to its handlers finishing',
    labelNames: ['type'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const calls = new Counter({
    name: 'bugsweep_slack_api_calls_total',
    help: 'Slack Web API calls the bot made, by method and outcome (ok, 429, or the error code)',
    labelNames: ['method', 'outcome'],
    registers: [registry],
  });
  const notices = new Counter({
    name: 'bugsweep_notices_total',
    help: 'Notices sent to Slack or given up on, by purpose',
    labelNames: ['purpose', 'result'],
    registers: [registry],
  });
  const runs = new Counter({
    name: 'bugsweep_sweep_runs_total',
    help: 'Sweep runs by trigger and outcome',
    labelNames: ['trigger', 'outcome'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'bugsweep_sweep_duration_seconds',
    help: 'How long a sweep run took',
    buckets: [0.1, 0.5, 1, 5, 15, 60, 300, 900],
    registers: [registry],
  });
  const items = new Counter({
    name: 'bugsweep_sweep_items_total',
    help: 'Bugs the sweep warned, closed, reminded or released',
    labelNames: ['action'],
    registers: [registry],
  });

  return {
    registry,
    async scrape() {
      const read = await within(snapshot(), SNAPSHOT_WAIT_MS);
      const own = await registry.metrics();
      if (!read) return own;
      // Collected synchronously as metrics() starts: a concurrent scrape cannot swap the figures in between.
      figures = read;
      return `${own}\n${await database.metrics()}`;
    },
    slackEvent: (type) => events.inc({ type }),
    eventHandled: (type, seconds) => handling.observe({ type }, seconds),
    webApiCall: (method, outcome) => calls.inc({ method, outcome }),
    notice: (purpose, result) => notices.inc({ purpose, result }),
    sweepRun(trigger, outcome, seconds, counts) {
      runs.inc({ trigger, outcome });
      duration.observe(seconds);
      for (const [action, n] of Object.entries(counts)) if (n > 0) items.inc({ action }, n);
    },
  };
}
