// Shortcuts: the message shortcut that files a message as a bug.
import type { App } from '@slack/bolt';
import type { AppContext } from '../../../app-context.ts';
import { SHORTCUTS } from '../../../messages/ids.ts';
import { handleReportAsBug } from './report-as-bug.ts';

export function registerShortcuts(app: App, ctx: AppContext): void {
  app.shortcut({ callback_id: SHORTCUTS.reportAsBug, type: 'message_action' }, handleReportAsBug(ctx));
}
