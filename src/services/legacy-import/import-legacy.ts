// npm run import: the team's old flat-file reports become bugs. Every record is validated (legacy-record.ts); a bad
// one is written to the rejects file with its position, its legacy id if any and the field errors, and the run goes
// on. Good ones are written in batches, one transaction each (the bug rows and their `bug.imported` events
// together): a crash loses at most the batch in flight, and running the import again (or again after a crash)
// imports nothing twice, because PostgreSQL's unique legacy_id decides what is there already. Imported bugs get no
// Slack thread and no Slack post, unless `channel` is given: then each open one (open, in progress, escalated) gets a
// root message queued in the outbox in its batch's transaction, which the running bot posts as a new thread in that
// channel at the channel's pace, followed by the bug's card (outbox/outbox-notifier.ts). The import itself never
// calls Slack. A bug imported earlier without a channel is queued by a re-run with one; a bug posted (or queued)
// already is never queued again.
import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { AppContext } from '../../app-context.ts';
import { NOTICE_PRIORITIES } from '../../db/entities/slack-notice.entity.ts';
import {
  existingLegacyIds,
  insertLegacyBugs,
  insertThreadRoots,
  type LegacyBugInsert,
  lockThreadlessImportedBugs,
} from '../../db/repositories/legacy-import.repository.ts';
import { UNRESOLVED_STATUSES } from '../../domain/bug-status.ts';
import { fingerprintReport } from '../../domain/fingerprint.ts';
import { type LegacyReport, legacyBugRow, legacyThreadKey, NO_SLACK_CHANNEL } from '../../domain/legacy-report.ts';
import { extractTelemetryIds, withTelemetry } from '../../domain/report-text.ts';
import { buildImportedReportPost } from '../../messages/report-post.ts';
import { describePosition, type ReadRecord, type RecordPosition, readLegacyInput } from './legacy-files.ts';
import { checkLegacyRecord, type FieldError, legacyIdIn } from './legacy-record.ts';

export type ImportOptions = {
  /** A .json or .jsonl file, or a folder of them. */
  input: string;
  dryRun?: boolean;
  batchSize?: number;
  /** Where rejected records are written, one JSON line each; null: nowhere (a dry run never writes one). */
  rejectsPath?: string | null;
  /** A channel of BUG_CHANNELS: each open imported bug is posted there as a new thread with its card. */
  channel?: string | null;
  onProgress?: (progress: ImportProgress) => void;
};

/** `--channel` names a channel bugsweep does not watch: replies there would never be read. */
export class ImportChannelError extends Error {
  constructor(channel: string, bugChannels: readonly string[]) {
    super(
      `${channel} is not one of BUG_CHANNELS (${bugChannels.join(', ') || 'none set'}): bugsweep reads replies only in those, so a thread there would never be followed. Add it to BUG_CHANNELS or pick one of them.`,
    );
    this.name = 'ImportChannelError';
  }
}

export type ImportProgress = {
  done: number;
  total: number;
  imported: number;
  alreadyPresent: number;
  rejected: number;
};

export type Rejection = { position: string; legacyId: string | null; errors: FieldError[] };

export type ImportSummary = {
  dryRun: boolean;
  read: number;
  /** In a dry run: would be imported. */
  imported: number;
  alreadyPresent: number;
  rejected: number;
  /** The first rejections (all of them are in the rejects file). */
  rejections: Rejection[];
  rejectsPath: string | null;
  /** The channel imported bugs are posted to, or null. */
  channel: string | null;
  /** Root messages queued for the running bot to post (0 in a dry run, which queues nothing). */
  threadsQueued: number;
  elapsedMs: number;
};

export const DEFAULT_BATCH_SIZE = 500;
const REJECTIONS_KEPT = 100;

type Valid = { position: RecordPosition; report: LegacyReport };

