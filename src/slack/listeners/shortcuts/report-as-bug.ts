// "Report as bug" on any message: the report modal, prefilled from that message and linking back to it.
import type { AllMiddlewareArgs, MessageShortcut, SlackShortcutMiddlewareArgs } from '@slack/bolt';
import type { AppContext } from '../../../app-context.ts';
import { plainText, titleFromText, truncate } from '../../../domain/report-text.ts';
import { buildReportModal, MAX_DESCRIPTION_LENGTH } from '../../views/report-modal.ts';

export function handleReportAsBug(ctx: AppContext) {
  return async ({ ack, shortcut }: SlackShortcutMiddlewareArgs<MessageShortcut> & AllMiddlewareArgs): Promise<void> => {
    await ack();
    const message = shortcut.message as { ts: string; thread_ts?: string; text?: string; user?: string };
    const channelId = shortcut.channel.id;
    const text = message.text ?? '';
    await ctx.slack.views.open({
      trigger_id: shortcut.trigger_id,
      view: buildReportModal({
        title: titleFromText(text, ''),
        description: truncate(plainText(text), MAX_DESCRIPTION_LENGTH),
        origin: {
          channelId,
          ts: message.ts,
          threadTs: message.thread_ts ?? null,
          permalink: ctx.permalinkFor(channelId, message.ts, message.thread_ts),
          authorId: message.user ?? null,
        },
      }),
    });
  };
}
