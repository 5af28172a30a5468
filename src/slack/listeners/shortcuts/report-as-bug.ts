// "Report as bug" on any message: the report modal, prefilled from that message and linking back to it.
import type { AllMiddlewareArgs, MessageShortcut, SlackShortcutMiddlewareArgs } from '@slack/bolt';
import type { AppContext } from '../../../app-context.ts';
import { plainText, titleFromText, truncate } from '../../../domain/report-text.ts';
import { parseMessageShortcut } from '../../parse/message-shortcut.ts';
import { buildReportModal, MAX_DESCRIPTION_LENGTH } from '../../views/report-modal.ts';

export function handleReportAsBug(ctx: AppContext) {
  return async ({ ack, shortcut }: SlackShortcutMiddlewareArgs<MessageShortcut> & AllMiddlewareArgs): Promise<void> => {
    await ack();
    const message = parseMessageShortcut(shortcut);
    if (!message) {
      ctx.logger.warn('report-as-bug shortcut dropped: its message is not what Slack sends');
      return;
    }
    await ctx.slack.views.open({
      trigger_id: shortcut.trigger_id,
      view: buildReportModal({
        title: titleFromText(message.text, ''),
        description: truncate(plainText(message.text), MAX_DESCRIPTION_LENGTH),
        origin: {
          channelId: message.channelId,
          ts: message.ts,
          threadTs: message.threadTs,
          permalink: ctx.permalinkFor(message.channelId, message.ts, message.threadTs),
          authorId: message.authorId,
        },
      }),
    });
  };
}
