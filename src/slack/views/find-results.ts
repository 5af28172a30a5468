// The ephemeral answer to /bugs find: the bugs that mention an id, with reference, status, title and thread link.
import { type BugStatus, STATUS_LABELS } from '../../domain/bug-status.ts';
import { escapeMrkdwn, type SlackMessage, textMessage } from '../../messages/blocks.ts';
import { linkedRef } from '../../messages/mentions.ts';

export type FoundBug = { ref: string; title: string; status: BugStatus; permalink: string | null };

export const FIND_USAGE =
  'Give me a trace id, a request id or at least 7 characters of a release SHA, like `/bugs find 4bf92f3577b34da6`.';

export function buildFindResults(input: { query: string; items: FoundBug[]; total: number } | null): SlackMessage {
  if (!input) return textMessage(FIND_USAGE);
  const shown = `\`${escapeMrkdwn(input.query)}\``;
  if (input.items.length === 0) return textMessage(`No bug mentions ${shown}.`);
  const lines = input.items.map(
    (bug) => `${linkedRef(bug.ref, bug.permalink)} · ${STATUS_LABELS[bug.status]} · ${escapeMrkdwn(bug.title)}`,
  );
  const more = input.total > input.items.length ? `\n…and ${input.total - input.items.length} more.` : '';
  const header = `*${input.total} bug${input.total === 1 ? '' : 's'} mention${input.total === 1 ? 's' : ''} ${shown}*`;
  return textMessage(`${header}\n${lines.join('\n')}${more}`);
}
