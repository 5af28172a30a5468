// Block Kit, typed with Slack's own types, and held to Slack's limits. Every builder (messages/ and
// slack/views/) makes its text objects here, so no text can exceed what Slack accepts: a section over 3,000
// characters is refused with `invalid_blocks`, and the outbox counts that failure as permanent.
// Text over a limit is cut with an ellipsis; user text is escaped before it goes into mrkdwn.
import type {
  ActionsBlock,
  ActionsBlockElement,
  Button,
  ContextBlock,
  DividerBlock,
  HeaderBlock,
  KnownBlock,
  MrkdwnElement,
  PlainTextElement,
  SectionBlock,
  SectionBlockAccessory,
} from '@slack/types';

/** A message as bugsweep posts it: the blocks people see, and the text notifications and screen readers use. */
export type SlackMessage = { text: string; blocks: KnownBlock[] };

/**
 * What a slack_notices row carries: the message to post, or for `message_update` the new content of the message
 * `sourceNoticeId` posted. Blocks may be left out of a text-only post. Card notices carry nothing (`{}`): the card
 * is rendered from the bug when it is sent.
 */
export type NoticePayload = Pick<SlackMessage, 'text'> &
  Partial<Pick<SlackMessage, 'blocks'>> & { sourceNoticeId?: number };

/** Slack's maximum lengths (characters) for the texts bugsweep writes. */
export const LIMITS = {
  /** A section's text; also each context element's. */
  section: 3000,
  /** Each text of a section's fields. */
  field: 2000,
  header: 150,
  button: 75,
  /** A modal's title, and its submit and close labels. */
  modalTitle: 24,
  /** An input block's label, and an input's placeholder. */
  label: 2000,
  placeholder: 150,
  /** An option of a select menu. */
  option: 75,
  /** The top-level `text` of a message: Slack takes up to 40,000, but it only ever repeats the blocks. */
  messageText: 3000,
} as const;

/** Slack mrkdwn treats &, < and > specially; user text must not turn into mentions or links by accident. */
export function escapeMrkdwn(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/** At most `max` characters: a longer text is cut to `max - 1` and ends with an ellipsis. */
export function capText(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${withoutHalfCharacter(text.slice(0, Math.max(0, max - 1)))}…`;
}

/**
 * capText for mrkdwn: the cut never leaves half a mention, link or entity (`<@U123`, `<https://…`, `&am`), which
 * Slack would show as raw markup; it goes back to before it instead.
 */
export function capMrkdwn(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, Math.max(0, max - 1));
  const open = cut.lastIndexOf('<');
  if (open > cut.lastIndexOf('>')) cut = cut.slice(0, open);
  const amp = cut.lastIndexOf('&');
  if (amp > cut.lastIndexOf(';') && cut.length - amp < '&amp;'.length) cut = cut.slice(0, amp);
  return `${withoutHalfCharacter(cut)}…`;
}

/** A cut between the two halves of a character outside the BMP (most emoji) would leave an invalid string. */
function withoutHalfCharacter(text: string): string {
  return /[\uD800-\uDBFF]$/.test(text) ? text.slice(0, -1) : text;
}

export function mrkdwn(text: string, max: number = LIMITS.section): MrkdwnElement {
  return { type: 'mrkdwn', text: capMrkdwn(text, max) };
}

export function plain(text: string, max: number): PlainTextElement {
  return { type: 'plain_text', text: capText(text, max) };
}

/** A modal's title, submit or close label. */
export function modalText(text: string): PlainTextElement {
  return plain(text, LIMITS.modalTitle);
}

export function section(text: string, accessory?: SectionBlockAccessory): SectionBlock {
  return { type: 'section', text: mrkdwn(text), ...(accessory ? { accessory } : {}) };
}

/** A section of two-column fields ("*Status*\nOpen"). */
export function fields(...texts: string[]): SectionBlock {
  return { type: 'section', fields: texts.map((text) => mrkdwn(text, LIMITS.field)) };
}

export function context(...texts: string[]): ContextBlock {
  return { type: 'context', elements: texts.map((text) => mrkdwn(text)) };
}

export function divider(): DividerBlock {
  return { type: 'divider' };
}

export function header(text: string): HeaderBlock {
  return { type: 'header', text: plain(text, LIMITS.header) };
}

export function button(options: {
  actionId: string;
  label: string;
  value?: string;
  style?: 'primary' | 'danger';
}): Button {
  return {
    type: 'button',
    action_id: options.actionId,
    text: plain(options.label, LIMITS.button),
    ...(options.value !== undefined ? { value: options.value } : {}),
    ...(options.style ? { style: options.style } : {}),
  };
}

export function actions(blockId: string, elements: ActionsBlockElement[]): ActionsBlock {
  return { type: 'actions', block_id: blockId, elements };
}

/** A message of the given blocks; its notification text is capped like the blocks are. */
export function message(text: string, blocks: KnownBlock[]): SlackMessage {
  return { text: capMrkdwn(text, LIMITS.messageText), blocks };
}

/** The common case: one section that says it all, and the same words as the notification text. */
export function textMessage(text: string): SlackMessage {
  return message(text, [section(text)]);
}
