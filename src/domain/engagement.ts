// Engagement: a bug many people care about is not auto-closed on its reporter's silence (ENGAGEMENT_EXEMPT).
// Two counts, kept by the caller as events arrive: distinct users who reacted to the bug's root message, and distinct
// bystanders whose reply says they are affected too (`saysAffectedToo`). The rule here only compares them.
import { type ParseResult, parsed, rejected } from './parse-result.ts';
import { extractTelemetry, plainText } from './report-text.ts';

/** Thresholds; null where the setting does not name that count. A bug is exempt when any named one is reached. */
export type EngagementRule = { readonly reactions: number | null; readonly reporters: number | null };

export type EngagementCounts = {
  /** Distinct users with any reaction on the bug's root message. */
  reactions: number;
  /** Distinct bystanders (never the reporter) who said they are affected too, each counted once. */
  affectedReporters: number;
};

const RULE_FORM =
  'reactions>=N, reporters>=N or both, comma-separated, such as "reactions>=3" or "reactions>=5, reporters>=2" ' +
  '(reporters counts the reporter and everyone who said they are affected too)';

/**
 * ENGAGEMENT_EXEMPT: `reactions>=N` (N at least 1), `reporters>=N` (N at least 2, since the reporter is the first),
 * or both separated by a comma, in any case and with spaces around `>=` (`≥` works too). Each count at most once.
 */
export function parseEngagementExempt(text: string): ParseResult<EngagementRule> {
  const input = text.trim();
  if (!input) return rejected(RULE_FORM, input, 'it is empty');
  const rule = { reactions: null as number | null, reporters: null as number | null };
  for (const raw of input.split(',')) {
    const entry = raw.trim().replaceAll('≥', '>=');
    const match = /^([a-z]+)\s*(>=|=>|>|=)?\s*(\d*)$/i.exec(entry);
    const metric = match?.[1]?.toLowerCase();
    if (!match || (metric !== 'reactions' && metric !== 'reporters')) {
      return rejected(RULE_FORM, input, entry ? `"${entry}" is not reactions>=N or reporters>=N` : 'an empty entry');
    }
    if (match[2] !== '>=' || !match[3]) return rejected(RULE_FORM, input, `"${entry}" needs >= and a number`);
    const count = Number(match[3]);
    const least = metric === 'reactions' ? 1 : 2;
    if (!Number.isSafeInteger(count) || count < least) {
      return rejected(RULE_FORM, input, `${metric} needs at least ${least}, or every bug would be exempt`);
    }
    if (rule[metric] !== null) return rejected(RULE_FORM, input, `${metric} is given twice`);
    rule[metric] = count;
  }
  return parsed(rule);
}

/** How many people the bug has reported: the reporter plus the bystanders affected too (the card's "affects N"). */
export function reportersOf(counts: EngagementCounts): number {
  return 1 + counts.affectedReporters;
}

/** Exempt from auto-close when any threshold the rule names is reached. Nudges and digests still apply. */
export function isEngagementExempt(counts: EngagementCounts, rule: EngagementRule): boolean {
  if (rule.reactions !== null && counts.reactions >= rule.reactions) return true;
  return rule.reporters !== null && reportersOf(counts) >= rule.reporters;
}

// ---------------------------------------------------------------------------------------------------------------
// "Same here": does a bystander's reply say they are affected too?

/** What the bug itself says, to recognise a reply that quotes the same error or id. */
export type BugEvidence = {
  /** The bug's title and description as reported: its error lines, error codes and ids are looked for. */
  text?: string | null;
  traceId?: string | null;
  requestId?: string | null;
};

/** Slack messages are at most 40,000 characters; anything longer is cut, so every check stays linear and bounded. */
const MAX_TEXT = 40_000;

/**
 * Whether a bystander's reply says they are affected too. Case-insensitive, linear in the text, decided clause by
 * clause (a clause ends at `.`, `!`, `?`, `;`, `,` or a line break). A clause counts when it says, of the speaker:
 *   - "me too", "same here", "same for me", "ditto", "can confirm", "I can reproduce", "we're affected", …
 *   - having it too: "seeing this too", "getting the same error as well", "also seeing this", "happening to me too",
 *     "crashes for us", "this also happens";
 *   - having the same thing: "I have the same issue", "same problem here", "same error for me", or just "Same issue!";
 *   - only "+1", ":+1:", 👍 or "same", with at most filler words ("+1 from me", "+1 for this", "same!!");
 * and the reply mentions the bug's own error message (digits and ids aside), error code (ECONNRESET, ERR_…,
 * DEADLINE_EXCEEDED) or trace or request id.
 * A phrase does not count when negated just before it ("not seeing this too", "I don't have the same issue"), when
 * someone else or a hypothetical is its subject ("is anyone else seeing this too?", "they are also affected",
 * "if I can reproduce it"), when "same" compares ("is this the same as BUG-12", "same issue as BUG-12", "the same bug
 * was fixed in 2.3"), and a "+1" that endorses something else ("+1 for fixing the docs", ":+1: thanks") is no
 * report. A question about oneself still counts ("same here?").
 */
