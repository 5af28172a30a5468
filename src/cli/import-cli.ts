// The team's old flat-file reports into bugsweep:
//   npm run import -- <file.json | file.jsonl | folder> [--dry-run] [--batch-size 500] [--channel C…] [--rejects FILE]
// Same settings and database as the bot. Prints a progress bar on a terminal (a plain progress line otherwise) and a
// summary table: read, imported, already present, rejected. Exit code 0 when every record was imported or already
// there, 1 when some were rejected (see the rejects file), 2 when the input could not be read at all (or --channel
// is not one of BUG_CHANNELS, or --rejects names the input). With --channel, each open imported bug gets a root message queued in the outbox: the
// running bot posts them (this command never calls Slack), one channel post at a time at Slack's pace, each
// followed by the bug's card in its new thread.
import { Command, InvalidArgumentError } from 'commander';
import {
  DEFAULT_BATCH_SIZE,
  ImportChannelError,
  type ImportProgress,
  type ImportSummary,
  importLegacyReports,
} from '../services/legacy-import/import-legacy.ts';
import { MalformedFileError, RejectsFileIsInputError } from '../services/legacy-import/legacy-files.ts';
import { plainTable, table, withContext } from './cli-context.ts';

const DEFAULT_REJECTS = 'legacy-import-rejects.jsonl';

function positiveInteger(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1 || parsed > 10_000)
    throw new InvalidArgumentError('expected a whole number from 1 to 10000');
  return parsed;
}

function channelId(value: string): string {
  if (!/^[CG][A-Z0-9]{2,}$/.test(value))
    throw new InvalidArgumentError('expected a Slack channel ID such as C0123ABCD');
  return value;
}

/** A bar that redraws itself on a terminal; elsewhere a plain line at most once a second, and the last one. */
function progressPrinter(stream: NodeJS.WriteStream): (progress: ImportProgress) => void {
  let lastLine = 0;
  const started = performance.now();
  return (p) => {
    const rate = Math.round(p.done / Math.max((performance.now() - started) / 1000, 0.001));
    const counts = `${p.done}/${p.total} records, ${rate}/s (imported ${p.imported}, already present ${p.alreadyPresent}, rejected ${p.rejected})`;
    if (stream.isTTY) {
      const width = 30;
      const filled = p.total === 0 ? width : Math.round((p.done / p.total) * width);
      const percent = p.total === 0 ? 100 : Math.floor((p.done / p.total) * 100);
      stream.write(`\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(percent).padStart(3)}% ${counts}`);
      if (p.done === p.total) stream.write('\n');
      return;
    }
    const now = performance.now();
    if (p.done === p.total || now - lastLine >= 1_000) {
      lastLine = now;
      stream.write(`import: ${counts}\n`);
    }
  };
}

function summaryText(summary: ImportSummary): string {
  const head = ['read', summary.dryRun ? 'would import' : 'imported', 'already present', 'rejected'];
  const counts = [summary.read, summary.imported, summary.alreadyPresent, summary.rejected].map(String);
  const seconds = summary.elapsedMs / 1000;
  const lines = [
    summary.dryRun ? 'Dry run (nothing was written):' : `Imported in ${seconds.toFixed(1)} s:`,
    plainTable(head, [counts]),
  ];
  if (summary.channel) {
    lines.push(
      summary.dryRun
        ? `Dry run: no root messages queued for ${summary.channel}.`
        : `${summary.threadsQueued} root message${summary.threadsQueued === 1 ? '' : 's'} queued for ${summary.channel}: the running bot posts each open imported bug there as a new thread with its card, at the channel's pace (about one post a second).`,
    );
  }
  if (summary.rejected > 0) {
    lines.push(
      table(
        'Rejected records',
        ['position', 'legacy id', 'errors'],
        summary.rejections.map((r) => [
          r.position,
          r.legacyId ?? '',
          r.errors.map((e) => `${e.field}: ${e.message}`).join('; '),
        ]),
      ).trimEnd(),
    );
    if (summary.rejections.length < summary.rejected)
      lines.push(`(the first ${summary.rejections.length} of ${summary.rejected} are shown)`);
    if (summary.rejectsPath) lines.push(`Every rejected record, with its field errors: ${summary.rejectsPath}`);
  }
  return `${lines.join('\n')}\n`;
}

const program = new Command()
  .name('npm run import --')
  .description(
    "Import the old flat-file bug reports (a JSON array, JSON lines, or a folder of .json/.jsonl files). Each record's id from the old system is kept: importing again imports nothing twice.",
  )
  .argument('<input>', 'file.json, file.jsonl or a folder of them')
  .option('--dry-run', 'validate and report everything, write nothing')
  .option('--batch-size <n>', 'records per transaction', positiveInteger, DEFAULT_BATCH_SIZE)
  .option('--channel <id>', 'post each open imported bug to this channel as a new thread with its card', channelId)
  .option('--rejects <file>', 'where rejected records are written (JSON lines)', DEFAULT_REJECTS)
  .showHelpAfterError()
  .action(
    async (input: string, options: { dryRun?: boolean; batchSize: number; channel?: string; rejects: string }) => {
      await withContext(async (ctx) => {
        try {
          const summary = await importLegacyReports(ctx, {
            input,
            dryRun: options.dryRun ?? false,
            batchSize: options.batchSize,
            rejectsPath: options.rejects,
            channel: options.channel ?? null,
            onProgress: progressPrinter(process.stderr),
          });
          process.stdout.write(summaryText(summary));
          if (summary.rejected > 0) process.exitCode = 1;
        } catch (error) {
          if (error instanceof ImportChannelError || error instanceof RejectsFileIsInputError) {
            process.stderr.write(`Nothing was imported: ${error.message}\n`);
            process.exitCode = 2;
            return;
          }
          const code = (error as NodeJS.ErrnoException).code;
          if (error instanceof MalformedFileError || code === 'ENOENT' || code === 'EISDIR' || code === 'EACCES') {
            process.stderr.write(`Nothing was imported: ${(error as Error).message}\n`);
            process.exitCode = 2;
            return;
          }
          throw error;
        }
      });
    },
  );

await program.parseAsync(process.argv);
