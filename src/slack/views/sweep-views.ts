// What admins see of the sweep: the preview (/bugs stale), the orphaned-claims confirmation (/bugs release),
// run summaries and status (/bugs sweep). Pure builders over the sweep services' results.
import type { ModalView } from '@slack/types';
import { formatDuration } from '../../domain/duration.ts';
import {
  capText,
  escapeMrkdwn,
  LIMITS,
  message,
  modalText,
  type SlackMessage,
  section,
  textMessage,
} from '../../messages/blocks.ts';
import { slackMoment } from '../../messages/date-token.ts';
import { SLASH_COMMAND, VIEWS } from '../../messages/ids.ts';
import { linkedRef, mentionClaimant } from '../../messages/mentions.ts';
import type { OrphanedClaim, ReleaseResult } from '../../services/sweep/orphaned-claims.ts';
import type { PreviewEntry, SweepPreview, SweepStatus } from '../../services/sweep/sweep-control.ts';
import type { SweepResult } from '../../services/sweep/sweep-runner.ts';
import type { EffectiveSchedule, ScheduleAnswer } from '../../services/sweep/sweep-schedule.ts';
import type { ScheduleProblem } from '../../services/sweep/sweep-slots.ts';

const MAX_LINES = 10;

type Linked = { threadLinkFor(bug: { channelId: string; threadTs: string }): string | null };

function bugLink(entry: PreviewEntry, links: Linked): string {
  return linkedRef(entry.bug.ref, links.threadLinkFor(entry.bug));
}

/**
 * A titled list of at most MAX_LINES whole lines in one section, "…and N more" for the rest. Lines stop early
 * when the next would not fit (the date tokens make lines long), so no line is ever cut off.
 */
function list(title: string, entries: PreviewEntry[], line: (entry: PreviewEntry) => string): string | null {
  if (entries.length === 0) return null;
  const head = `*${title}* (${entries.length})`;
  const moreLine = (n: number) => `\n• …and ${n} more`;
  const room = LIMITS.section - moreLine(entries.length).length;
  let text = head;
  let shown = 0;
  for (const entry of entries.slice(0, MAX_LINES)) {
    const next = `${text}\n• ${line(entry)}`;
    if (next.length > room && shown > 0) break;
    text = next;
    shown += 1;
  }
  return shown < entries.length ? `${text}${moreLine(entries.length - shown)}` : text;
}

export function buildSweepPreview(
  preview: SweepPreview,
  options: Linked & { timeZone: string; paused: boolean },
): SlackMessage {
  const tz = options.timeZone;
  const idle = (entry: PreviewEntry) =>
    `quiet ${formatDuration(entry.idleMs)} (last from reporter/developer ${slackMoment(entry.lastActivityAt, tz)})`;
  const parts = [
    list(
      'Stale',
      preview.stale,
      (e) =>
        `${bugLink(e, options)} ${escapeMrkdwn(e.bug.title)}, ${idle(e)}${e.note ? `; ${e.note}` : ''}${e.when ? `, closes ${slackMoment(e.when, tz)}` : ''}`,
    ),
    list(
      'Would be warned now',
      preview.warn,
      (e) => `${bugLink(e, options)} ${idle(e)}; would close ${slackMoment(e.when!, tz)}`,
    ),
    list('Would be closed now', preview.close, (e) => `${bugLink(e, options)} ${idle(e)}`),
    list(
      'Claims to remind',
      preview.remind,
      (e) =>
        `${bugLink(e, options)} ${mentionClaimant(e.bug.claimantId ?? '')} quiet ${formatDuration(e.idleMs)}; released ${slackMoment(e.when!, tz)}`,
    ),
    list(
      'Claims to release',
      preview.release,
      (e) => `${bugLink(e, options)} ${mentionClaimant(e.bug.claimantId ?? '')} quiet ${formatDuration(e.idleMs)}`,
    ),
  ].filter((part): part is string => part !== null);
  const header = `*What the next sweep would do* (as of ${slackMoment(preview.now, tz)})${options.paused ? '\n:double_vertical_bar: The sweep is paused: scheduled runs do nothing until `/bugs sweep resume`.' : ''}`;
  const body = parts.length > 0 ? parts : ['Nothing is stale, and every claim is active. :sparkles:'];
  if (preview.truncated) body.push('_Only the oldest candidates are shown._');
  return message([header, ...body].join('\n\n'), [section(header), ...body.map((part) => section(part))]);
}

/** Claims one confirmation lists (and releases); the rest wait for the next one. */
export const RELEASE_PAGE = 20;
const RELEASE_TITLE = 80;