/** Reads the whole input first: a file that is not JSON at all stops here (MalformedFileError), before any write. */
export async function importLegacyReports(ctx: AppContext, options: ImportOptions): Promise<ImportSummary> {
  const started = performance.now();
  const dryRun = options.dryRun ?? false;
  const batchSize = Math.max(1, options.batchSize ?? DEFAULT_BATCH_SIZE);
  const channel = options.channel ?? null;
  if (channel !== null && !ctx.config.bugChannels.includes(channel))
    throw new ImportChannelError(channel, ctx.config.bugChannels);
  const records = readLegacyInput(options.input, options.rejectsPath ?? null);
  const rejectsPath = dryRun ? null : (options.rejectsPath ?? null);
  const rejectsFd = rejectsPath ? openSync(rejectsPath, 'w') : null;
  const summary: ImportSummary = {
    dryRun,
    read: records.length,
    imported: 0,
    alreadyPresent: 0,
    rejected: 0,
    rejections: [],
    rejectsPath,
    channel,
    threadsQueued: 0,
    elapsedMs: 0,
  };
  const reject = (rejection: Rejection) => {
    summary.rejected++;
    if (summary.rejections.length < REJECTIONS_KEPT) summary.rejections.push(rejection);
    if (rejectsFd !== null) writeSync(rejectsFd, `${JSON.stringify(rejection)}\n`);
  };
  /** Legacy ids a dry run has counted already: the second of a repeated id would be present by then. */
  const seen = new Set<string>();
  try {
    for (let start = 0; start < records.length; start += batchSize) {
      if (ctx.shutdown.aborted) break;
      const valid = checkBatch(records.slice(start, start + batchSize), reject);
      if (dryRun) {
        const present = await existingLegacyIds(
          ctx.orm.em.fork(),
          valid.map((v) => v.report.legacyId),
        );
        for (const { report } of valid) {
          if (present.has(report.legacyId) || seen.has(report.legacyId)) summary.alreadyPresent++;
          else summary.imported++;
          seen.add(report.legacyId);
        }
      } else {
        const written = await writeBatch(ctx, valid, reject, channel);
        summary.imported += written.inserted;
        summary.threadsQueued += written.threadsQueued;
        summary.alreadyPresent += valid.length - written.inserted - written.refused;
      }
      options.onProgress?.({
        done: Math.min(start + batchSize, records.length),
        total: records.length,
        imported: summary.imported,
        alreadyPresent: summary.alreadyPresent,
        rejected: summary.rejected,
      });
    }
  } finally {
    if (rejectsFd !== null) closeSync(rejectsFd);
    // No rejects file left behind by a run that rejected nothing (nor an older run's, which no longer applies).
    if (rejectsPath && summary.rejected === 0) rmSync(rejectsPath, { force: true });
  }
  if (summary.rejected === 0) summary.rejectsPath = null;
  summary.elapsedMs = performance.now() - started;
  ctx.logger.info(
    { input: options.input, dryRun, ...countsOf(summary), elapsedMs: Math.round(summary.elapsedMs) },
    'legacy import finished',
  );
  return summary;
}

function countsOf(summary: ImportSummary) {
  const { read, imported, alreadyPresent, rejected, threadsQueued } = summary;
  return { read, imported, alreadyPresent, rejected, threadsQueued };
}

function checkBatch(batch: ReadRecord[], reject: (rejection: Rejection) => void): Valid[] {
  const valid: Valid[] = [];
  for (const record of batch) {
    const position = describePosition(record.position);
    if ('unreadable' in record) {
      const legacyId = 'value' in record ? legacyIdIn(record.value) : null;
      reject({ position, legacyId, errors: [{ field: '(record)', message: record.unreadable }] });
      continue;
    }
    const checked = checkLegacyRecord(record.value);
    if (checked.ok) valid.push({ position: record.position, report: checked.report });
    else reject({ position, legacyId: checked.legacyId, errors: checked.errors });
  }
  return valid;
}

