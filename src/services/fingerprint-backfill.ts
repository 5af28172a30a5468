// Bugs filed before grouping existed: their fingerprint (domain/fingerprint.ts) and the telemetry ids their report
// and thread mention (bug_telemetry) are computed once, at start-up, in the background, in batches. The migration
// marked them (bug_reports.fingerprint_backfill_due); each batch is taken with `for update skip locked` and written
// back in the same transaction, so replicas starting at once share the work and no bug is done twice, and a process
// stopped part-way leaves the rest marked for the next start. An open bug with a Slack thread whose fingerprint has
// no group yet starts one, so a new report of the same crash is linked to it (within DEDUP_WINDOW of its filing,
// like any group); old bugs are never linked to each other.
import type { AppContext } from '../app-context.ts';
import {
  anyBackfillDue,
  type BackfillResult,
  takeBackfillBatch,
  writeBackfillBatch,
} from '../db/repositories/fingerprint-backfill.repository.ts';
import { UNRESOLVED_STATUSES } from '../domain/bug-status.ts';
import { fingerprintReport } from '../domain/fingerprint.ts';
import { extractTelemetryIds, withTelemetry } from '../domain/report-text.ts';

export type BackfillSummary = { bugs: number; fingerprinted: number; telemetryIds: number; groups: number };

export const BACKFILL_BATCH = 500;

/** Works the marks off until none is left (or the process shuts down). */
export async function backfillFingerprints(
  ctx: AppContext,
  options: { batchSize?: number } = {},
): Promise<BackfillSummary> {
  const batchSize = options.batchSize ?? BACKFILL_BATCH;
  const summary: BackfillSummary = { bugs: 0, fingerprinted: 0, telemetryIds: 0, groups: 0 };
  if (!(await anyBackfillDue(ctx.orm.em.fork()))) return summary;
  while (!ctx.shutdown.aborted) {
    const done = await ctx.orm.em.fork().transactional(async (tx) => {
      const batch = await takeBackfillBatch(tx, batchSize);
      const results: BackfillResult[] = batch.map((bug) => {
        const fingerprint = fingerprintReport({ title: bug.title, description: bug.description });
        // As the intake indexes them: the report's text and its fields, then each reply (thread-messages.ts).
        const ids = withTelemetry(extractTelemetryIds(`${bug.title}\n${bug.description}`), bug);
        for (const reply of bug.replies) {
          const more = extractTelemetryIds(reply);
          ids.traceIds.push(...more.traceIds.filter((id) => !ids.traceIds.includes(id)));
          ids.requestIds.push(...more.requestIds.filter((id) => !ids.requestIds.includes(id)));
          ids.releaseShas.push(...more.releaseShas.filter((id) => !ids.releaseShas.includes(id)));
        }
        return { id: bug.id, fingerprint: fingerprint?.fingerprint ?? null, telemetryIds: ids };
      });
      const written = await writeBackfillBatch(tx, results, UNRESOLVED_STATUSES);
      summary.bugs += batch.length;
      summary.fingerprinted += results.filter((r) => r.fingerprint).length;
      summary.telemetryIds += written.telemetryIds;
      summary.groups += written.groups;
      return batch.length < batchSize;
    });
    if (done) break;
  }
  if (summary.bugs > 0) ctx.logger.info(summary, 'fingerprinted and indexed bugs filed before grouping existed');
  return summary;
}
