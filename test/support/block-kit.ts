// Reading Block Kit back in tests: the texts a person sees, the buttons, and every text over Slack's limits
// (the limits as Slack documents them, written out here on purpose rather than taken from src/).
import type { Button, KnownBlock } from '@slack/types';

type AnyBlock = KnownBlock | { type: string; [key: string]: unknown };
type TextObject = { type: string; text: string };

/** Section texts, field texts and context texts, in order. */
export function textsOf(blocks: readonly unknown[]): string[] {
  return (blocks as AnyBlock[]).flatMap((block) => {
    const b = block as { text?: TextObject; fields?: TextObject[]; elements?: TextObject[]; type: string };
    if (b.type === 'section') return [...(b.text ? [b.text.text] : []), ...(b.fields ?? []).map((f) => f.text)];
    if (b.type === 'context') return (b.elements ?? []).map((e) => e.text);
    if (b.type === 'header') return b.text ? [b.text.text] : [];
    return [];
  });
}

/**
 * A text as a client that cannot render Slack date tokens shows it: each `<!date^…^…|fallback>` as its fallback,
 * which keeps bugsweep's wording in SWEEP_TIMEZONE ("Tue 24 Nov, 14:00 UTC").
 */
export function asFallback(text: string): string {
  return text.replace(/<!date\^-?\d+\^[^|>]*\|([^>]*)>/g, '$1');
}

/** Times a text states outside date tokens ("Tue 24 Nov, 14:00"): every stated time should be a token. */
export function plainTimesIn(text: string): string[] {
  const outside = text.replace(/<!date\^[^>]*>/g, '');
  return outside.match(/\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d{1,2} [A-Z][a-z]{2},? \d{2}:\d{2}/g) ?? [];
}

/** Every button, wherever it sits (an actions block or a section's accessory). */
export function buttonsOf(blocks: readonly unknown[]): Button[] {
  return (blocks as AnyBlock[]).flatMap((block) => {
    const b = block as { elements?: { type: string }[]; accessory?: { type: string } };
    const candidates = [...(block.type === 'actions' ? (b.elements ?? []) : []), ...(b.accessory ? [b.accessory] : [])];
    return candidates.filter((element): element is Button => element.type === 'button');
  });
}

const LIMIT = { section: 3000, field: 2000, context: 3000, header: 150, button: 75, modalText: 24, text: 3000 };

/** Where a message or view goes over Slack's limits: `section 3012 > 3000`. Empty when Slack would accept it. */
export function overLimits(payload: {
  text?: unknown;
  blocks?: unknown;
  title?: unknown;
  submit?: unknown;
  close?: unknown;
}): string[] {
  const found: string[] = [];
  const check = (where: string, text: string | undefined, max: number) => {
    if (text !== undefined && text.length > max) found.push(`${where} ${text.length} > ${max}`);
  };
  if (typeof payload.text === 'string') check('text', payload.text, LIMIT.text);
  for (const key of ['title', 'submit', 'close'] as const)
    check(key, (payload[key] as TextObject | undefined)?.text, LIMIT.modalText);
  for (const block of (payload.blocks ?? []) as AnyBlock[]) {
    const b = block as { text?: TextObject; fields?: TextObject[]; elements?: TextObject[]; accessory?: unknown };
    if (block.type === 'section') {
      check('section', b.text?.text, LIMIT.section);
      for (const field of b.fields ?? []) check('field', field.text, LIMIT.field);
    }
    if (block.type === 'context') for (const element of b.elements ?? []) check('context', element.text, LIMIT.context);
    if (block.type === 'header') check('header', b.text?.text, LIMIT.header);
  }
  for (const button of buttonsOf((payload.blocks ?? []) as unknown[])) check('button', button.text.text, LIMIT.button);
  return found;
}
