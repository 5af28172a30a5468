// The sweep for operators without Slack access:
//   npm run sweep -- preview            what the next sweep would do (reads only)
//   npm run sweep -- run [--dry-run]    one sweep now, recorded with trigger "cli"; prints what it did
// Same settings (.env / environment) and database as the bot; with the embedded database it uses the server the
// running bot started, or starts one itself.
import Table from 'cli-table3';
import { Command } from 'commander';
import type { AppContext } from '../app-context.ts';
import { formatDuration } from '../domain/duration.ts';
import { formatMoment } from '../domain/time-format.ts';
import { type PreviewEntry, previewSweep } from '../services/sweep/sweep-control.ts';
import { runSweep } from '../services/sweep/sweep-runner.ts';
import { table, withContext } from './cli-context.ts';

/** Closing hundreds of bugs in one channel takes minutes at Slack's pace; the bot finishes what is left. */
const NOTICE_FLUSH_LIMIT_MS = 5 * 60_000;

function previewTables(ctx: AppContext, preview: Awaited<ReturnType<typeof previewSweep>>): string {
  const tz = ctx.config.sweep.timezone;
  const when = (date: Date | null) => (date ? formatMoment(date, tz) : '');
  const base = (entry: PreviewEntry) => [entry.bug.ref, entry.bug.title.slice(0, 50), entry.bug.status];
  const parts = [
    table(
      'Stale bugs',
      ['bug', 'title', 'status', 'quiet', 'last reporter/developer activity', 'closes', 'note'],
      preview.stale.map((e) => [
        ...base(e),
        formatDuration(e.idleMs),
        when(e.lastActivityAt),
        when(e.when),
        e.note ?? '',
      ]),
    ),
    table(
      'Would be warned now',
      ['bug', 'title', 'status', 'quiet', 'would close'],
      preview.warn.map((e) => [...base(e), formatDuration(e.idleMs), when(e.when)]),
    ),
    table(
      'Would be closed now',
      ['bug', 'title', 'status', 'quiet'],
      preview.close.map((e) => [...base(e), formatDuration(e.idleMs)]),
    ),
    table(
      'Claims to remind',
      ['bug', 'title', 'status', 'claimant', 'quiet', 'released'],
      preview.remind.map((e) => [...base(e), e.bug.claimantId ?? '', formatDuration(e.idleMs), when(e.when)]),
    ),
    table(
      'Claims to release',
      ['bug', 'title', 'status', 'claimant', 'quiet'],
      preview.release.map((e) => [...base(e), e.bug.claimantId ?? '', formatDuration(e.idleMs)]),
    ),
  ].filter(Boolean);
  const header = `What the next sweep would do (as of ${formatMoment(preview.now, tz)}):\n`;
  return (
    header +
    (parts.length > 0 ? parts.join('\n') : 'Nothing is stale, and every claim is active.\n') +
    (preview.truncated ? '(only the oldest candidates are shown)\n' : '')
  );
}

const program = new Command()
  .name('npm run sweep --')
  .description('Preview or run the bugsweep sweep without Slack access.')
  .showHelpAfterError();

program
  .command('preview')
  .description('show what the next sweep would warn, close, remind and release (changes nothing)')
  .action(async () => {
    await withContext(async (ctx) => process.stdout.write(previewTables(ctx, await previewSweep(ctx))));
  });

program
  .command('run')
  .description('run one sweep now (recorded with trigger "cli"), then send the notices it owes')
  .option('--dry-run', 'decide everything, change nothing, post nothing')
  .action(async (options: { dryRun?: boolean }) => {
    await withContext(async (ctx) => {
      const dryRun = options.dryRun ?? false;
      const result = await runSweep(ctx, { trigger: 'cli', dryRun });
      if (result.kind !== 'ran') {
        process.stdout.write(
          `The sweep did not run: ${result.kind === 'skipped' ? result.reason : 'another replica is running it'}.\n`,
        );
        process.exitCode = 2;
        return;
      }
      const counts = new Table({
        head: ['warned', 'closed', 'reminded', 'released', 'failed'],
        style: { head: [], border: [] },
      });
      const c = result.counts;
      counts.push([c.warned, c.closed, c.reminded, c.released, c.failed].map(String));
      process.stdout.write(
        `${dryRun ? `Dry run #${result.runId} (nothing changed, nothing posted) would have:` : `Sweep run #${result.runId}:`}\n${counts.toString()}\n`,
      );
      process.stdout.write(
        table(
          dryRun ? 'Would act on' : 'Acted on',
          ['bug', 'action'],
          result.items.map((item) => [item.ref, item.action]),
        ),
      );
      if (result.budgetExhausted)
        process.stdout.write('The per-run budget (SWEEP_MAX_ITEMS) ran out; the next run continues.\n');
      if (!dryRun && result.items.length > 0) {
        // The notices are in the outbox already: send them (paced per channel), the running bot sends any left.
        const left = await ctx.notifier.flush(NOTICE_FLUSH_LIMIT_MS);
        process.stdout.write(
          left === 0 ? 'All notices sent to Slack.\n' : `${left} notices still queued; the running bot sends them.\n`,
        );
      }
      if (c.failed > 0) process.exitCode = 1;
    });
  });

await program.parseAsync(process.argv);
