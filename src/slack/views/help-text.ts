// The text of `/bugs help`, built from the subcommand list.
import { SLASH_COMMAND } from '../../messages/ids.ts';

type HelpEntry = { usage: string; summary: string; adminOnly?: boolean };

/** One line per subcommand; admin ones only for admins. */
export function buildHelpText(entries: readonly HelpEntry[], isAdmin: boolean): string {
  const lines = entries
    .filter((entry) => isAdmin || !entry.adminOnly)
    .map((entry) => `• \`${SLASH_COMMAND} ${entry.usage}\` ${entry.summary}${entry.adminOnly ? ' _(admin)_' : ''}`);
  return [
    `*bugsweep* keeps bug threads from going stale. Commands:`,
    `• \`${SLASH_COMMAND} help\` this list`,
    ...lines,
  ].join('\n');
}
