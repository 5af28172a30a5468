// Slack message timestamps and permalinks, and the references people type for a bug.
import { unwrapSlackLink } from './slack-text.ts';

/** A Slack message ts ("1700000000.123456") is the message's time in seconds. */
export function tsToDate(ts: string): Date {
  return new Date(Math.round(Number(ts) * 1000));
}

/** The Slack ts of a moment, to the microsecond Slack counts in. */
export function dateToTs(at: Date): string {
  const ms = at.getTime();
  return `${Math.floor(ms / 1000)}.${String((ms % 1000) * 1000).padStart(6, '0')}`;
}

/** Slack's permalink form: <workspace>/archives/<channel>/p<ts without the dot>, plus the thread for a reply. */
export function messagePermalink(
  workspaceUrl: string,
  channelId: string,
  ts: string,
  threadTs?: string | null,
): string {
  const base = workspaceUrl.endsWith('/') ? workspaceUrl : `${workspaceUrl}/`;
  const link = `${base}archives/${channelId}/p${ts.replace('.', '')}`;
  return threadTs && threadTs !== ts ? `${link}?thread_ts=${threadTs}&cid=${channelId}` : link;
}

/** Slack's deep link to an app's Home tab (Deep linking into Slack: `slack://app?team=…&id=…&tab=home`). */
export function appHomeLink(teamId: string, appId: string): string {
  return `slack://app?team=${encodeURIComponent(teamId)}&id=${encodeURIComponent(appId)}&tab=home`;
}

export type BugLocator =
  | { kind: 'number'; number: number }
  | { kind: 'message'; channelId: string; ts: string; threadTs: string | null };

/** "BUG-42", "bug-42", "#42", "42", or a message permalink (of the thread's first message or of a reply). */
export function parseBugLocator(text: string): BugLocator | null {
  const value = unwrapSlackLink(text.trim());
  const number = /^(?:bug-|#)?(\d{1,9})$/i.exec(value);
  if (number) return { kind: 'number', number: Number(number[1]) };
  const link = /^https?:\/\/[^/]+\/archives\/([A-Z0-9]+)\/p(\d{10})(\d{6})(?:\?(.*))?$/i.exec(value);
  if (!link) return null;
  const query = new URLSearchParams(link[4]?.replaceAll('&amp;', '&') ?? '');
  const threadTs = query.get('thread_ts');
  return {
    kind: 'message',
    channelId: link[1]!,
    ts: `${link[2]}.${link[3]}`,
    threadTs: threadTs && /^\d+\.\d+$/.test(threadTs) ? threadTs : null,
  };
}

/** Orders two Slack message timestamps exactly (as numbers they have more digits than a double keeps). */
export function compareSlackTs(a: string, b: string): number {
  const [aSeconds = '', aFraction = ''] = a.split('.');
  const [bSeconds = '', bFraction = ''] = b.split('.');
  if (aSeconds.length !== bSeconds.length) return aSeconds.length - bSeconds.length;
  if (aSeconds !== bSeconds) return aSeconds < bSeconds ? -1 : 1;
  const aPadded = aFraction.padEnd(16, '0');
  const bPadded = bFraction.padEnd(16, '0');
  return aPadded === bPadded ? 0 : aPadded < bPadded ? -1 : 1;
}
