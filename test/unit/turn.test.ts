import { describe, expect, it } from 'vitest';
import { SENDER_TYPES, type SenderType } from '../../src/domain/sender-type.ts';
import type { ActivityMessage } from '../../src/domain/staleness.ts';
import {
  INITIAL_TURN,
  TURN_AFTER_REOPEN,
  TURN_LABELS,
  TURNS,
  type Turn,
  turnAfterMessage,
  turnOf,
} from '../../src/domain/turn.ts';

const at = (day: number, hour = 9) => new Date(Date.UTC(2026, 11, day, hour));
const said = (senderType: SenderType, when: Date, deletedAt: Date | null = null): ActivityMessage => ({
  senderType,
  messageAt: when,
  deletedAt,
});

describe('turnAfterMessage', () => {
  it.each([
    ['developers', 'reporter', 'developers'],
    ['reporter', 'reporter', 'developers'],
    ['developers', 'developer', 'reporter'],
    ['reporter', 'developer', 'reporter'],
    ['developers', 'other', 'developers'],
    ['reporter', 'other', 'reporter'],
    ['developers', 'bot', 'developers'],
    ['reporter', 'bot', 'reporter'],
  ] as const)('%s, then a %s message: %s', (previous, sender, next) => {
    expect(turnAfterMessage(previous, sender)).toBe(next);
  });

  it('answers for every sender type and turn', () => {
    for (const turn of TURNS)
      for (const sender of SENDER_TYPES) expect(TURNS).toContain(turnAfterMessage(turn, sender));
  });
});

describe('turnOf', () => {
  it.each<[string, ActivityMessage[], Turn]>([
    ['nobody has spoken but the reporter (no replies)', [], 'developers'],
    ['the reporter added details', [said('reporter', at(1))], 'developers'],
    ['only bystanders and bots replied', [said('other', at(1)), said('bot', at(2))], 'developers'],
    ['a developer asked for steps', [said('developer', at(1))], 'reporter'],
    ['a developer asked, then a bystander said +1', [said('developer', at(1)), said('other', at(2))], 'reporter'],
    ['a developer asked, then the bot warned', [said('developer', at(1)), said('bot', at(2))], 'reporter'],
    ['the reporter answered the developer', [said('developer', at(1)), said('reporter', at(2))], 'developers'],
    [
      'back and forth, the developer last',
      [said('reporter', at(1)), said('developer', at(2)), said('reporter', at(3)), said('developer', at(4))],
      'reporter',
    ],
    [
      'given out of order: the newest message decides',
      [said('developer', at(4)), said('reporter', at(3)), said('other', at(5))],
      'reporter',
    ],
    ['the last developer reply was deleted', [said('reporter', at(1)), said('developer', at(2), at(3))], 'developers'],
    [
      'the reporter’s answer was deleted',
      [said('developer', at(1)), said('reporter', at(2), at(4)), said('other', at(3))],
      'reporter',
    ],
    ['at the same moment, the order given decides', [said('reporter', at(2)), said('developer', at(2))], 'reporter'],
  ])('%s → %s', (_, messages, turn) => {
    expect(turnOf(messages)).toBe(turn);
  });

  it('agrees with the column kept message by message, for every thread of up to five messages', () => {
    const senders = SENDER_TYPES;
    const threads = (length: number): SenderType[][] =>
      length === 0 ? [[]] : threads(length - 1).flatMap((thread) => senders.map((sender) => [...thread, sender]));
    let checked = 0;
    for (let length = 0; length <= 5; length++) {
      for (const thread of threads(length)) {
        const column = thread.reduce<Turn>(turnAfterMessage, INITIAL_TURN);
        expect(turnOf(thread.map((sender, i) => said(sender, at(1, i))))).toBe(column);
        checked++;
      }
    }
    expect(checked).toBe(1 + 4 + 16 + 64 + 256 + 1024);
  });

  it.each<[string, ActivityMessage[], Date[], Turn]>([
    ['a developer said it is fixed, then the bug was reopened', [said('developer', at(1))], [at(2)], 'developers'],
    ['reopened, then a developer asked', [said('developer', at(1)), said('developer', at(3))], [at(2)], 'reporter'],
    [
      'reopened, then the reporter added details',
      [said('developer', at(1)), said('reporter', at(3))],
      [at(2)],
      'developers',
    ],
    ['a reopen with no message at all', [], [at(2)], 'developers'],
    ['reopened, then a bystander said +1', [said('developer', at(1)), said('other', at(3))], [at(2)], 'developers'],
    [
      'a developer’s reply that reopened it, at the reopen’s moment, comes after it',
      [said('developer', at(2))],
      [at(2)],
      'reporter',
    ],
    [
      'the last of several reopens counts',
      [said('developer', at(1)), said('reporter', at(2)), said('developer', at(4))],
      [at(3), at(5)],
      'developers',
    ],
    [
      'a message from before the reopen deleted after it: the reopen stands',
      [said('reporter', at(1), at(4)), said('developer', at(2))],
      [at(3)],
      'developers',
    ],
    [
      'the developer’s answer after a reopen deleted: back to developers',
      [said('developer', at(1)), said('developer', at(3), at(4))],
      [at(2)],
      'developers',
    ],
  ])('%s', (_, messages, reopenedAt, turn) => {
    expect(turnOf(messages, reopenedAt)).toBe(turn);
  });

  it('agrees with the column kept message by message and reopen by reopen, for every timeline of up to five', () => {
    type Step = SenderType | 'reopen';
    const steps: Step[] = [...SENDER_TYPES, 'reopen'];
    const timelines = (length: number): Step[][] =>
      length === 0 ? [[]] : timelines(length - 1).flatMap((timeline) => steps.map((step) => [...timeline, step]));
    let checked = 0;
    for (let length = 0; length <= 5; length++) {
      for (const timeline of timelines(length)) {
        const column = timeline.reduce<Turn>(
          (turn, step) => (step === 'reopen' ? TURN_AFTER_REOPEN : turnAfterMessage(turn, step)),
          INITIAL_TURN,
        );
        const messages = timeline.flatMap((step, i) => (step === 'reopen' ? [] : [said(step, at(1, i))]));
        const reopens = timeline.flatMap((step, i) => (step === 'reopen' ? [at(1, i)] : []));
        expect(turnOf(messages, reopens)).toBe(column);
        checked++;
      }
    }
    expect(checked).toBe(1 + 5 + 25 + 125 + 625 + 3125);
  });

  it('has a label for the card for each turn', () => {
    expect(TURNS.map((turn) => TURN_LABELS[turn])).toEqual(['Waiting on the reporter', 'Waiting on developers']);
  });
});
