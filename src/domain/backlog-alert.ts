// Backlog alerts (BACKLOG_ALERT, issue 15): "open>50 for 4h" raises one message to ALERT_CHANNEL once the backlog has
// been over the line at every check for four hours, and one "back to normal" message when it no longer is.
// The rule is a state machine over what each check measured; the caller keeps the state of each condition in
// PostgreSQL (keyed by `condition.key`) and changes it under a lock, so replicas announce each change once.
import { formatDuration, parseDuration } from './duration.ts';
import { type ParseResult, parsed, rejected } from './parse-result.ts';

/**
 * What a condition counts (the wiring counts them with index-backed queries):
 * - `open`: bugs with work left (open, in progress or escalated: UNRESOLVED_STATUSES);
 * - `unclaimed`: open bugs nobody has claimed;
 * - `stale`: bugs the next sweep would warn or close;
 * - `breached`: open or in-progress bugs past their SLA due time.
 */
export const BACKLOG_METRICS = ['open', 'unclaimed', 'stale', 'breached'] as const;
export type BacklogMetric = (typeof BACKLOG_METRICS)[number];

export type BacklogCondition = {
  readonly metric: BacklogMetric;
  readonly comparison: '>' | '>=';
  readonly threshold: number;
  /** How long the condition must have held before the alert is raised; 0 raises at the first check it holds. */
  readonly forMs: number;
  /** Stable identity for the stored state: metric, comparison, threshold and the exact period. */
  readonly key: string;
};

const FORM =
  `conditions such as "open>50 for 4h" or "open>50 for 4h, unclaimed>20 for 1d" ` +
  `(${BACKLOG_METRICS.join(', ')}; > or >= a whole number; for a duration like 30m, 4h, 1d or 1w)`;

const CONDITION = /^([a-z]+)\s*(>=|>)\s*(\d+)(?:\s+for\s+(\S+))?$/;

/**
 * BACKLOG_ALERT: comma-separated conditions `<metric> > N for <duration>` (or `>=`; spaces optional around the
 * comparison; `for …` may be left out to mean at once). Durations are those of every other setting (duration.ts).
 * The same condition twice is an error; two thresholds for one metric are fine (a warning and a louder one).
 */
export function parseBacklogAlert(text: string): ParseResult<readonly BacklogCondition[]> {
  const input = text.trim();
  if (!input) return rejected(FORM, input, 'it is empty');
  const conditions: BacklogCondition[] = [];
  for (const raw of input.split(',')) {
    const entry = raw.trim().toLowerCase().replace(/\s+/g, ' ');
    if (!entry) return rejected(FORM, input, 'an empty entry between commas');
    const match = CONDITION.exec(entry);
    if (!match) return rejected(FORM, input, `"${raw.trim()}" is not <metric>>N for <duration>`);
    const [, metric, comparison, count, period] = match;
    if (!(BACKLOG_METRICS as readonly string[]).includes(metric!)) {
      return rejected(FORM, input, `"${metric}" is not one of ${BACKLOG_METRICS.join(', ')}`);
    }
    const forMs = period === undefined ? 0 : parseDuration(period);
    if (forMs === null) return rejected(FORM, input, `"${period}" is not a duration`);
    const threshold = Number(count);
    if (!Number.isSafeInteger(threshold)) return rejected(FORM, input, `${count} is too large`);
    const key = `${metric}${comparison}${threshold}/${forMs}`;
    if (conditions.some((condition) => condition.key === key)) {
      return rejected(FORM, input, `"${raw.trim()}" is given twice`);
    }
    conditions.push({
      metric: metric as BacklogMetric,
      comparison: comparison as '>' | '>=',
      threshold,
      forMs,
      key,
    });
  }
  return parsed(conditions);
}

/** Whether a count is over the condition's line. */
export function exceeds(condition: BacklogCondition, count: number): boolean {
  return condition.comparison === '>' ? count > condition.threshold : count >= condition.threshold;
}

/** The condition for people: "open > 50 for 4h", "unclaimed ≥ 20", "stale > 10 for 1d 12h". */
export function describeBacklogCondition(condition: BacklogCondition): string {
  const comparison = condition.comparison === '>' ? '>' : '≥';
  const period = condition.forMs > 0 ? ` for ${formatDuration(condition.forMs)}` : '';
  return `${condition.metric} ${comparison} ${condition.threshold}${period}`;
}

/** What is stored per condition. Both null: the condition did not hold at the last check (or has not been checked). */
export type BacklogAlertState = {
  /** The first check of the current stretch in which the condition held. */
  readonly overSince: Date | null;
  /** When the alert of the current stretch was raised; null until it is. */
  readonly raisedAt: Date | null;
};

export const QUIET_BACKLOG_STATE: BacklogAlertState = Object.freeze({ overSince: null, raisedAt: null });

export type BacklogMeasurement = { readonly condition: BacklogCondition; readonly count: number };

/** The next state, and what to announce: `raise` once per stretch, `back-to-normal` once after a raise. */
export type BacklogAlertStep = {
  readonly state: BacklogAlertState;
  readonly announce: 'raise' | 'back-to-normal' | null;
};

/**
 * One check of one condition at `now`, given the state the last check left. The condition must have held at every
 * check for the whole period: a stretch starts at the first check that finds it over the line and is raised at the
 * first check at which `overSince + forMs <= now`. A check that finds it under the line ends the stretch, and ends
 * a raised one with exactly one "back to normal". Going over again starts a new stretch, with its own full period.
 * A `now` earlier than the stored times (clocks of replicas disagree) never raises early and never loses the state.
 * The wiring calls this under the lock that guards the stored row and sends what `announce` says after commit.
 */
export function nextBacklogAlertState(
  previous: BacklogAlertState,
  measurement: BacklogMeasurement,
  now: Date,
): BacklogAlertStep {
  if (!exceeds(measurement.condition, measurement.count)) {
    return { state: QUIET_BACKLOG_STATE, announce: previous.raisedAt ? 'back-to-normal' : null };
  }
  if (previous.raisedAt) return { state: previous, announce: null };
  const overSince = previous.overSince ?? now;
  if (overSince.getTime() + measurement.condition.forMs <= now.getTime()) {
    return { state: { overSince, raisedAt: now }, announce: 'raise' };
  }
  return { state: { overSince, raisedAt: null }, announce: null };
}
