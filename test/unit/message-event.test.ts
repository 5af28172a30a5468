// parseMessageEvent on every message shape Slack sends into a bug channel.
import { describe, expect, it } from 'vitest';
import { tsToDate } from '../../src/domain/slack-refs.ts';
import { parseMessageEvent } from '../../src/slack/parse/message-event.ts';
import {
  botMessage,
  channelJoin,
  classicBotMessage,
  fileShare,
  messageChanged,
  messageDeleted,
  threadBroadcast,
  threadReply,
  topLevelMessage,
} from '../support/slack-events.ts';

const CHANNEL = 'CBUGS';
const ROOT_TS = '1764000000.000100';
const REPLY_TS = '1764000300.000200';
const LATER_TS = '1764003600.000300';

type Raw = Parameters<typeof parseMessageEvent>[0];
const parse = (event: object) => parseMessageEvent(event as Raw, new Date('2026-11-24T09:00:00Z'));

describe('parseMessageEvent: messages people and bots post', () => {
  it('reads a plain top-level message', () => {
    expect(parse(topLevelMessage({ user: 'UALICE', ts: ROOT_TS, text: 'Checkout is broken' }))).toEqual({
      kind: 'posted',
      message: {
        channelId: CHANNEL,
        ts: ROOT_TS,
        threadTs: null,
        userId: 'UALICE',
        isBot: false,
        botId: null,
        text: 'Checkout is broken',
        subtype: null,
        fileNames: [],
      },
    });
  });

  it('reads a thread reply with its thread', () => {
    expect(parse(threadReply({ user: 'UBOB', ts: REPLY_TS, threadTs: ROOT_TS, text: 'looking' }))).toEqual({
      kind: 'posted',
      message: {
        channelId: CHANNEL,
        ts: REPLY_TS,
        threadTs: ROOT_TS,
        userId: 'UBOB',
        isBot: false,
        botId: null,
        text: 'looking',
        subtype: null,
        fileNames: [],
      },
    });
  });

  it('reads a reply also sent to the channel (thread_broadcast) as a reply in its thread', () => {
    expect(parse(threadBroadcast({ user: 'UBOB', ts: REPLY_TS, threadTs: ROOT_TS, text: 'fixed on staging' }))).toEqual(
      {
        kind: 'posted',
        message: {
          channelId: CHANNEL,
          ts: REPLY_TS,
          threadTs: ROOT_TS,
          userId: 'UBOB',
          isBot: false,
          botId: null,
          text: 'fixed on staging',
          subtype: 'thread_broadcast',
          fileNames: [],
        },
      },
    );
  });

  it('reads a file share with the names of its files', () => {
    const parsed = parse(
      fileShare({ user: 'UALICE', ts: REPLY_TS, threadTs: ROOT_TS, text: 'see this', fileName: 'broken-layout.png' }),
    );
    expect(parsed).toEqual({
      kind: 'posted',
      message: {
        channelId: CHANNEL,
        ts: REPLY_TS,
        threadTs: ROOT_TS,
        userId: 'UALICE',
        isBot: false,
        botId: null,
        text: 'see this',
        subtype: 'file_share',
        fileNames: ['broken-layout.png'],
      },
    });
  });

  it('names files by title, then name, then "file"', () => {
    const event = {
      ...fileShare({ user: 'UALICE', ts: REPLY_TS }),
      files: [{ title: 'Screenshot', name: 'shot.png' }, { name: 'log.txt' }, {}],
    };
    const parsed = parse(event);
    expect(parsed.kind === 'posted' && parsed.message.fileNames).toEqual(['Screenshot', 'log.txt', 'file']);
  });

  it('reads a modern app bot post (bot_id and user, no subtype) as a bot', () => {
    expect(parse(botMessage({ ts: REPLY_TS, threadTs: ROOT_TS, text: 'Deploy finished' }))).toEqual({
      kind: 'posted',
      message: {
        channelId: CHANNEL,
        ts: REPLY_TS,
        threadTs: ROOT_TS,
        userId: 'UOTHERAPP',
        isBot: true,
        botId: 'BOTHERAPP',
        text: 'Deploy finished',
        subtype: null,
        fileNames: [],
      },
    });
  });

  it('reads a classic bot_message (no user) as a bot', () => {
    expect(parse(classicBotMessage({ ts: ROOT_TS, text: 'Build #41 failed' }))).toEqual({
      kind: 'posted',
      message: {
        channelId: CHANNEL,
        ts: ROOT_TS,
        threadTs: null,
        userId: null,
        isBot: true,
        botId: 'BCLASSIC',
        text: 'Build #41 failed',
        subtype: 'bot_message',
        fileNames: [],
      },
    });
  });

  it('reads a /me message as spoken', () => {
    const parsed = parse({
      type: 'message',
      subtype: 'me_message',
      user: 'UALICE',
      text: 'is annoyed',
      ts: ROOT_TS,
      channel: CHANNEL,
    });
    expect(parsed).toMatchObject({
      kind: 'posted',
      message: { subtype: 'me_message', userId: 'UALICE', isBot: false },
    });
  });

  it('treats a missing text as empty', () => {
    const parsed = parse({ type: 'message', user: 'UALICE', ts: ROOT_TS, channel: CHANNEL });
    expect(parsed).toMatchObject({ kind: 'posted', message: { text: '' } });
  });
});

