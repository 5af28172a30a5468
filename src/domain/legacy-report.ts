// The team's old flat-file bug reports, as bugsweep keeps them: the words the old system used for severities and
// statuses, the names its fields went by, and how one old report becomes a bug row. Pure: the import service
// (services/legacy-import/) reads the files, validates each record with zod and calls these.
import type { BugStatus, CloseReason, Severity } from './bug-status.ts';
import { MAX_TITLE_LENGTH, type Telemetry, truncate } from './report-text.ts';

/**
 * An imported bug without a Slack thread (no `--channel`) keeps the table's NOT NULL channel and thread columns
 * with this empty channel and a thread key of its own (`legacy:<id>`): nothing is ever posted for it, and the
 * sweep leaves it alone (there is no thread to warn in, and the sweep never closes a bug unwarned).
 */
export const NO_SLACK_CHANNEL = '';

export function legacyThreadKey(legacyId: string): string {
  return `legacy:${legacyId}`;
}

/**
 * The name an imported reporter went by in the old system when it was no Slack user id (`legacy:<name>`,
 * legacyBugRow), so messages name them instead of mentioning nobody; null for everyone else.
 */
export function legacyNameOf(personId: string): string | null {
  return personId.startsWith('legacy:') ? personId.slice('legacy:'.length) : null;
}

/** False for an imported bug that is not posted to Slack. */
export function hasSlackThread(bug: { channelId: string }): boolean {
  return bug.channelId !== NO_SLACK_CHANNEL;
}

/**
 * The canonical fields and the names old records use for them. Keys are compared after lower-casing and removing
 * `_`, `-`, `.` and spaces, so `created_at`, `createdAt` and `Created At` are one name.
 */
export const LEGACY_FIELD_ALIASES = {
  id: ['id', 'legacyid', 'bugid', 'issueid', 'ticketid', 'key', 'number', 'uuid'],
  title: ['title', 'summary', 'subject', 'name', 'headline'],
  description: ['description', 'body', 'details', 'text', 'desc', 'content', 'message'],
  severity: ['severity', 'priority', 'sev', 'level', 'urgency'],
  status: ['status', 'state', 'resolution'],
  reporter: ['reporter', 'reporterid', 'reportedby', 'author', 'createdby', 'user', 'submitter', 'opener'],
  assignee: ['assignee', 'assigneeid', 'assignedto', 'owner', 'claimant', 'claimedby'],
  createdAt: ['createdat', 'created', 'createdon', 'openedat', 'opened', 'reportedat', 'date', 'timestamp', 'ts'],
  updatedAt: ['updatedat', 'updated', 'updatedon', 'modifiedat', 'modified', 'lastupdated', 'lastactivityat'],
  resolvedAt: ['resolvedat', 'resolved', 'closedat', 'closed', 'fixedat', 'fixed', 'doneat'],
  traceId: ['traceid', 'trace'],
  requestId: ['requestid', 'reqid', 'xrequestid', 'request'],
  releaseSha: ['releasesha', 'sha', 'commit', 'commitsha', 'gitsha', 'revision', 'release'],
} as const;
export type LegacyField = keyof typeof LEGACY_FIELD_ALIASES;

export function normaliseFieldName(name: string): string {
  return name.toLowerCase().replace(/[\s_.-]+/g, '');
}

const ALIAS_TO_FIELD = new Map<string, LegacyField>(
  Object.entries(LEGACY_FIELD_ALIASES).flatMap(([field, aliases]) =>
    aliases.map((alias) => [alias, field as LegacyField] as const),
  ),
);

/** Keys repeat in every record of a file: each is looked up once (a bounded cache, so odd files cannot grow it). */
const keyCache = new Map<string, LegacyField | null>();
function fieldOfKey(key: string): LegacyField | null {
  let field = keyCache.get(key);
  if (field === undefined) {
    field = ALIAS_TO_FIELD.get(normaliseFieldName(key)) ?? null;
    if (keyCache.size < 10_000) keyCache.set(key, field);
  }
  return field;
}

/**
 * The record's values under their canonical names: the first alias present wins, in the order the record lists
 * its keys, and keys bugsweep does not know are left out.
 */
export function canonicalFields(record: Record<string, unknown>): Partial<Record<LegacyField, unknown>> {
  const fields: Partial<Record<LegacyField, unknown>> = {};
  for (const [key, value] of Object.entries(record)) {
    const field = fieldOfKey(key);
    if (field && !(field in fields) && value !== null && value !== undefined && value !== '') fields[field] = value;
  }
  return fields;
}

const SEVERITY_WORDS: Record<string, Severity> = {
  low: 'low',
  minor: 'low',
  trivial: 'low',
  cosmetic: 'low',
  p3: 'low',
  p4: 'low',
  sev3: 'low',
  sev4: 'low',
  '3': 'low',
  '4': 'low',
  medium: 'medium',
  normal: 'medium',
  moderate: 'medium',
  med: 'medium',
  p2: 'medium',
  sev2: 'medium',
  '2': 'medium',
  high: 'high',
  major: 'high',
  important: 'high',
  p1: 'high',
  sev1: 'high',
  '1': 'high',
  critical: 'critical',
  crit: 'critical',
  blocker: 'critical',
  urgent: 'critical',
  p0: 'critical',
  sev0: 'critical',
  '0': 'critical',
};

