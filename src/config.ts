// The one place settings are read, validated and given their defaults.
// Everything else receives a frozen `Config`; nothing reads process.env directly.
import { Cron } from 'croner';
import { z } from 'zod';
import { type BacklogCondition, parseBacklogAlert } from './domain/backlog-alert.ts';
import type { Severity } from './domain/bug-status.ts';
import { spanMs } from './domain/business-durations.ts';
import {
  type BusinessCalendar,
  createBusinessCalendar,
  parseBusinessHours,
  parseBusinessTimezone,
  parseHolidays,
  WALL_CLOCK,
} from './domain/business-hours.ts';
import { parseDuration, parseDurationParts } from './domain/duration.ts';
import { type EngagementRule, parseEngagementExempt } from './domain/engagement.ts';
import type { ParseResult } from './domain/parse-result.ts';
import { AUTO_CLOSE_POLICIES, type AutoClosePolicy } from './domain/turn.ts';

const DEFAULT_SLACK_API_URL = 'https://slack.com/api/';

const list = (pattern: RegExp, what: string) =>
  z
    .string()
    .optional()
    .transform((value) =>
      (value ?? '')
        .split(/[\s,]+/)
        .map((item) => item.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.string().regex(pattern, `each entry must be ${what}`)));

const duration = (fallback: string, { allowZero }: { allowZero: boolean }) =>
  z
    .string()
    .trim()
    .default(fallback)
    .transform((value, ctx) => {
      const ms = parseDuration(value);
      if (ms === null || (!allowZero && ms === 0)) {
        ctx.addIssue({
          code: 'custom',
          message: `expected a duration like 30s, 15m, 12h, 5d or 1w${allowZero ? ' (0 disables)' : ''}, got "${value}"`,
        });
        return z.NEVER;
      }
      return ms;
    });

/**
 * A duration of a clock that counts business time when BUSINESS_HOURS is set: kept as its parts (weeks, days, time),
 * because a day there is a business day (domain/business-durations.ts); made milliseconds once the calendar is known.
 */
const clockDuration = (fallback: string, { allowZero }: { allowZero: boolean }) =>
  z
    .string()
    .trim()
    .default(fallback)
    .transform((value, ctx) => {
      const parts = parseDurationParts(value);
      if (parts === null || (!allowZero && parts.weeks + parts.days + parts.timeMs === 0)) {
        ctx.addIssue({
          code: 'custom',
          message: `expected a duration like 30s, 15m, 12h, 5d or 1w${allowZero ? ' (0 disables)' : ''}, got "${value}"`,
        });
        return z.NEVER;
      }
      return parts;
    });

/** A setting read by one of the domain's parsers (their errors follow the variable's name). */
const parsedBy = <T>(parse: (text: string) => ParseResult<T>) =>
  optionalString.transform((value, ctx): T | undefined => {
    if (value === undefined) return undefined;
    const result = parse(value);
    if (result.ok) return result.value;
    ctx.addIssue({ code: 'custom', message: result.error });
    return z.NEVER;
  });