describe('parseMessageEvent: system messages', () => {
  it('ignores a channel join', () => {
    expect(parse(channelJoin({ user: 'UCAROL', ts: ROOT_TS }))).toEqual({
      kind: 'ignored',
      reason: 'subtype channel_join',
    });
  });

  it('ignores other system subtypes such as a topic change', () => {
    expect(
      parse({
        type: 'message',
        subtype: 'channel_topic',
        user: 'UALICE',
        topic: 'bugs',
        text: 'set the topic',
        ts: ROOT_TS,
        channel: CHANNEL,
      }),
    ).toEqual({
      kind: 'ignored',
      reason: 'subtype channel_topic',
    });
  });

  it('ignores an event without a channel or without a ts', () => {
    expect(parse({ type: 'message', user: 'UALICE', text: 'hi', ts: ROOT_TS })).toEqual({
      kind: 'ignored',
      reason: 'no channel',
    });
    expect(parse({ type: 'message', user: 'UALICE', text: 'hi', channel: CHANNEL })).toEqual({
      kind: 'ignored',
      reason: 'no ts',
    });
  });
});

describe('parseMessageEvent: edits and deletions', () => {
  it('reads an edit: the edited message, its new text and when it was edited', () => {
    const event = messageChanged({
      ts: REPLY_TS,
      threadTs: ROOT_TS,
      user: 'UALICE',
      before: 'it is the header',
      after: 'it is the footer',
      editedAt: LATER_TS,
    });
    expect(parse(event)).toEqual({
      kind: 'edited',
      edit: { channelId: CHANNEL, ts: REPLY_TS, text: 'it is the footer', editedAt: tsToDate(LATER_TS) },
    });
  });

  it('takes the edit time from the event when the message carries no edited stamp', () => {
    const event = messageChanged({ ts: REPLY_TS, user: 'UALICE', before: 'a', after: 'b', editedAt: LATER_TS });
    delete (event.message as { edited?: unknown }).edited;
    expect(parse(event)).toMatchObject({ kind: 'edited', edit: { ts: REPLY_TS, editedAt: tsToDate(LATER_TS) } });
  });

  it('ignores a message_changed whose text did not change (a reply count or an unfurl)', () => {
    const event = messageChanged({
      ts: ROOT_TS,
      user: 'UALICE',
      before: 'Checkout is broken',
      after: 'Checkout is broken',
      editedAt: LATER_TS,
    });
    expect(parse(event)).toEqual({ kind: 'ignored', reason: 'not a text edit' });
  });

  it('ignores a message_changed without the message', () => {
    expect(
      parse({
        type: 'message',
        subtype: 'message_changed',
        channel: CHANNEL,
        hidden: true,
        ts: LATER_TS,
        event_ts: LATER_TS,
      }),
    ).toEqual({
      kind: 'ignored',
      reason: 'edit without message',
    });
  });

  it('reads a deletion: which message, and when', () => {
    expect(parse(messageDeleted({ ts: REPLY_TS, user: 'UALICE', deletedAt: LATER_TS }))).toEqual({
      kind: 'deleted',
      deletion: { channelId: CHANNEL, ts: REPLY_TS, deletedAt: tsToDate(LATER_TS) },
    });
  });

  it('finds the deleted message in previous_message when deleted_ts is missing', () => {
    const event = messageDeleted({ ts: REPLY_TS, user: 'UALICE', deletedAt: LATER_TS }) as Record<string, unknown>;
    delete event.deleted_ts;
    expect(parse(event)).toMatchObject({ kind: 'deleted', deletion: { ts: REPLY_TS } });
  });

  // Deleting a thread parent that has replies leaves a tombstone: a deletion, never an edit of the description.
  it('does not read a deleted thread parent (message_changed to a tombstone) as an edit', () => {
    // Deleting a message that has replies: Slack keeps a placeholder and sends message_changed, not message_deleted.
    const event = {
      type: 'message',
      subtype: 'message_changed',
      message: {
        type: 'message',
        subtype: 'tombstone',
        text: 'This message was deleted.',
        user: 'USLACKBOT',
        hidden: true,
        ts: ROOT_TS,
        thread_ts: ROOT_TS,
        reply_count: 2,
      },
      previous_message: {
        type: 'message',
        text: 'Checkout is broken',
        user: 'UALICE',
        ts: ROOT_TS,
        thread_ts: ROOT_TS,
        reply_count: 2,
      },
      channel: CHANNEL,
      hidden: true,
      ts: LATER_TS,
      event_ts: LATER_TS,
      channel_type: 'channel',
    };
    const parsed = parse(event);
    expect(parsed.kind).not.toBe('edited');
    expect(['deleted', 'ignored']).toContain(parsed.kind);
  });
});
