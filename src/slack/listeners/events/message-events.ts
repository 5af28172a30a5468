// Every message event: bug intake, conversation rows, edits and deletions. A failure is logged with the event id and
// rethrown, so the event is not acknowledged (over HTTP the receiver answers 500) and Slack delivers it again; it never
// crashes the process. An event that is not what Slack sends (a malformed id, a field of the wrong type) is dropped
// with a warning and stores nothing.
import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { AppContext } from '../../../app-context.ts';
import {
  BugMessageError,
  recordMessageDeletion,
  recordMessageEdit,
  recordPostedMessage,
} from '../../../services/thread-messages.ts';
import { whisperMessage } from '../../ephemeral.ts';
import { parseMessageEvent } from '../../parse/message-event.ts';
import { buildFollowUpOffer } from '../../views/follow-up.ts';

/** The listener registered with Bolt; the app hands message events to messageEventHandler before Bolt sees them. */
export function handleMessageEvent(ctx: AppContext) {
  const handle = messageEventHandler(ctx);
  return ({ event, body }: SlackEventMiddlewareArgs<'message'> & AllMiddlewareArgs): Promise<void> =>
    handle(event, body.event_id);
}

/**
 * The same work for a message event taken as it arrives: the app hands message events here without Bolt's dispatch
 * (src/slack/app.ts), which would run every registered listener's middleware for each one and ack it before storing.
 */
export function messageEventHandler(ctx: AppContext): (event: unknown, eventId: unknown) => Promise<void> {
  return async (event, eventId) => {
    const parsed = parseMessageEvent(event, ctx.clock());
    const log = ctx.logger.child({
      eventId: typeof eventId === 'string' ? eventId.slice(0, 64) : undefined,
      ...(parsed.kind === 'posted' ? { channel: parsed.message.channelId } : {}),
      ...(parsed.kind === 'edited' ? { channel: parsed.edit.channelId } : {}),
      ...(parsed.kind === 'deleted' ? { channel: parsed.deletion.channelId } : {}),
    });
    const scoped: AppContext = { ...ctx, logger: log };
    try {
      switch (parsed.kind) {
        case 'posted': {
          const outcome = await recordPostedMessage(scoped, parsed.message);
          log.debug({ ts: parsed.message.ts, outcome }, 'message event handled');
          // A late reply: its author alone is offered a follow-up (once; a failure to say so is only logged).
          if (outcome.kind === 'stored' && outcome.followUpOffer && parsed.message.userId) {
            const offer = outcome.followUpOffer;
            await whisperMessage(
              scoped,
              { channel: offer.channelId, user: parsed.message.userId, threadTs: offer.threadTs },
              buildFollowUpOffer(offer),
            ).catch((error: unknown) => log.warn({ err: error, bugId: offer.bugId }, 'could not offer a follow-up'));
          }
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
          return;
        case 'invalid':
          log.warn({ reason: parsed.reason }, 'message event dropped: it is not what Slack sends');
      }
    } catch (error) {
      log.error(
        { err: error, ...(error instanceof BugMessageError ? { bugId: error.bugId } : {}) },
        'handling a message event failed',
      );
      // Not stored: the receiver answers 500 and Slack delivers the event again (src/slack/http-receiver.ts).
      throw error;
    }
  };
}
