// `/bugs <subcommand> <words>` as Slack posts it: who typed it where, and the words.
import type { SlashCommand } from '@slack/bolt';
import { z } from 'zod';
import { channelId, messageTs, personText, userId } from './slack-ids.ts';

const slashCommand = z.object({
  user_id: userId,
  channel_id: channelId,
  text: personText.default(''),
  // Slack sends no thread for slash commands today; if it ever does, a bug thread stands in for the ref.
  thread_ts: messageTs.optional(),
});

export type ParsedSlashCommand = {
  userId: string;
  channelId: string;
  threadTs: string | null;
  /** The subcommand's name, lower-cased ('' for none). */
  name: string;
  /** What the person typed after it: the subcommand's own name first. */
  typedName: string;
  /** The words after the subcommand name. */
  args: string[];
};

/** null when the command is not what Slack sends (a malformed user or channel id). */
export function parseSlashCommand(command: SlashCommand): ParsedSlashCommand | null {
  const parsed = slashCommand.safeParse(command);
  if (!parsed.success) return null;
  const [typedName = '', ...args] = parsed.data.text.trim().split(/\s+/).filter(Boolean);
  return {
    userId: parsed.data.user_id,
    channelId: parsed.data.channel_id,
    threadTs: parsed.data.thread_ts ?? null,
    name: typedName.toLowerCase(),
    typedName,
    args,
  };
}
