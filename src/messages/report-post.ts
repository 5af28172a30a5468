// The message that starts a bug thread when a bug is reported through the modal or the shortcut, and the one that
// starts the thread of an imported report (`npm run import -- … --channel C…`).
import type { Severity } from '../domain/bug-status.ts';
import type { ReportDraft } from '../domain/report-text.ts';
import { context, escapeMrkdwn, message, type SlackMessage, section } from './blocks.ts';
import { mentionClaimant } from './mentions.ts';

export function buildReportPost(report: ReportDraft): SlackMessage {
  const facts = [`*Severity:* ${report.severity}`];
  if (report.traceId) facts.push(`*Trace:* \`${escapeMrkdwn(report.traceId)}\``);
  if (report.releaseSha) facts.push(`*Release:* \`${report.releaseSha}\``);
  const from = report.origin
    ? `\nReported from ${report.origin.permalink ? `<${report.origin.permalink}|a message>` : 'a message'}${report.origin.authorId ? ` by <@${report.origin.authorId}>` : ''} in <#${report.origin.channelId}>.`
    : '';
  const body = report.description.trim() ? `\n${escapeMrkdwn(report.description.trim())}` : '';
  const text = `:beetle: *${escapeMrkdwn(report.title)}*\nReported by ${mentionClaimant(report.reporterId)}${body}`;
  return message(`Bug report from ${mentionClaimant(report.reporterId)}: ${escapeMrkdwn(report.title)}`, [
    section(text),
    context(`${facts.join('  ·  ')}${from}`),
  ]);
}

/** What the root message of an imported report shows. */
export type ImportedReport = {
  ref: string;
  title: string;
  description: string;
  severity: Severity;
  reporterId: string;
  legacyId: string;
  createdAt: Date;
  traceId: string | null;
  releaseSha: string | null;
};

/** The longest description an imported report's root message carries (a section's text allows 3,000). */
const MAX_IMPORTED_DESCRIPTION = 2_500;

/**
 * Starts the Slack thread of a report imported from the old system: the report, who reported it, and that it came
 * from the old system with its id there and when it was first reported. Its card follows in the thread.
 */
export function buildImportedReportPost(report: ImportedReport): SlackMessage {
  const facts = [`*Severity:* ${report.severity}`];
  if (report.traceId) facts.push(`*Trace:* \`${escapeMrkdwn(report.traceId)}\``);
  if (report.releaseSha) facts.push(`*Release:* \`${report.releaseSha}\``);
  const description = report.description.trim();
  const shown =
    description.length > MAX_IMPORTED_DESCRIPTION
      ? `${description.slice(0, MAX_IMPORTED_DESCRIPTION - 1)}…`
      : description;
  const body = shown ? `\n${escapeMrkdwn(shown)}` : '';
  const reporter = mentionClaimant(report.reporterId);
  const legacyId = escapeMrkdwn(report.legacyId);
  const first = report.createdAt.toISOString().slice(0, 10);
  const text = `:beetle: *${escapeMrkdwn(report.title)}* (${report.ref})\nReported by ${reporter}${body}`;
  return message(`Imported bug report from ${reporter}: ${escapeMrkdwn(report.title)}`, [
    section(text),
    context(
      `${facts.join('  ·  ')}\n:inbox_tray: Imported from the old bug tracker (id \`${legacyId}\`), first reported ${first}.`,
    ),
  ]);
}
