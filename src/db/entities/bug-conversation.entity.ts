// bug_conversations: the messages of a bug's Slack thread (reporter, developers, others, the bot), one row a message.
import { defineEntity, p } from '@mikro-orm/core';
import { SENDER_TYPES } from '../../domain/sender-type.ts';

export const BugConversationSchema = defineEntity({
  name: 'BugConversation',
  tableName: 'bug_conversations',
  properties: {
    id: p.bigint('number').primary(),
    bugId: p.integer(),
    senderType: p.enum(SENDER_TYPES),
    senderId: p.text().nullable(),
    channelId: p.text(),
    slackTs: p.text(),
    text: p.text().default(''),
    messageAt: p.datetime().columnType('timestamptz'),
    editedAt: p.datetime().columnType('timestamptz').nullable(),
    deletedAt: p.datetime().columnType('timestamptz').nullable(),
    metadata: p.json<Record<string, unknown>>().default('{}'),
    createdAt: p
      .datetime()
      .columnType('timestamptz')
      .onCreate(() => new Date()),
  },
  uniques: [{ properties: ['channelId', 'slackTs'], name: 'bug_conversations_channel_ts_unique' }],
});

export class BugConversation extends BugConversationSchema.class {}
BugConversationSchema.setClass(BugConversation);
