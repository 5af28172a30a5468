import { describe, expect, it } from 'vitest';
import {
  type EngagementRule,
  isEngagementExempt,
  parseEngagementExempt,
  reportersOf,
  saysAffectedToo,
} from '../../src/domain/engagement.ts';

describe('parseEngagementExempt', () => {
  it.each([
    ['reactions>=3', { reactions: 3, reporters: null }],
    ['reporters>=2', { reactions: null, reporters: 2 }],
    ['reactions>=5, reporters>=2', { reactions: 5, reporters: 2 }],
    [' Reporters >= 3 ,REACTIONS>=1 ', { reactions: 1, reporters: 3 }],
    ['reactions≥4', { reactions: 4, reporters: null }],
  ])('reads %j', (text, rule) => {
    expect(parseEngagementExempt(text)).toEqual({ ok: true, value: rule });
  });

  it.each([
    ['', 'it is empty'],
    ['likes>=3', '"likes>=3" is not reactions>=N or reporters>=N'],
    ['reactions>3', '"reactions>3" needs >= and a number'],
    ['reactions=3', '"reactions=3" needs >= and a number'],
    ['reactions>=', '"reactions>=" needs >= and a number'],
    ['reactions>=many', 'is not reactions>=N or reporters>=N'],
    ['reactions>=0', 'reactions needs at least 1'],
    ['reporters>=1', 'reporters needs at least 2'],
    ['reactions>=3, reactions>=4', 'reactions is given twice'],
    ['reactions>=3,', 'an empty entry'],
    ['reactions>=3 reporters>=2', 'is not reactions>=N or reporters>=N'],
  ])('refuses %j, naming the accepted forms', (text, problem) => {
    const result = parseEngagementExempt(text);
    expect(result).toMatchObject({ ok: false, error: expect.stringContaining(problem) });
    expect(result).toMatchObject({
      error: expect.stringMatching(/^expected reactions>=N, reporters>=N or both, comma-separated, such as/),
    });
  });
});

describe('isEngagementExempt', () => {
  const both: EngagementRule = { reactions: 3, reporters: 2 };
  it.each([
    [{ reactions: 0, affectedReporters: 0 }, both, false],
    [{ reactions: 2, affectedReporters: 0 }, both, false],
    [{ reactions: 3, affectedReporters: 0 }, both, true],
    [{ reactions: 0, affectedReporters: 1 }, both, true], // the reporter and one more: two reporters
    [{ reactions: 9, affectedReporters: 9 }, { reactions: null, reporters: 20 }, false],
    [{ reactions: 9, affectedReporters: 0 }, { reactions: null, reporters: 2 }, false],
    [{ reactions: 0, affectedReporters: 4 }, { reactions: 1, reporters: null }, false],
    [{ reactions: 1, affectedReporters: 0 }, { reactions: 1, reporters: null }, true],
    [{ reactions: 5, affectedReporters: 5 }, { reactions: null, reporters: null }, false],
  ])('%o under %o: %s', (counts, rule, exempt) => {
    expect(isEngagementExempt(counts, rule)).toBe(exempt);
  });

  it('counts the reporter among the reporters', () => {
    expect(reportersOf({ reactions: 0, affectedReporters: 0 })).toBe(1);
    expect(reportersOf({ reactions: 7, affectedReporters: 3 })).toBe(4);
  });
});

