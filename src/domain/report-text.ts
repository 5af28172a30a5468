// Turning a Slack message into a bug: its title, and the telemetry people paste into reports.
import type { Severity } from './bug-status.ts';

export const MAX_TITLE_LENGTH = 150;

/** Where a report filed from another message came from (the "Report as bug" shortcut). */
export type ReportOrigin = {
  channelId: string;
  ts: string;
  threadTs: string | null;
  permalink: string | null;
  authorId: string | null;
};

/** A report as the modal or the shortcut submits it. */
export type ReportDraft = {
  reporterId: string;
  title: string;
  description: string;
  severity: Severity;
  traceId: string | null;
  releaseSha: string | null;
  origin?: ReportOrigin | null;
};

/**
 * Slack mrkdwn to plain words: links show their label, mentions stay readable, emphasis marks go. One pass per step
 * and no backtracking, so a 40,000-character message of `<`, `*` or `<a|` costs what any other does.
 */
export function plainText(mrkdwn: string): string {
  return withoutEmphasis(unwrapLinks(mrkdwn)).replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');
}

/**
 * `<target|label>` → label, `<target>` → target (without `mailto:`). A link ends at the first `>`; a `<` before it
 * starts over there, so each character is read once.
 */
function unwrapLinks(text: string): string {
  if (!text.includes('<')) return text;
  const parts: string[] = [];
  let copied = 0;
  let open = text.indexOf('<');
  while (open !== -1) {
    let close = open + 1;
    while (close < text.length && text.charCodeAt(close) !== 62 && text.charCodeAt(close) !== 60) close++; // > <
    if (close >= text.length) break;
    if (text.charCodeAt(close) === 60 || close === open + 1) {
      open = text.charCodeAt(close) === 60 ? close : text.indexOf('<', close);
      continue;
    }
    const body = text.slice(open + 1, close);
    const bar = body.indexOf('|');
    const shown = bar > 0 && bar < body.length - 1 ? body.slice(bar + 1) : withoutMailto(body);
    parts.push(text.slice(copied, open), shown);
    copied = close + 1;
    open = text.indexOf('<', copied);
  }
  parts.push(text.slice(copied));
  return parts.join('');
}

function withoutMailto(target: string): string {
  return target.startsWith('mailto:') ? target.slice('mailto:'.length) : target;
}

const EMPHASIS = new Set(['*', '_', '~']);
const SPACE = /\s/;

/**
 * Emphasis marks go where they open a word (after a space or the start, before a non-space) or close one (after a
 * non-space, before a space or the end); `snake_case` and a lone `*` between spaces stay. One pass over the runs.
 */
function withoutEmphasis(text: string): string {
  if (!/[*_~]/.test(text)) return text;
  const parts: string[] = [];
  let copied = 0;
  let i = 0;
  while (i < text.length) {
    if (!EMPHASIS.has(text.charAt(i))) {
      i++;
      continue;
    }
    const start = i;
    while (i < text.length && EMPHASIS.has(text.charAt(i))) i++;
    const before = start === 0 ? null : text.charAt(start - 1);
    const after = i === text.length ? null : text.charAt(i);
    const opens = (before === null || SPACE.test(before)) && after !== null && !SPACE.test(after);
    const closes = before !== null && !SPACE.test(before) && (after === null || SPACE.test(after));
    if (opens || closes) {
      parts.push(text.slice(copied, start));
      copied = i;
    }
  }
  parts.push(text.slice(copied));
  return parts.join('');
}

