// "@bugsweep claim" (release, resolve <what fixed it> [commit or PR link], reopen, close [reason], escalate
// [reason]) typed in a bug thread: the app_mention event and the words after the mention.
import { z } from 'zod';
import type { TransitionDetails } from '../../domain/lifecycle.ts';
import { USER_ACTIONS, type UserAction } from '../../domain/lifecycle.ts';
import { isCommitOrLink, unwrapSlackLink } from '../../domain/slack-text.ts';
import { channelId, describeIssues, messageTs, personText, userId } from './slack-ids.ts';

const mention = z.object({
  user: userId.optional(),
  channel: channelId,
  ts: messageTs,
  thread_ts: messageTs.optional(),
  text: personText.default(''),
});

export type MentionEvent =
  | { ok: true; userId: string | null; channelId: string; threadTs: string | null; text: string }
  | { ok: false; reason: string };

export function parseMentionEvent(raw: unknown): MentionEvent {
  const parsed = mention.safeParse(raw);
  if (!parsed.success) return { ok: false, reason: describeIssues(parsed.error) };
  const event = parsed.data;
  return {
    ok: true,
    userId: event.user ?? null,
    channelId: event.channel,
    threadTs: event.thread_ts ?? null,
    text: event.text,
  };
}

export type MentionCommand =
  /** No action word, or one bugsweep does not know. */
  | { kind: 'unknown' }
  /** `resolve` without a word on what fixed it. */
  | { kind: 'missing_note' }
  | { kind: 'action'; action: UserAction; details: TransitionDetails };

const action = z.enum(USER_ACTIONS);

/** The words after the mention: the action, then for resolve a note and maybe a commit or link, else a reason. */
export function parseMentionCommand(text: string): MentionCommand {
  const words = text
    .replace(/<@[A-Z0-9]+>/g, ' ')
    .trim()
    .split(/\s+/)
    .filter(Boolean);
  const parsed = action.safeParse(words[0]?.toLowerCase());
  if (!parsed.success) return { kind: 'unknown' };
  const rest = words.slice(1);
  const last = rest.at(-1);
  const link = parsed.data === 'resolve' && last && isCommitOrLink(last) ? unwrapSlackLink(last) : null;
  const said = (link ? rest.slice(0, -1) : rest).join(' ');
  if (parsed.data === 'resolve')
    return said ? { kind: 'action', action: 'resolve', details: { note: said, link } } : { kind: 'missing_note' };
  return { kind: 'action', action: parsed.data, details: said ? { reason: said } : {} };
}