/**
 * The confirmation modal of /bugs release (and App Home): who holds what, how long it has been quiet, in kind words.
 * It lists the first RELEASE_PAGE claims in full (titles shortened, lines packed into sections that each hold whole
 * lines, so nothing listed is cut off), says how many more there are, and carries exactly the listed ones in its
 * metadata: confirming never releases a claim the admin did not see.
 */
export function buildReleaseClaimsModal(claims: OrphanedClaim[]): ModalView {
  const listed = claims.slice(0, RELEASE_PAGE);
  const more = claims.length - listed.length;
  const lines = listed.map(
    (claim) =>
      `• *${claim.ref}* ${escapeMrkdwn(capText(claim.title, RELEASE_TITLE))}: ${mentionClaimant(claim.claimantId)}, quiet for ${formatDuration(claim.idleMs)}`,
  );
  const sections: string[] = [];
  for (const line of lines) {
    const last = sections.at(-1);
    if (last !== undefined && last.length + 1 + line.length <= LIMITS.section)
      sections[sections.length - 1] = `${last}\n${line}`;
    else sections.push(line);
  }
  return {
    type: 'modal',
    callback_id: VIEWS.releaseClaims,
    private_metadata: JSON.stringify({
      claims: listed.map((claim) => ({ bugId: claim.bugId, claimantId: claim.claimantId })),
    }),
    title: modalText('Release quiet claims'),
    submit: modalText(`Release ${listed.length}`),
    close: modalText('Cancel'),
    blocks: [
      section(
        `These claims have been quiet a while. Releasing them puts the bugs back in the queue so fresh eyes can pick them up; each thread gets a friendly note and nobody is blamed.`,
      ),
      ...sections.map((text) => section(text)),
      ...(more > 0
        ? [
            section(
              `…and ${more} more. Only the ${listed.length} listed here are released; \`/bugs release\` again shows the rest.`,
            ),
          ]
        : []),
    ],
  };
}

export function buildReleaseDoneView(result: ReleaseResult): ModalView {
  const count = result.released.length;
  const lines = [`:seedling: ${count} claim${count === 1 ? '' : 's'} released back to the queue.`];
  if (result.skipped.length > 0)
    lines.push(`Left alone: ${result.skipped.map((s) => `${s.ref} (${s.why})`).join(', ')}.`);
  return {
    type: 'modal',
    callback_id: `${VIEWS.releaseClaims}_done`,
    title: modalText('Claims released'),
    close: modalText('Done'),
    blocks: [section(lines.join('\n'))],
  };
}

/** A confirmation submitted by someone who is not an admin: nothing was released. */
export function buildReleaseRefusedView(): ModalView {
  return {
    type: 'modal',
    callback_id: `${VIEWS.releaseClaims}_done`,
    title: modalText('Claims not released'),
    close: modalText('Done'),
    blocks: [
      section(
        'Sorry, releasing claims is for bugsweep admins, so nothing was released. Ask one of them if a claim needs to go back to the queue.',
      ),
    ],
  };
}

function countsLine(run: {
  warned: number;
  closed: number;
  reminded: number;
  released: number;
  failed: number;
}): string {
  return `warned ${run.warned} · closed ${run.closed} · reminded ${run.reminded} · released ${run.released}${run.failed ? ` · failed ${run.failed}` : ''}`;
}

/** The answer to `/bugs sweep pause [note]`: the note is the admin's words, shown as text, never as mentions. */
export function buildPausedAnswer(pauseNote?: string | null): string {
  const note = pauseNote ? ` Note: ${escapeMrkdwn(pauseNote)}` : '';
  return `Paused: scheduled sweeps do nothing until \`${SLASH_COMMAND} sweep resume\`.${note}`;
}

export function buildSweepRunSummary(result: SweepResult): string {
  switch (result.kind) {
    case 'ran':
      if (result.cancelledBy)
        return `Sweep cancelled by ${mentionClaimant(result.cancelledBy)} between items. Done before it stopped: ${countsLine(result.counts)}.`;
      return `${result.dryRun ? 'Dry run (nothing changed, nothing posted): would have ' : 'Sweep done: '}${countsLine(result.counts)}.${result.budgetExhausted ? ' The per-run budget ran out; the next run continues.' : ''}`;
    case 'skipped':
      return `The sweep did not run: ${result.reason}.`;
    case 'slot_taken':
      return 'Another replica is running this sweep.';
  }
}

function replicasLine(replicas: SweepStatus['replicas'] | undefined, tz: string): string {
  if (!replicas) return '';
  const names = replicas.map((r) => `\`${r.host}:${r.pid}\` (seen ${slackMoment(r.lastBeatAt, tz)})`);
  return ` on ${replicas.length} replica${replicas.length === 1 ? '' : 's'}: ${names.join(', ')}`;
}

