// Every message event: bug intake, conversation rows, edits and deletions. Acked by Bolt before this runs;
// a failure is logged with the event id and never reaches Slack or crashes the process.
import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { AppContext } from '../../../app-context.ts';
import {
  BugMessageError,
  recordMessageDeletion,
  recordMessageEdit,
  recordPostedMessage,
} from '../../../services/thread-messages.ts';
import { parseMessageEvent } from '../../message-event.ts';

export function handleMessageEvent(ctx: AppContext) {
  return async ({ event, body }: SlackEventMiddlewareArgs<'message'> & AllMiddlewareArgs): Promise<void> => {
    const parsed = parseMessageEvent(event as never, ctx.clock());
    const log = ctx.logger.child({
      eventId: (body as { event_id?: string }).event_id,
      channel: (event as { channel?: string }).channel,
    });
    const scoped: AppContext = { ...ctx, logger: log };
    try {
      switch (parsed.kind) {
        case 'posted': {
          const outcome = await recordPostedMessage(scoped, parsed.message);
          log.debug({ ts: parsed.message.ts, outcome }, 'message event handled');
          return;
        }
        case 'edited':
          await recordMessageEdit(scoped, parsed.edit);
          return;
        case 'deleted':
          await recordMessageDeletion(scoped, parsed.deletion);
          return;
        case 'ignored':
          log.trace({ reason: parsed.reason }, 'message event ignored');
      }
    } catch (error) {
      log.error(
        { err: error, ...(error instanceof BugMessageError ? { bugId: error.bugId } : {}) },
        'handling a message event failed',
      );
    }
  };
}