/** The old system's severity or priority word, or null when it is none bugsweep knows. */
export function legacySeverity(value: string | number): Severity | null {
  return SEVERITY_WORDS[normaliseFieldName(String(value))] ?? null;
}

const STATUS_WORDS: Record<string, BugStatus> = {
  open: 'open',
  new: 'open',
  todo: 'open',
  triage: 'open',
  reported: 'open',
  reopened: 'open',
  backlog: 'open',
  inprogress: 'in_progress',
  started: 'in_progress',
  doing: 'in_progress',
  wip: 'in_progress',
  assigned: 'in_progress',
  claimed: 'in_progress',
  resolved: 'resolved',
  fixed: 'resolved',
  done: 'resolved',
  closed: 'closed',
  wontfix: 'closed',
  "won'tfix": 'closed',
  invalid: 'closed',
  duplicate: 'closed',
  rejected: 'closed',
  cancelled: 'closed',
  canceled: 'closed',
  escalated: 'escalated',
  blocked: 'escalated',
};

/** The old system's status word, or null when it is none bugsweep knows. */
export function legacyStatus(value: string): BugStatus | null {
  return STATUS_WORDS[normaliseFieldName(value)] ?? null;
}

/** A Slack user id as the old system may have stored it (`U0123ABCD`, `<@U0123ABCD>`), or null. */
export function slackUserIdIn(value: string): string | null {
  const id = /^<?@?([UW][A-Z0-9]{2,})(?:\|[^>]*)?>?$/.exec(value.trim())?.[1];
  return id ?? null;
}

/** A validated old report, every field under its canonical name. */
export type LegacyReport = {
  legacyId: string;
  title: string;
  description: string;
  severity: Severity | null;
  status: BugStatus | null;
  /** As the old system named the person: a Slack user id, an email, a name. */
  reporter: string | null;
  assignee: string | null;
  createdAt: Date;
  updatedAt: Date | null;
  resolvedAt: Date | null;
  telemetry: Telemetry;
};

/** The bug row an old report becomes (ids, refs and the Slack thread are the import's to add). */
export type LegacyBugRow = {
  legacyId: string;
  title: string;
  description: string;
  severity: Severity;
  status: BugStatus;
  reporterId: string;
  claimantId: string | null;
  claimedAt: Date | null;
  createdAt: Date;
  lastActivityAt: Date;
  resolvedAt: Date | null;
  closedAt: Date | null;
  closeReason: CloseReason | null;
  telemetry: Telemetry;
};

/**
 * - Severity defaults to medium. A reporter that is not a Slack user id is kept as `legacy:<name>` (nobody to
 *   mention), a missing one as `legacy:unknown`.
 * - The last activity is the old record's last update (never before its creation): an old, idle bug looks as idle
 *   as it is, and the sweep warns it first like any other.
 * - In progress (or escalated) keeps its claim only when the assignee is a Slack user id; an in-progress report
 *   without one comes back open, so no claim without a claimant exists.
 * - Resolved and closed keep their time (the resolved time, else the last update); closed ones are closed `manual`.
 * - Claimed bugs count the claimant's last activity from the last update (claimant_last_activity_at).
 */
export function legacyBugRow(report: LegacyReport): LegacyBugRow {
  const reporterSlackId = report.reporter ? slackUserIdIn(report.reporter) : null;
  const assigneeSlackId = report.assignee ? slackUserIdIn(report.assignee) : null;
  const updated =
    report.updatedAt && report.updatedAt.getTime() > report.createdAt.getTime() ? report.updatedAt : report.createdAt;
  let status = report.status ?? 'open';
  const claimable = status === 'in_progress' || status === 'escalated';
  if (status === 'in_progress' && !assigneeSlackId) status = 'open';
  const finishedAt = report.resolvedAt ?? updated;
  return {
    legacyId: report.legacyId,
    title: truncate(report.title.replace(/\s+/g, ' ').trim(), MAX_TITLE_LENGTH),
    description: report.description,
    severity: report.severity ?? 'medium',
    status,
    reporterId: reporterSlackId ?? `legacy:${report.reporter ?? 'unknown'}`,
    claimantId: claimable && assigneeSlackId ? assigneeSlackId : null,
    claimedAt: claimable && assigneeSlackId ? updated : null,
    createdAt: report.createdAt,
    lastActivityAt: updated,
    resolvedAt: status === 'resolved' ? finishedAt : status === 'closed' ? report.resolvedAt : null,
    closedAt: status === 'closed' ? finishedAt : null,
    closeReason: status === 'closed' ? 'manual' : null,
    telemetry: report.telemetry,
  };
}