describe('saysAffectedToo', () => {
  it.each([
    // Saying so
    ['same here', true],
    ['Same here?', true],
    ['SAME HERE!!!', true],
    ['+1', true],
    [':+1:', true],
    [':thumbsup:', true],
    [':+1::skin-tone-3:', true],
    ['👍', true],
    ['+1 from me', true],
    ['+1 for this', true],
    ['+1, we have customers hitting it', true],
    ['me too', true],
    ['Me too, on Firefox 120', true],
    ['<@U0123ABCD> me too', true],
    ['also seeing this', true],
    ['We are also seeing this since the deploy', true],
    ['Seeing this too on staging', true],
    ['getting the same error as well', true],
    ['same issue', true],
    ['Same issue!', true],
    ['The exact same problem.', true],
    ['I have the same issue since Monday', true],
    ["we're seeing the exact same error in prod", true],
    ['I ran into the same bug', true],
    ['same problem here', true],
    ['same error for me after updating', true],
    ['same as you', true],
    ['same as <@U0123ABCD>', true],
    ['happening to me too', true],
    ["It's happening to us as well", true],
    ['crashes for me too on iOS 17', true],
    ['this also happens in Safari', true],
    ['same', true],
    ['Same!', true],
    ['ditto', true],
    ['Can confirm, checkout fails', true],
    ['I can reproduce it on 2.4', true],
    ["We're affected", true],
    ['affects us too', true],
    ['Hi all. Same here, any workaround?', true],
    ['Ugh\nsame here', true],
    // Not saying so
    ['is this the same as BUG-12?', false],
    ['Is this the same issue as BUG-12?', false],
    ['I have the same issue as BUG-12', false],
    ['+1 for fixing the docs', false],
    ['+1 to the proposal above', false],
    [':+1: thanks for the fix', false],
    ['thanks', false],
    ['Not happening to me', false],
    ['Works for me on 2.4', false],
    ["I can't reproduce this", false],
    ["I don't have the same issue", false],
    ["I'm not seeing this too", false],
    ['Is anyone else seeing this too?', false],
    ['Are you also seeing this?', false],
    ['They are also affected', false],
    ['If I can reproduce it I will post logs', false],
    ['The same bug was fixed in 2.3 last month', false],
    ['We fixed the same bug in the mobile app', false],
    ['this is the same issue', false],
    ['same to you, have a nice weekend', false],
    ['Thanks! I also have a question about the API', false],
    ['retries are set to 10+1 now', false],
    ['version +10 is out', false],
    ['awesome', false],
    ['I wrote the same thing in the docs', false],
    ['', false],
  ])('%j → %s', (text, affected) => {
    expect(saysAffectedToo(text)).toBe(affected);
  });

  describe('a reply that mentions the bug’s own error or id', () => {
    const bug = {
      text: [
        'Checkout fails after paying',
        "```TypeError: Cannot read properties of undefined (reading 'cartId')",
        '    at submit (checkout.ts:41:7)```',
        'trace_id=4bf92f3577b34da6a3ce929d0e0e4736, request-id: req-88213',
        'upstream said ECONNRESET, then DEADLINE_EXCEEDED',
      ].join('\n'),
    };
    it.each([
      ["got Cannot read properties of undefined (reading 'cartId') when I paid", true],
      ['Cannot read properties of undefined (reading “cartId”) at submit (checkout.ts:52:3)', true],
      ['we see 4bf92f3577b34da6a3ce929d0e0e4736 in our logs', true],
      ['our request req-88213 failed', true],
      ['ECONNRESET here', true],
      ['we get deadline_exceeded on every try', true],
      ['Cannot read properties of undefined', false], // too little of the message to be the same error
      ['the trace 4bf92f3577b34da6 is cut short', false],
      ['TypeError somewhere', false],
      ['is the ECONNRESETTING thing related?', false],
      ['Checkout looks fine today', false],
    ])('%j → %s', (reply, affected) => {
      expect(saysAffectedToo(reply, bug)).toBe(affected);
    });

    it('uses the ids the bug row has, too', () => {
      expect(
        saysAffectedToo('seeing trace 0af7651916cd43dd8448eb211c80319c again', {
          traceId: '0af7651916cd43dd8448eb211c80319c',
        }),
      ).toBe(true);
      expect(saysAffectedToo('seeing trace 0af7651916cd43dd8448eb211c80319c again')).toBe(false);
    });

    it('numbers and ids in the message do not have to match', () => {
      const quota = { text: 'Error: quota exceeded for project 81234 (limit 500)' };
      expect(saysAffectedToo('getting quota exceeded for project 99 (limit 20) as of today', quota)).toBe(true);
      expect(saysAffectedToo('quota is fine for us', quota)).toBe(false);
    });
  });

  it('stays linear on long and hostile text', () => {
    const hostile = ['not me too '.repeat(4_000), 'a-'.repeat(20_000), `${'same '.repeat(8_000)}as BUG-1`];
    const bug = { text: `Error: ${'x'.repeat(600)}\n${'ERR_'.repeat(10_000)}` };
    for (const text of hostile) expect(typeof saysAffectedToo(text, bug)).toBe('boolean');
    expect(saysAffectedToo(`${'word '.repeat(7_990)}me too`)).toBe(true); // a long clause is read to its end
  });
});