const optionalString = z
  .string()
  .trim()
  .optional()
  .transform((value) => (value ? value : undefined));

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
  SLACK_BOT_TOKEN: z
    .string({ error: 'is required: the bot token (xoxb-...) from OAuth & Permissions' })
    .trim()
    .regex(/^xoxb-/, 'must be a bot token starting with xoxb-'),
  SLACK_APP_TOKEN: optionalString.pipe(
    z
      .string()
      .regex(/^xapp-/, 'must be an app-level token starting with xapp- (Socket Mode)')
      .optional(),
  ),
  SLACK_SIGNING_SECRET: optionalString,
  PORT: z.coerce
    .number({ error: 'must be a port number' })
    .int('must be a whole number')
    .min(0, 'must be between 0 and 65535')
    .max(65535, 'must be between 0 and 65535')
    .default(3000),
  SLACK_API_URL: optionalString.pipe(z.url('must be a URL such as https://slack.com/api/').optional()),
  DATABASE_URL: optionalString.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
      .optional(),
  ),
  DATA_DIR: z.string().trim().min(1).default('.data'),
  EMBEDDED_POSTGRES_PORT: z.coerce.number().int().min(1).max(65535).default(54329),
  BUG_CHANNELS: list(/^[CG][A-Z0-9]{2,}$/, 'a Slack channel ID such as C0123ABCD'),
  ADMIN_USERS: list(/^[UW][A-Z0-9]{2,}$/, 'a Slack user ID such as U0123ABCD'),
  DEVELOPER_USERS: list(/^[UW][A-Z0-9]{2,}$/, 'a Slack user ID such as U0123ABCD'),
  DEVELOPER_USERGROUP: optionalString.pipe(
    z
      .string()
      .regex(/^S[A-Z0-9]{2,}$/, 'must be a Slack user group ID such as S0123ABCD')
      .optional(),
  ),
  AUTO_CLOSE_AFTER: clockDuration('5d', { allowZero: false }),
  AUTO_CLOSE_WARNING: clockDuration('1d', { allowZero: true }),
  CLAIM_RELEASE_AFTER: clockDuration('7d', { allowZero: false }),
  CLAIM_REMINDER: clockDuration('2d', { allowZero: true }),
  REOPEN_WITHIN: duration('14d', { allowZero: true }),
  AUTO_CLOSE_POLICY: z
    .string()
    .trim()
    .default('any')
    .pipe(z.enum(AUTO_CLOSE_POLICIES, { error: 'must be any or waiting-on-reporter' })),
  DEVELOPER_NUDGE_AFTER: clockDuration('2d', { allowZero: true }),
  DIGEST_SCHEDULE: optionalString.pipe(
    z
      .string()
      .refine(isValidCron, {
        error: (issue) => `expected a cron expression such as "0 9 * * 1-5", got "${String(issue.input)}"`,
      })
      .optional(),
  ),
  DIGEST_CHANNEL: optionalString.pipe(
    z
      .string()
      .regex(/^[CG][A-Z0-9]{2,}$/, 'must be a Slack channel ID such as C0123ABCD')
      .optional(),
  ),
  ENGAGEMENT_EXEMPT: parsedBy(parseEngagementExempt),
  BUSINESS_HOURS: parsedBy(parseBusinessHours),
  BUSINESS_TIMEZONE: parsedBy(parseBusinessTimezone),
  HOLIDAYS: parsedBy(parseHolidays),
  DEDUP_WINDOW: duration('30d', { allowZero: true }),
  SWEEP_SCHEDULE: z
    .string()
    .trim()
    .default('0 * * * *')
    .refine(isValidCron, {
      error: (issue) => `expected a cron expression such as "0 * * * *", got "${String(issue.input)}"`,
    }),
  SWEEP_TIMEZONE: z
    .string()
    .trim()
    .default('UTC')
    .refine(isValidTimezone, {
      error: (issue) => `expected an IANA time zone such as UTC or Europe/Berlin, got "${String(issue.input)}"`,
    }),
  SWEEP_BATCH_SIZE: z.coerce.number().int().min(1).max(1000).default(50),
  SWEEP_MAX_ITEMS: z.coerce.number().int().min(1).default(500),
  AGENT_RETRY_COOLDOWN: duration('1h', { allowZero: true }),
  AGENT_MAX_ATTEMPTS: z.coerce.number({ error: 'must be a whole number' }).int().min(1).default(3),
  METRICS_TOKEN: optionalString,
  API_RATE_LIMIT: z.coerce
    .number({ error: 'must be a number of requests per minute' })
    .int('must be a whole number of requests per minute')
    .min(1)
    .default(600),
  SLA_CRITICAL: duration('4h', { allowZero: true }),
  SLA_HIGH: duration('1d', { allowZero: true }),
  SLA_MEDIUM: duration('5d', { allowZero: true }),
  SLA_LOW: duration('0', { allowZero: true }),
  ALERT_CHANNEL: optionalString.pipe(
    z
      .string()
      .regex(/^[CG][A-Z0-9]{2,}$/, 'must be a Slack channel ID such as C0123ABCD')
      .optional(),
  ),
  BACKLOG_ALERT: optionalString.transform((value, ctx): readonly BacklogCondition[] => {
    if (value === undefined) return [];
    const result = parseBacklogAlert(value);
    if (!result.ok) {
      ctx.addIssue({ code: 'custom', message: result.error });
      return z.NEVER;
    }
    return result.value;
  }),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

