// Slack identifiers as they enter bugsweep: anything else (a number, an object, a 100,000-character string, SQL)
// is refused at the edge, so no malformed id is ever stored as a reporter, a channel or a thread.
import { z } from 'zod';
import { storableText } from '../../domain/slack-text.ts';

/** Slack ids are an upper-case letter naming the kind and a few more upper-case letters and digits. */
const slackId = (kinds: string, what: string) =>
  z.string().regex(new RegExp(`^[${kinds}][A-Z0-9]{1,31}$`), `must be a Slack ${what} id`);

export const userId = slackId('UW', 'user');
export const channelId = slackId('CGD', 'channel');
export const teamId = slackId('T', 'team');
export const botId = slackId('B', 'bot');
export const viewId = slackId('V', 'view');
/**
 * A message timestamp, "1700000000.123456": the message's id within its channel. At most ten digits of seconds and six
 * of microseconds, as Slack writes them: a longer one is no time a date can hold (and no permalink Slack makes).
 */
export const messageTs = z.string().regex(/^\d{1,10}\.\d{1,6}$/, 'must be a Slack message timestamp');

/** Text a person wrote, as it will be stored (see storableText). */
export const personText = z.string().transform(storableText);

/** "path: what is wrong" for each problem, short enough for a log line; never the offending value itself. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.join('.') || 'event'}: ${issue.message}`)
    .join('; ');
}
