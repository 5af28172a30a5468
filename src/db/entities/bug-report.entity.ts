// bug_reports: one row a bug, with its status, claim, Slack thread, SLA and the sweep's bookkeeping.
import { defineEntity, p } from '@mikro-orm/core';
import { BUG_STATUSES, CLOSE_REASONS, SEVERITIES } from '../../domain/bug-status.ts';
import { INITIAL_TURN, TURNS } from '../../domain/turn.ts';

export const BugReportSchema = defineEntity({
  name: 'BugReport',
  tableName: 'bug_reports',
  properties: {
    id: p.integer().primary(),
    ref: p.text().unique(),
    title: p.text(),
    description: p.text().default(''),
    severity: p.enum(SEVERITIES).default('medium'),
    /** Reserved, not written yet: categorising reports (issue 13) and marking duplicates (issue 14) use it. */
    category: p.text().nullable(),
    status: p.enum(BUG_STATUSES).default('open'),
    reporterId: p.text(),
    claimantId: p.text().nullable(),
    claimedAt: p.datetime().columnType('timestamptz').nullable(),
    channelId: p.text(),
    threadTs: p.text(),
    sourcePermalink: p.text().nullable(),
    /** The Slack view a modal report was submitted from: unique, so the same submission files one bug. */
    sourceViewId: p.text().nullable().unique(),
    /** The old system's id of an imported report (npm run import): unique, so no report is imported twice. */
    legacyId: p.text().nullable().unique(),
    traceId: p.text().nullable(),
    requestId: p.text().nullable(),
    releaseSha: p.text().nullable(),
    /** The canonical bug this one duplicates; set together with status `closed` and close reason `duplicate`. */
    duplicateOfId: p.integer().nullable(),
    /** The duplicate's "Looks like BUG-12" notice (with its Not a duplicate button): a split edits it. */
    duplicateNoticeId: p.bigint('number').nullable(),
    /** domain/fingerprint.ts of the title and description when filed; null when the text has too little signal. */
    fingerprint: p.text().nullable(),
    /** Filed before grouping existed: its fingerprint and telemetry ids are still to be computed (start-up backfill). */
    fingerprintBackfillDue: p.boolean().default(false),
    createdAt: p.datetime().columnType('timestamptz'),
    updatedAt: p.datetime().columnType('timestamptz'),
    resolvedAt: p.datetime().columnType('timestamptz').nullable(),
    closedAt: p.datetime().columnType('timestamptz').nullable(),
    /** `duplicate`: linked to duplicateOfId (never swept, like every closed bug). */
    closeReason: p.enum(CLOSE_REASONS).nullable(),
    /** Last reporter/developer activity (or creation): kept in step with bug_conversations so the sweep never aggregates. */
    lastActivityAt: p.datetime().columnType('timestamptz(3)'),
    claimantLastActivityAt: p.datetime().columnType('timestamptz(3)').nullable(),
    /** When the current inactivity warning was issued; cleared by reporter/developer activity. */
    warnedAt: p.datetime().columnType('timestamptz').nullable(),
    /** The outbox notice carrying that warning: its sent_at is when the warning became visible. */
    warningNoticeId: p.bigint('number').nullable(),
    /** The close time the warning announced; the sweep never closes earlier. */
    autoCloseAt: p.datetime().columnType('timestamptz').nullable(),
    remindedAt: p.datetime().columnType('timestamptz').nullable(),
    /** The release time the claim reminder stated; the sweep never releases the claim before it. */
    claimReleaseAt: p.datetime().columnType('timestamptz').nullable(),
    reminderNoticeId: p.bigint('number').nullable(),
    /** Whose turn it is (domain/turn.ts), kept with each message like lastActivityAt. */
    turn: p.enum(TURNS).default(INITIAL_TURN),
    /** When the current turn began; a new bug's is its creation (a trigger fills it in when an insert leaves it out). */
    turnSince: p
      .datetime()
      .columnType('timestamptz(3)')
      .onCreate((bug: { createdAt: Date }) => bug.createdAt),
    /** The one nudge of the current developers' turn (DEVELOPER_NUDGE_AFTER), and the notice that posted it. */
    nudgedAt: p.datetime().columnType('timestamptz').nullable(),
    nudgeNoticeId: p.bigint('number').nullable(),
    /** ENGAGEMENT_EXEMPT: distinct users who reacted to the root message, and bystanders affected too. */
    reactors: p.integer().default(0),
    affectedReporters: p.integer().default(0),
    /** A follow-up's bug: filed from a late reply in that bug's thread (unique: one follow-up per bug). */
    followUpOf: p.integer().nullable(),
    /** When the thread was marked as possibly missing replies (posted while the bot was down or could not store
     * them); cleared once it has been read back from Slack. The sweep leaves such a bug alone. */
    catchUpDueAt: p.datetime().columnType('timestamptz').nullable(),
    cardTs: p.text().nullable(),
    /** Where the report came from: Slack (any of its three ways in), or the agent API (`agent`, `system`). */
    source: p.enum(['slack', 'agent', 'system'] as const).default('slack'),
    /** The resolution note and the fix (commit SHA or pull request link) of the latest resolution. */
    resolutionNote: p.text().nullable(),
    resolutionLink: p.text().nullable(),
    /** Kept out of the agents' work queue by a developer or an admin. */
    automationOptOut: p.boolean().default(false),
    /** Agents that gave up on it; after AGENT_MAX_ATTEMPTS it is left to people. */
    agentAttempts: p.integer().default(0),
    /** Not handed to an agent again before this (AGENT_RETRY_COOLDOWN after an agent gave up). */
    agentRetryAfter: p.datetime().columnType('timestamptz').nullable(),
    /** The SLA clock (domain/sla.ts): when it started (intake or reopen) and the due time; null while stopped. */
    slaStartedAt: p.datetime().columnType('timestamptz').nullable(),
    slaDueAt: p.datetime().columnType('timestamptz').nullable(),
    /** The due time whose breach was announced: once per bug and due time. */
    slaBreachNotifiedFor: p.datetime().columnType('timestamptz').nullable(),
    version: p.integer().version(),
  },
  uniques: [{ properties: ['channelId', 'threadTs'], name: 'bug_reports_channel_thread_unique' }],
});

export class BugReport extends BugReportSchema.class {}
BugReportSchema.setClass(BugReport);
