// Small facts about text people type into Slack, used wherever such text is read: links as Slack sends them,
// commit SHAs, and the one character PostgreSQL cannot store.

/**
 * Slack sends a link typed into a message as `<https://…>` or `<https://…|label>`: the address without the
 * brackets and the label. Anything else comes back as it was. Linear: no backtracking on `<<<…` or `|||…`.
 */
export function unwrapSlackLink(value: string): string {
  return /^<([^|>]+)(?:\|[^>]*)?>$/.exec(value)?.[1] ?? value;
}

/** A commit SHA as people paste it: 7 to 40 hex characters, either case. */
export function isCommitSha(value: string): boolean {
  return /^[0-9a-f]{7,40}$/i.test(value);
}

/** A commit SHA, or an http(s) link to somewhere (a pull request), possibly in Slack's `<…|…>` form. */
export function isCommitOrLink(value: string): boolean {
  const unwrapped = unwrapSlackLink(value);
  if (isCommitSha(unwrapped)) return true;
  try {
    const url = new URL(unwrapped);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname.includes('.');
  } catch {
    return false;
  }
}

/**
 * PostgreSQL refuses U+0000 in text and jsonb, and half of a surrogate pair (an emoji cut in two, which JSON can
 * carry as `\ud83d`) in jsonb, so a message carrying one would never be stored. Each is stored as U+FFFD (the
 * replacement character) instead: everything else the person wrote is kept.
 */
export function storableText(text: string): string {
  const whole = text.isWellFormed() ? text : text.toWellFormed();
  return whole.includes('\u0000') ? whole.replaceAll('\u0000', '\uFFFD') : whole;
}
