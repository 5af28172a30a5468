// An operator's one glance at the backlog:
//   npm run status [-- --json] [--sort created|due]
// Counts by status and severity, the oldest open bugs (or with --sort due, the open bugs soonest due first), orphaned claims, what the next sweep will warn or close,
// the last sweep runs, the outbox, and the duplicate groups with the most occurrences. Reads only; `--json` prints
// the same as JSON for scripts. Same settings and database as the bot.
import { Command, Option } from 'commander';
import { BUG_STATUSES, SEVERITIES, STATUS_LABELS } from '../domain/bug-status.ts';
import { formatDuration } from '../domain/duration.ts';
import { formatMoment } from '../domain/time-format.ts';
import { type BacklogStatus, backlogStatus, STATUS_SORTS, type StatusSort } from '../services/backlog-status.ts';
import { plainTable, withContext } from './cli-context.ts';

function section(title: string, head: string[], rows: string[][], empty: string): string {
  if (rows.length === 0) return `${title}: ${empty}\n`;
  return `${title} (${rows.length})\n${plainTable(head, rows)}\n`;
}

const short = (title: string) => (title.length > 50 ? `${title.slice(0, 49)}…` : title);

function renderStatus(status: BacklogStatus, timeZone: string): string {
  const when = (iso: string | null) => (iso ? formatMoment(new Date(iso), timeZone) : '');
  const now = Date.parse(status.generatedAt);
  const due = (iso: string) => {
    const late = now - Date.parse(iso);
    return late > 0 ? ` (overdue ${formatDuration(late)})` : '';
  };
  const { counts } = status;
  const countRows = BUG_STATUSES.map((s) => [
    STATUS_LABELS[s],
    ...SEVERITIES.map((severity) => String(counts.by[s][severity])),
    String(counts.byStatus[s]),
  ]);
  countRows.push(['All', ...SEVERITIES.map((severity) => String(counts.bySeverity[severity])), String(counts.total)]);
  const parts = [
    `Backlog as of ${when(status.generatedAt)}\n`,
    `Bugs by status and severity (${counts.total} in all)\n${plainTable(['status', ...SEVERITIES, 'all'], countRows)}\n`,
    section(
      status.oldestOpenSort === 'due' ? 'Open bugs, soonest due first' : 'Oldest open bugs',
      ['bug', 'title', 'status', 'severity', 'age', 'due', 'claimed by', 'where'],
      status.oldestOpen.map((bug) => [
        bug.ref,
        short(bug.title),
        bug.status,
        bug.severity,
        formatDuration(bug.ageMs),
        bug.slaDueAt ? `${when(bug.slaDueAt)}${due(bug.slaDueAt)}` : '',
        bug.claimantId ?? '',
        bug.inSlack ? 'Slack' : `imported ${bug.legacyId ?? ''}, no thread`.replace(' ,', ','),
      ]),
      'none',
    ),
    section(
      'Orphaned claims',
      ['bug', 'title', 'claimed by', 'quiet for'],
      status.orphanedClaims.map((c) => [c.ref, short(c.title), c.claimantId, formatDuration(c.idleMs)]),
      'none',
    ),
    status.nextSweep.paused ? 'The sweep is paused: it warns and closes nothing until it is resumed.\n' : '',
    section(
      'The next sweep will warn',
      ['bug', 'title', 'status', 'quiet for', 'would close'],
      status.nextSweep.warn.map((b) => [b.ref, short(b.title), b.status, formatDuration(b.idleMs), when(b.closesAt)]),
      'none',
    ),
    section(
      'The next sweep will close',
      ['bug', 'title', 'status', 'quiet for'],
      status.nextSweep.close.map((b) => [b.ref, short(b.title), b.status, formatDuration(b.idleMs)]),
      'none',
    ),
    status.nextSweep.truncated ? '(only the oldest sweep candidates were looked at)\n' : '',
    section(
      'Last sweep runs',
      ['run', 'trigger', 'status', 'started', 'took', 'warned', 'closed', 'reminded', 'released', 'failed', 'note'],
      status.sweepRuns.map((run) => [
        `#${run.id}${run.dryRun ? ' (dry run)' : ''}`,
        run.trigger,
        run.status,
        when(run.startedAt),
        run.finishedAt ? formatDuration(Date.parse(run.finishedAt) - Date.parse(run.startedAt)) : '',
        ...[run.warned, run.closed, run.reminded, run.released, run.failed].map(String),
        short(run.note ?? ''),
      ]),
      'none yet',
    ),
    `Outbox\n${plainTable(
      ['pending', 'failed', 'oldest pending'],
      [
        [
          String(status.outbox.pending),
          String(status.outbox.failed),
          status.outbox.oldestPendingAgeMs === null ? '' : `${formatDuration(status.outbox.oldestPendingAgeMs)} old`,
        ],
      ],
    )}\n`,
    section(
      'Duplicate groups with the most occurrences',
      ['bug', 'title', 'status', 'occurrences', 'last seen'],
      status.duplicateGroups.map((g) => [g.ref, short(g.title), g.status, String(g.occurrences), when(g.lastSeenAt)]),
      'none',
    ),
  ];
  return parts.filter(Boolean).join('\n');
}

const program = new Command()
  .name('npm run status --')
  .description('One glance at the backlog: counts, oldest open bugs, claims, the next sweep, runs, outbox, duplicates.')
  .option('--json', 'print the same as JSON, for scripts')
  .addOption(
    new Option('--sort <order>', 'order of the open bugs: created (oldest first) or due (SLA due time, soonest first)')
      .choices(STATUS_SORTS)
      .default('created'),
  )
  .showHelpAfterError()
  .action(async (options: { json?: boolean; sort: StatusSort }) => {
    await withContext(async (ctx) => {
      const status = await backlogStatus(ctx, { sort: options.sort });
      process.stdout.write(
        options.json ? `${JSON.stringify(status, null, 2)}\n` : renderStatus(status, ctx.config.sweep.timezone),
      );
    });
  });

await program.parseAsync(process.argv);