/** The first line that says something, cut at a word boundary so a card's title stays one readable line. */
export function titleFromText(text: string, fallback = 'Untitled bug report'): string {
  const firstLine = plainText(text)
    .split('\n')
    .map((line) => line.replace(/^[\s>#*•-]+/, '').trim())
    .find((line) => line.length > 0 && !/^`{3}/.test(line));
  if (!firstLine) return fallback;
  return truncate(firstLine.replace(/\s+/g, ' '), 80);
}

export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const boundary = cut.lastIndexOf(' ');
  return `${(boundary > max / 2 ? cut.slice(0, boundary) : cut).trimEnd()}…`;
}

export type Telemetry = { traceId: string | null; requestId: string | null; releaseSha: string | null };

// The id itself: closing quotes and sentence punctuation after it are not part of it.
// Every repeat is bounded, so a label followed by 40,000 spaces or colons costs a few hundred steps, not millions.
const ID = String.raw`[\x60"']?([A-Za-z0-9][A-Za-z0-9._:/-]{2,127}?)[\x60"']?(?=[.,;:!?]{0,8}(?:[\s,;)\]}]|$))`;
// "trace_id=…", "trace-id: …", "traceId …", and JSON keys ("trace_id":"…"); not "trace identifier".
const TRACE = new RegExp(String.raw`\btrace[\s_.-]?id\b[\x60"']?\s{0,8}[:=#]?\s{0,8}` + ID, 'gi');
const TRACEPARENT = /\btraceparent\s{0,8}[:=]\s{0,8}[`"']?[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}/gi;
const REQUEST = new RegExp(String.raw`\b(?:x[-_])?req(?:uest)?[\s_.-]?id\b[\x60"']?\s{0,8}[:=#]?\s{0,8}` + ID, 'gi');
// A 7–40 hex SHA after "release" or "sha" (release 1a2b3c4, sha: deadbeef, release_sha=..., release v2 @ 1a2b3c4d).
const RELEASE = /\b(?:release|sha|commit)(?:[\s_-]?(?:sha|commit))?\b[^\n]{0,12}?[`"']?\b([0-9a-f]{7,40})\b/gi;

/** Every id of one kind a text mentions, each once, at most MAX_IDS_PER_KIND. */
export type TelemetryIds = { traceIds: string[]; requestIds: string[]; releaseShas: string[] };

/** More ids than this of one kind in one message is a pasted log, not a report: the first ones are kept. */
export const MAX_IDS_PER_KIND = 20;

function pushOnce(into: string[], value: string): void {
  if (into.length < MAX_IDS_PER_KIND && !into.includes(value)) into.push(value);
}

/** Ids carry a digit somewhere; "trace id was …" must not make "was" the id. */
function idsOf(text: string, pattern: RegExp, into: string[] = []): string[] {
  for (const match of text.matchAll(pattern)) if (/\d/.test(match[1]!)) pushOnce(into, match[1]!);
  return into;
}

/** Every trace id, request id and release SHA (lower case) written in the usual ways, in the order they appear. */
export function extractTelemetryIds(text: string): TelemetryIds {
  const plain = plainText(text);
  const traceIds = idsOf(plain, TRACE);
  for (const match of plain.matchAll(TRACEPARENT)) pushOnce(traceIds, match[1]!);
  const releaseShas: string[] = [];
  for (const match of plain.matchAll(RELEASE)) {
    const candidate = match[1]!;
    // All-digit runs are dates and build numbers far more often than SHAs.
    if (/[a-f]/i.test(candidate)) pushOnce(releaseShas, candidate.toLowerCase());
  }
  return { traceIds, requestIds: idsOf(plain, REQUEST), releaseShas };
}

/** The first trace id, request id and release SHA; null where the text has none. */
export function extractTelemetry(text: string): Telemetry {
  const ids = extractTelemetryIds(text);
  return {
    traceId: ids.traceIds[0] ?? null,
    requestId: ids.requestIds[0] ?? null,
    releaseSha: ids.releaseShas[0] ?? null,
  };
}

/** The ids of a text and the ones given apart from it (a modal's fields), each once. */
export function withTelemetry(ids: TelemetryIds, given: Telemetry): TelemetryIds {
  const merged = { traceIds: [...ids.traceIds], requestIds: [...ids.requestIds], releaseShas: [...ids.releaseShas] };
  if (given.traceId) pushOnce(merged.traceIds, given.traceId);
  if (given.requestId) pushOnce(merged.requestIds, given.requestId);
  if (given.releaseSha) pushOnce(merged.releaseShas, given.releaseSha.toLowerCase());
  return merged;
}

const QUOTES = new Set(['`', '"', "'"]);

/** Quotes around the id as people paste it (`abc`, "abc"); an index scan, since a trailing-anchor regex is quadratic on a run of quotes. */
function stripQuotes(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && QUOTES.has(text.charAt(start))) start++;
  while (end > start && QUOTES.has(text.charAt(end - 1))) end--;
  return text.slice(start, end);
}

/** What `/bugs find` looks for: the id as typed, and as a release SHA prefix when it can be one (7–40 hex). */
export type TelemetryQuery = { value: string; shaPrefix: string | null };

/** null when the text cannot be an id (empty, spaces inside, shorter than 3 or longer than 128 characters). */
export function parseTelemetryQuery(text: string): TelemetryQuery | null {
  const value = stripQuotes(plainText(text.trim()));
  if (value.length < 3 || value.length > 128 || /\s/.test(value)) return null;
  return { value, shaPrefix: /^[0-9a-f]{7,40}$/i.test(value) ? value.toLowerCase() : null };
}