function toInsert(valid: Valid): LegacyBugInsert {
  const row = legacyBugRow(valid.report);
  const { reporter, assignee, status } = valid.report;
  return {
    ...row,
    channelId: NO_SLACK_CHANNEL,
    threadTs: legacyThreadKey(row.legacyId),
    traceId: row.telemetry.traceId,
    requestId: row.telemetry.requestId,
    releaseSha: row.telemetry.releaseSha,
    // Fingerprinted and indexed like every report, so a trace id finds it; it starts no duplicate group, though:
    // a new report linked to a bug without a Slack thread would point nowhere.
    fingerprint: fingerprintReport({ title: row.title, description: row.description })?.fingerprint ?? null,
    telemetryIds: withTelemetry(extractTelemetryIds(`${row.title}\n${row.description}`), row.telemetry),
    eventMetadata: {
      source: 'legacy_import',
      legacyId: row.legacyId,
      file: describePosition(valid.position),
      ...(status && status !== row.status ? { legacyStatus: status } : {}),
      ...(reporter && reporter !== row.reporterId ? { legacyReporter: reporter } : {}),
      ...(assignee && assignee !== row.claimantId ? { legacyAssignee: assignee } : {}),
    },
  };
}

/**
 * One transaction for the batch. Should PostgreSQL refuse it (a value it cannot store), each record is tried alone
 * in its own transaction and the one it refuses is rejected: a bad record never takes good ones with it.
 * Returns how many bugs were inserted, and how many records PostgreSQL refused (rejected already).
 */
async function writeBatch(
  ctx: AppContext,
  valid: Valid[],
  reject: (rejection: Rejection) => void,
  channel: string | null,
): Promise<{ inserted: number; refused: number; threadsQueued: number }> {
  if (valid.length === 0) return { inserted: 0, refused: 0, threadsQueued: 0 };
  const now = ctx.clock();
  const rows = valid.map(toInsert);
  const write = (tx: EntityManager, batch: LegacyBugInsert[]) =>
    insertLegacyBugs(tx, batch, now).then(async (inserted) => ({
      inserted: inserted.length,
      threadsQueued: channel ? await queueThreadRoots(tx, batch, channel, now) : 0,
    }));
  try {
    const written = await ctx.orm.em.fork().transactional((tx) => write(tx, rows));
    return { ...written, refused: 0 };
  } catch (error) {
    ctx.logger.warn({ err: error }, 'a batch of the legacy import was refused; importing its records one by one');
  }
  let inserted = 0;
  let refused = 0;
  let threadsQueued = 0;
  for (const [i, row] of rows.entries()) {
    try {
      const written = await ctx.orm.em.fork().transactional((tx) => write(tx, [row]));
      inserted += written.inserted;
      threadsQueued += written.threadsQueued;
    } catch (error) {
      refused++;
      reject({
        position: describePosition(valid[i]!.position),
        legacyId: row.legacyId,
        errors: [{ field: '(record)', message: `the database refused it: ${(error as Error).message.slice(0, 300)}` }],
      });
    }
  }
  return { inserted, refused, threadsQueued };
}

/**
 * In the batch's transaction: a root message for each of the batch's bugs that has work left (open, in progress,
 * escalated) and no Slack thread yet, whether this run inserted it or an earlier one did, unless one is queued or
 * being sent already. Bulk priority: what people wait for in the channel goes first. Returns how many were queued.
 */
async function queueThreadRoots(
  tx: EntityManager,
  batch: readonly LegacyBugInsert[],
  channel: string,
  now: Date,
): Promise<number> {
  const bugs = await lockThreadlessImportedBugs(
    tx,
    batch.map((row) => row.legacyId),
    UNRESOLVED_STATUSES,
  );
  const roots = bugs.map((bug) => ({ bugId: bug.id, payload: buildImportedReportPost(bug) }));
  return (await insertThreadRoots(tx, roots, channel, now, NOTICE_PRIORITIES.bulk)).length;
}