export function saysAffectedToo(text: string, bug: BugEvidence = {}): boolean {
  const reply = normalise(text.slice(0, MAX_TEXT));
  for (const clause of reply.split(/[.!?;,\n]+/)) if (clauseSaysAffected(clause.trim())) return true;
  return mentionsSameEvidence(reply, bug);
}

function normalise(text: string): string {
  return plainText(text)
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc`]/g, "'")
    .replace(/\u{1F44D}[\u{1F3FB}-\u{1F3FF}]?/gu, ' :+1: ')
    .replace(/:(?:\+1|thumbsup|thumbs_up|plus1)(?:::skin-tone-\d)?:/g, ' :+1: ')
    .replace(/[ \t]+/g, ' ');
}

/** One global, word-bounded regex of alternatives (each alternative is a plain phrase with at most `(?:…)` groups). */
const anyOf = (alternatives: readonly string[]) => new RegExp(String.raw`\b(?:${alternatives.join('|')})\b`, 'g');

const ME_TOO = anyOf([
  'me too',
  'me as well',
  'me also',
  'same (?:here|for me|for us|with me|with us)',
  'same on (?:my|our) (?:end|side)',
  'same (?:issue|problem|error|bug|thing) (?:here|for me|for us)',
  'same (?:issue |problem |error |bug |thing )?as (?:you|u|op|them|him|her|@\\w+)',
  'ditto',
  'can confirm',
  '(?:i|we) can (?:reproduce|repro)',
  'reproduced it too',
  "(?:i'm|i am|we're|we are) (?:also )?(?:affected|impacted)",
  'also (?:affected|impacted)',
  '(?:affected|impacted) (?:too|as well)',
  '(?:affects|affecting|impacts|impacting) (?:me|us)',
]);
/** Having a problem, in the words people use for it. */
const VERB =
  '(?:seeing|see|saw|seen|getting|get|got|having|have|had|hitting|hit|experiencing|experience|noticing|noticed|' +
  'facing|encountering|encountered|running into|ran into|run into|reproducing|reproduced|reproduce)';
const HAPPENS = '(?:happen\\w*|occur\\w*|broken|fail\\w*|crash\\w*)';
const HAVING_TOO = anyOf([
  `${VERB} (?:this|it|that|the same(?: \\w+)?)(?: \\w+)? (?:too|as well|also)`,
  `also ${VERB} (?:this|it|that|the same)`,
  'also (?:happening|happens|happened|occurring|occurs)',
  `${HAPPENS} (?:to|for|on) (?:me|us|mine|ours)`,
  `${HAPPENS} here (?:too|as well)`,
]);
const SAME_THING =
  /\b(?:the )?(?:exact |exactly the |very )?same (?:issue|problem|error|bug|crash|thing|behaviou?r|symptoms?)\b/g;
/** "same issue as BUG-12", "the same bug was fixed", "same error that …": a comparison, not a report. */
const COMPARING = /^ (?:as|like|that|which|was|is|has been|had been|we|you|they|from|in \d|in v\d|before)\b/;
const HAVING_BEFORE = new RegExp(`\\b${VERB} (?:\\w+ )?$`);

const NEGATIONS = new Set(
  "not never nor neither hardly don't dont doesn't doesnt didn't didnt isn't isnt aren't arent wasn't wasnt weren't werent haven't havent hasn't hasnt can't cant cannot couldn't couldnt won't wont".split(
    ' ',
  ),
);
/** Subjects other than the speaker, and words that make what follows hypothetical. */
const NOT_THE_SPEAKER = new Set(
  'anyone anybody someone somebody everyone everybody others you u they he she who whoever customer customers users if whether unless'.split(
    ' ',
  ),
);
const SIGNALS = new Set(['+1', ':+1:', 'same', 'ditto']);
const FILLER = new Set(
  'here from me too also same this that it for to on one bug issue problem as well please yes yep yeah again and us our my side end the we i exactly exact very lol'.split(
    ' ',
  ),
);

function clauseSaysAffected(clause: string): boolean {
  if (!clause) return false;
  if (isShortSignal(clause)) return true;
  const otherAt = firstIndexOfWord(clause, NOT_THE_SPEAKER);
  const asserted = (index: number) => index < otherAt && !negatedBefore(clause, index);
  for (const pattern of [ME_TOO, HAVING_TOO]) {
    if (!matchesAnywhere(pattern, clause)) continue;
    for (const match of clause.matchAll(pattern)) if (asserted(match.index)) return true;
  }
  if (!matchesAnywhere(SAME_THING, clause)) return false;
  for (const match of clause.matchAll(SAME_THING)) {
    if (!asserted(match.index)) continue;
    const after = clause.slice(match.index + match[0].length, match.index + match[0].length + 24);
    if (COMPARING.test(after)) continue;
    const before = clause.slice(Math.max(0, match.index - 24), match.index);
    const alone = match.index === 0 && after.trim() === '';
    if (alone || /^ (?:too|as well|also|again)\b/.test(after) || HAVING_BEFORE.test(before)) return true;
  }
  return false;
}

/**
 * Whether a global pattern matches the text at all. `matchAll` copies its regex on every call, which a reply of
 * 20,000 one-word clauses pays 60,000 times; this asks first without the copy.
 */
function matchesAnywhere(pattern: RegExp, text: string): boolean {
  pattern.lastIndex = 0;
  const found = pattern.test(text);
  pattern.lastIndex = 0;
  return found;
}

/** The clause is a "+1" or a "same" with nothing but filler, emoji and mentions around it. */
function isShortSignal(clause: string): boolean {
  const words = clause.split(' ');
  if (words.length > 8) return false;
  let signal = false;
  for (const raw of words) {
    if (raw.length > 40) return false;
    const word = raw.replace(/^[^\w+:@']+|[^\w+:@']+$/g, '');
    if (!word) continue;
    if (SIGNALS.has(word)) signal = true;
    else if (!FILLER.has(word) && !/^:[\w+-]+:$/.test(word) && !/^@\w+$/.test(word)) return false;
  }
  return signal;
}

/** The start of the first whole word of `clause` in `words`, or Infinity. One pass over the clause. */
function firstIndexOfWord(clause: string, words: ReadonlySet<string>): number {
  for (const match of clause.matchAll(/[\w']+/g)) if (words.has(match[0])) return match.index;
  return Number.POSITIVE_INFINITY;
}

/** One of the three words just before `index` negates it. Reads a bounded window, so a long clause stays linear. */
function negatedBefore(clause: string, index: number): boolean {
  const words = clause.slice(Math.max(0, index - 40), index).match(/[\w']+/g) ?? [];
  return words.slice(-3).some((word) => NEGATIONS.has(word));
}

// ---------------------------------------------------------------------------------------------------------------
// The same error or id as the bug

const MAX_MESSAGE_KEY = 60;
const MIN_MESSAGE_KEY = 12;
const ERROR_LINE =
  /(?:^|[^\w$.])(?:[a-z_$][\w$.]*(?:error|exception)|error|fatal|panic|failed|failure)\s*[:=]\s*(\S.*)$/i;
const ERRNO = new Set(
  'ECONNRESET ECONNREFUSED ECONNABORTED ETIMEDOUT ENOTFOUND ENOENT EACCES EPERM EADDRINUSE EPIPE EHOSTUNREACH ENETUNREACH EAI_AGAIN EMFILE ENOSPC EEXIST ENOTDIR EISDIR ECANCELED EPROTO'.split(
    ' ',
  ),
);
const CAPITALS = /\b[A-Z][A-Z0-9_]{3,60}\b/g;
/** errno names, Node's ERR_ codes and gRPC-style codes; other capitalised words are just capitals. */
const isErrorCode = (word: string) =>
  ERRNO.has(word) ||
  /^ERR_[A-Z0-9_]{3,}$/.test(word) ||
  /_(?:ERROR|EXCEEDED|DENIED|FAILED|REFUSED|TIMEOUT|UNAVAILABLE|NOT_FOUND)$/.test(word);

/** Error text as compared: lower case, numbers and long hex ids as `#`, quotes alike, single spaces. */
function errorKey(text: string): string {
  return text
    .toLowerCase()
    .replace(/[\u2018\u2019\u201c\u201d"`]/g, "'")
    .replace(/\b[0-9a-f]{8,}\b/g, (id) => (/\d/.test(id) ? '#' : id))
    .replace(/\d+/g, '#')
    .replace(/\s+/g, ' ')
    .replace(/^[\s'.,;:!?]+|[\s'.,;:!?]+$/g, '');
}

function mentionsSameEvidence(reply: string, bug: BugEvidence): boolean {
  const text = (bug.text ?? '').slice(0, MAX_TEXT);
  const telemetry = text ? extractTelemetry(text) : null;
  const ids = [bug.traceId, bug.requestId, telemetry?.traceId, telemetry?.requestId];
  for (const id of ids) if (id && id.length >= 8 && containsToken(reply, id.toLowerCase())) return true;
  if (!text) return false;
  const replyKey = errorKey(reply);
  const plain = plainText(text);
  for (const line of plain.split('\n')) {
    const message = ERROR_LINE.exec(line.slice(0, 512))?.[1];
    const key = message ? errorKey(message).slice(0, MAX_MESSAGE_KEY).trim() : '';
    if (key.length >= MIN_MESSAGE_KEY && replyKey.includes(key)) return true;
  }
  for (const [word] of plain.matchAll(CAPITALS)) {
    if (isErrorCode(word) && containsToken(reply, word.toLowerCase())) return true;
  }
  return false;
}

/** `needle` occurs in `text` with no letter, digit or underscore right before or after it. */
function containsToken(text: string, needle: string): boolean {
  for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
    const before = text[at - 1] ?? ' ';
    const after = text[at + needle.length] ?? ' ';
    if (!/\w/.test(before) && !/\w/.test(after)) return true;
  }
  return false;
}
