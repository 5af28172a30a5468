// The message that starts a bug thread when a bug is reported through the modal or the shortcut.
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
