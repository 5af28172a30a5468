// Who wrote a message in a bug thread, from the bug's point of view (which of them count: bug-activity.ts).
export const SENDER_TYPES = ['reporter', 'developer', 'other', 'bot'] as const;
export type SenderType = (typeof SENDER_TYPES)[number];

export type SenderContext = {
  /** The Slack user id of the message's author; undefined for bot posts without a user. */
  userId: string | undefined;
  isBot: boolean;
  reporterId: string;
  claimantId: string | null;
  /** Explicit developer users plus members of the developer user group. */
  developerIds: ReadonlySet<string>;
};

/** Who said it, from the bug's point of view. Reporter wins over developer when a developer filed the bug. */
export function classifySender(ctx: SenderContext): SenderType {
  if (ctx.isBot || !ctx.userId) return 'bot';
  if (ctx.userId === ctx.reporterId) return 'reporter';
  if (ctx.developerIds.has(ctx.userId) || ctx.userId === ctx.claimantId) return 'developer';
  return 'other';
}
