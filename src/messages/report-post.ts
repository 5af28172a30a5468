// The message that starts a bug thread when a bug is reported through the modal or the shortcut.
import type { ReportDraft } from '../domain/report-text.ts';
import { escapeMrkdwn, type SlackMessage } from './bug-card.ts';

export function buildReportPost(report: ReportDraft): SlackMessage {
  const facts = [`*Severity:* ${report.severity}`];
  if (report.traceId) facts.push(`*Trace:* \`${escapeMrkdwn(report.traceId)}\``);
  if (report.releaseSha) facts.push(`*Release:* \`${report.releaseSha}\``);
  const from = report.origin
    ? `\nReported from ${report.origin.permalink ? `<${report.origin.permalink}|a message>` : 'a message'}${report.origin.authorId ? ` by <@${report.origin.authorId}>` : ''} in <#${report.origin.channelId}>.`
    : '';
  const body = report.description.trim() ? `\n${escapeMrkdwn(report.description.trim())}` : '';
  const text = `:beetle: *${escapeMrkdwn(report.title)}*\nReported by <@${report.reporterId}>${body}`;
  return {
    text: `Bug report from <@${report.reporterId}>: ${escapeMrkdwn(report.title)}`,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: text.slice(0, 3000) } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: `${facts.join('  ·  ')}${from}` }] },
    ],
  };
}
