// Times in notices as Slack date tokens: every reader sees them in their own time zone and clock format, and a
// client that cannot render the token shows the fallback, the wording bugsweep always used (in SWEEP_TIMEZONE).
//
// Slack's syntax (Formatting text for app surfaces, "Date formatting"):
//   <!date^{unix seconds}^{token string}^{optional link}|{fallback text}>
// The token string mixes text with {date_short_pretty}, {time} and friends; the optional link would make the date a
// link, which notices don't want, so that part is left out altogether.
import { formatMoment } from '../domain/time-format.ts';
import { escapeMrkdwn } from './blocks.ts';

/** "Tue 24 Nov, 14:00" for each reader ("today", "yesterday" and "tomorrow" where they apply), in their zone. */
export const DATE_TOKEN_FORMAT = '{date_short_pretty} {time}';

/**
 * `<!date^UNIX^{date_short_pretty} {time}|FALLBACK>` for the instant `at`. UNIX is whole seconds, rounded down,
 * as Unix time is and as the fallback's minutes are, so token and fallback never name different minutes.
 * The fallback is escaped for mrkdwn (`&`, `<`, `>`), and a `|` in it becomes `¦`: Slack reads the token up to its
 * first `>` and the fallback after its first `|`, so neither may come from the fallback itself.
 */
export function slackDate(at: Date, fallback: string): string {
  const seconds = Math.floor(at.getTime() / 1000);
  return `<!date^${seconds}^${DATE_TOKEN_FORMAT}|${escapeMrkdwn(fallback).replaceAll('|', '¦')}>`;
}

/** The token for `at` whose fallback is today's wording: `formatMoment(at, timeZone)`, "Tue 24 Nov, 14:00 UTC". */
export function slackMoment(at: Date, timeZone: string): string {
  return slackDate(at, formatMoment(at, timeZone));
}