/** `(\`0 * * * *\`, UTC)`, and who set it when it is an admin's schedule rather than SWEEP_SCHEDULE. */
function scheduleNote(schedule: string | EffectiveSchedule, tz: string): string {
  if (typeof schedule === 'string') return `\`${schedule}\`, ${tz}`;
  const where = `\`${schedule.schedule}\`, ${schedule.timezone}`;
  if (!schedule.override) return where;
  const by = schedule.override.by ? ` by <@${schedule.override.by}>` : '';
  const when = schedule.override.at ? ` on ${slackMoment(schedule.override.at, tz)}` : '';
  return `${where}; set${by}${when} instead of SWEEP_SCHEDULE, \`/bugs sweep schedule reset\` returns to it`;
}

export function buildSweepStatus(
  input: Omit<SweepStatus, 'replicas' | 'schedule' | 'nextRun'> & {
    /** Replicas running the schedule (sweep_heartbeats); left out, the status trusts the configuration. */
    replicas?: SweepStatus['replicas'];
    nextRun: Date | null;
    timeZone: string;
    /** The effective schedule (services/sweep/sweep-schedule.ts), or a cron expression in `timeZone`. */
    schedule: string | EffectiveSchedule;
  },
): SlackMessage {
  const tz = input.timeZone;
  const state = input.state.paused
    ? `:double_vertical_bar: *Paused* by <@${input.state.pausedBy}>${input.state.pausedAt ? ` on ${slackMoment(input.state.pausedAt, tz)}` : ''}${input.state.pauseNote ? `: ${escapeMrkdwn(input.state.pauseNote)}` : ''}`
    : !input.replicas || input.replicas.length > 0
      ? `:arrow_forward: *Running on schedule*${replicasLine(input.replicas, tz)}`
      : ':warning: *No replica has run the schedule for two slots*: scheduled sweeps are not happening. Start bugsweep (with its schedule on) on at least one replica.';
  const next = input.nextRun
    ? `Next scheduled run: ${slackMoment(input.nextRun, tz)} (${scheduleNote(input.schedule, tz)})${input.state.paused ? ', skipped while paused' : ''}.`
    : '';
  const runs = input.runs.map((run) => {
    const who = run.trigger === 'admin' && run.triggeredBy ? `admin <@${run.triggeredBy}>` : run.trigger;
    const what =
      run.status === 'skipped'
        ? `skipped (${run.skipReason})`
        : run.status === 'running'
          ? 'running'
          : `${run.status}: ${countsLine(run)}`;
    return `• ${slackMoment(run.startedAt, tz)} · ${who}${run.dryRun ? ' · dry run' : ''} · ${what}`;
  });
  const text = [state, next, runs.length > 0 ? `*Last runs*\n${runs.join('\n')}` : '_No runs yet._']
    .filter(Boolean)
    .join('\n');
  return textMessage(text);
}

/**
 * The answer to `/bugs sweep schedule`: what changed, the schedule the sweep runs on now (whose it is), and its next
 * three runs as Slack date tokens (each reader's own zone; the fallback in the schedule's zone).
 */
export function buildScheduleAnswer(
  answer: ScheduleAnswer,
  configured: { schedule: string; timezone: string },
): string {
  const { schedule } = answer;
  const where = `\`${schedule.schedule}\` in ${schedule.timezone}`;
  const whose = schedule.override
    ? `an admin's schedule${schedule.override.by ? `, set by <@${schedule.override.by}>` : ''}${schedule.override.at ? ` on ${slackMoment(schedule.override.at, schedule.timezone)}` : ''}, instead of SWEEP_SCHEDULE (\`${configured.schedule}\` in ${configured.timezone}); \`/bugs sweep schedule reset\` returns to that`
    : 'SWEEP_SCHEDULE, from the configuration';
  const head =
    answer.change === 'set'
      ? `:calendar: Schedule changed: the sweep now runs on ${where}. Every replica picks it up within a minute.`
      : answer.change === 'reset'
        ? `:calendar: Schedule reset: the sweep runs on SWEEP_SCHEDULE again, ${where}. Every replica picks it up within a minute.`
        : `:calendar: The sweep runs on ${where}: ${whose}.`;
  const next =
    answer.next.length > 0
      ? `Next runs: ${answer.next.map((at) => slackMoment(at, schedule.timezone)).join(', ')}.`
      : 'It has no runs to come.';
  return `${head}\n${next}`;
}

/** A schedule that was refused: what is wrong, and the command's form. */
export function buildScheduleRefused(problem: ScheduleProblem): string {
  return `${problem.message}\nNothing changed. The form is \`/bugs sweep schedule <cron> [timezone]\`, such as \`/bugs sweep schedule 0 */2 * * * Europe/Berlin\`.`;
}
