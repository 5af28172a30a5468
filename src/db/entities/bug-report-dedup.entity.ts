// bug_report_dedup: one row a fingerprint shared by several reports, for grouping duplicates.
import { defineEntity, p } from '@mikro-orm/core';

/** A duplicate group: the reports sharing one fingerprint, the canonical bug they are linked to, how often and when. */
export const BugReportDedupSchema = defineEntity({
  name: 'BugReportDedup',
  tableName: 'bug_report_dedup',
  properties: {
    id: p.integer().primary(),
    fingerprint: p.text().unique(),
    canonicalBugId: p.integer(),
    /** Reports in the group, the canonical bug included. */
    occurrenceCount: p.integer().default(1),
    firstSeenAt: p.datetime().columnType('timestamptz'),
    lastSeenAt: p.datetime().columnType('timestamptz'),
  },
});

export class BugReportDedup extends BugReportDedupSchema.class {}
BugReportDedupSchema.setClass(BugReportDedup);