/** Rules across variables, checked on the raw strings so they are reported even when other variables are bad. */
function crossVariableProblems(env: NodeJS.ProcessEnv): string[] {
  const set = (name: string) => Boolean(env[name]?.trim());
  const problems: string[] = [];
  if (!set('SLACK_APP_TOKEN') && !set('SLACK_SIGNING_SECRET')) {
    problems.push('SLACK_SIGNING_SECRET is required in HTTP mode (or set SLACK_APP_TOKEN for Socket Mode instead)');
  }
  if (!set('BUG_CHANNELS')) {
    problems.push(
      'BUG_CHANNELS is required: one or more channel IDs (comma-separated) whose top-level messages are bug reports',
    );
  }
  if (!set('DEVELOPER_USERS') && !set('DEVELOPER_USERGROUP')) {
    problems.push(
      'DEVELOPER_USERS is required unless DEVELOPER_USERGROUP is set: user IDs (or a user group ID) of your developers',
    );
  }
  if (set('DIGEST_SCHEDULE') !== set('DIGEST_CHANNEL')) {
    problems.push(
      'DIGEST_SCHEDULE and DIGEST_CHANNEL go together: set both to post the digest (when, and to which channel ID), or neither',
    );
  }
  if (set('BACKLOG_ALERT') && !set('ALERT_CHANNEL')) {
    problems.push('ALERT_CHANNEL is required with BACKLOG_ALERT: the channel ID (C0123ABCD) the alerts go to');
  }
  return problems;
}

type Clocks = {
  calendar: BusinessCalendar;
  autoCloseAfterMs: number;
  autoCloseWarningMs: number;
  claimReleaseAfterMs: number;
  claimReminderMs: number;
  developerNudgeAfterMs: number;
};

/** The calendar the sweep's clocks count on, and their durations in its time (business time with BUSINESS_HOURS). */
function clocksOf(env: z.infer<typeof envSchema>): Clocks {
  const calendar = env.BUSINESS_HOURS
    ? createBusinessCalendar({
        hours: env.BUSINESS_HOURS,
        timeZone: env.BUSINESS_TIMEZONE ?? env.SWEEP_TIMEZONE,
        holidays: env.HOLIDAYS ?? [],
      })
    : WALL_CLOCK;
  return {
    calendar,
    autoCloseAfterMs: spanMs(env.AUTO_CLOSE_AFTER, calendar),
    autoCloseWarningMs: spanMs(env.AUTO_CLOSE_WARNING, calendar),
    claimReleaseAfterMs: spanMs(env.CLAIM_RELEASE_AFTER, calendar),
    claimReminderMs: spanMs(env.CLAIM_REMINDER, calendar),
    developerNudgeAfterMs: spanMs(env.DEVELOPER_NUDGE_AFTER, calendar),
  };
}

/** Rules between parsed values. */
function parsedValueProblems(clocks: Clocks): string[] {
  const problems: string[] = [];
  if (clocks.autoCloseWarningMs >= clocks.autoCloseAfterMs)
    problems.push('AUTO_CLOSE_WARNING must be shorter than AUTO_CLOSE_AFTER');
  if (clocks.claimReminderMs >= clocks.claimReleaseAfterMs)
    problems.push('CLAIM_REMINDER must be shorter than CLAIM_RELEASE_AFTER');
  return problems;
}

function isValidCron(pattern: string): boolean {
  try {
    new Cron(pattern, { paused: true }).stop();
    return true;
  } catch {
    return false;
  }
}

function isValidTimezone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export type Config = Readonly<{
  env: 'development' | 'production' | 'test';
  slack: Readonly<{
    botToken: string;
    appToken: string | undefined;
    signingSecret: string | undefined;
    socketMode: boolean;
    port: number;
    apiUrl: string;
  }>;
  database: Readonly<{ url: string | undefined; dataDir: string; embeddedPort: number }>;
  bugChannels: readonly string[];
  adminUsers: readonly string[];
  developerUsers: readonly string[];
  developerUsergroup: string | undefined;
  /**
   * All durations in milliseconds; the inactivity, warning, claim-release, reminder and nudge ones are milliseconds of
   * `businessCalendar`'s time (business time when BUSINESS_HOURS is set, where a day is a business day).
   */
  autoCloseAfterMs: number;
  autoCloseWarningMs: number;
  claimReleaseAfterMs: number;
  claimReminderMs: number;
  reopenWithinMs: number;
  /** `waiting-on-reporter`: only bugs whose turn is the reporter's are warned and closed; the others are nudged. */
  autoClosePolicy: AutoClosePolicy;
  /** 0: no nudges. Only under `waiting-on-reporter`. */
  developerNudgeAfterMs: number;
  /** ENGAGEMENT_EXEMPT: bugs this many people care about are not auto-closed; null when unset. */
  engagementExempt: EngagementRule | null;
  /** The digest of what waits on developers: when (cron, in SWEEP_TIMEZONE) and where; null when off. */
  digest: Readonly<{ schedule: string; channelId: string }> | null;
  /** BUSINESS_HOURS, BUSINESS_TIMEZONE and HOLIDAYS; WALL_CLOCK when BUSINESS_HOURS is unset. */
  businessCalendar: BusinessCalendar;
  /** A report joins a duplicate group last seen this recently; also how far back near-duplicates are looked for. */
  dedupWindowMs: number;
  sweep: Readonly<{ schedule: string; timezone: string; batchSize: number; maxItems: number }>;
  /** When set, GET /metrics requires Authorization: Bearer with it. */
  metricsToken: string | undefined;
  /** The agent API: the work queue's cool-down and attempts, and each token's request budget per minute. */
  agents: Readonly<{ retryCooldownMs: number; maxAttempts: number; rateLimitPerMinute: number }>;
  /** Time to resolution by severity, in milliseconds; 0 = no due time for that severity. */
  sla: Readonly<Record<Severity, number>>;
  /** Where SLA breaches and backlog alerts are announced; none when unset. */
  alertChannel: string | undefined;
  backlogAlert: readonly BacklogCondition[];
  logLevel: string;
}>;

export class ConfigError extends Error {
  readonly problems: readonly string[];
  constructor(problems: string[]) {
    super(`bugsweep cannot start, the configuration is invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** Parses the environment; throws ConfigError naming every bad variable at once. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  const problems = crossVariableProblems(env);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const name = String(issue.path[0] ?? 'environment');
      const message = issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : issue.message;
      problems.push(`${name} ${message}`);
    }
  }
  const clocks = parsed.success ? clocksOf(parsed.data) : null;
  if (clocks) problems.push(...parsedValueProblems(clocks));
  if (problems.length > 0 || !parsed.success || !clocks) throw new ConfigError(problems);
  const e = parsed.data;
  return deepFreeze({
    env: e.NODE_ENV,
    slack: {
      botToken: e.SLACK_BOT_TOKEN,
      appToken: e.SLACK_APP_TOKEN,
      signingSecret: e.SLACK_SIGNING_SECRET,
      socketMode: Boolean(e.SLACK_APP_TOKEN),
      port: e.PORT,
      apiUrl: withTrailingSlash(e.SLACK_API_URL ?? DEFAULT_SLACK_API_URL),
    },
    database: { url: e.DATABASE_URL, dataDir: e.DATA_DIR, embeddedPort: e.EMBEDDED_POSTGRES_PORT },
    bugChannels: e.BUG_CHANNELS,
    adminUsers: e.ADMIN_USERS,
    developerUsers: e.DEVELOPER_USERS,
    developerUsergroup: e.DEVELOPER_USERGROUP,
    autoCloseAfterMs: clocks.autoCloseAfterMs,
    autoCloseWarningMs: clocks.autoCloseWarningMs,
    claimReleaseAfterMs: clocks.claimReleaseAfterMs,
    claimReminderMs: clocks.claimReminderMs,
    businessCalendar: clocks.calendar,
    engagementExempt: e.ENGAGEMENT_EXEMPT ?? null,
    digest: e.DIGEST_SCHEDULE && e.DIGEST_CHANNEL ? { schedule: e.DIGEST_SCHEDULE, channelId: e.DIGEST_CHANNEL } : null,
    reopenWithinMs: e.REOPEN_WITHIN,
    dedupWindowMs: e.DEDUP_WINDOW,
    autoClosePolicy: e.AUTO_CLOSE_POLICY,
    developerNudgeAfterMs: clocks.developerNudgeAfterMs,
    sweep: {
      schedule: e.SWEEP_SCHEDULE,
      timezone: e.SWEEP_TIMEZONE,
      batchSize: e.SWEEP_BATCH_SIZE,
      maxItems: e.SWEEP_MAX_ITEMS,
    },
    metricsToken: e.METRICS_TOKEN,
    agents: {
      retryCooldownMs: e.AGENT_RETRY_COOLDOWN,
      maxAttempts: e.AGENT_MAX_ATTEMPTS,
      rateLimitPerMinute: e.API_RATE_LIMIT,
    },
    sla: { critical: e.SLA_CRITICAL, high: e.SLA_HIGH, medium: e.SLA_MEDIUM, low: e.SLA_LOW },
    alertChannel: e.ALERT_CHANNEL,
    backlogAlert: e.BACKLOG_ALERT,
    logLevel: e.LOG_LEVEL,
  });
}

function withTrailingSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
