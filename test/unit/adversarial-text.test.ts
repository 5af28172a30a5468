// Issue 12: a 40,000-character message of `<` took 2 s in titleFromText and 2 s in extractTelemetry, blocking every
// ack due meanwhile. Every way bugsweep reads a message's text is linear and bounded: each adversarial message is
// handled in at most 50 ms of CPU (CPU time, so a loaded machine does not fail the test; best of three runs).
import { describe, expect, it } from 'vitest';
import { ADVERSARIAL_TEXTS, SLACK_MAX_TEXT, TEXT_HANDLERS } from '../support/adversarial-text.ts';
import { bestCpuMs } from '../support/cpu-time.ts';

const BUDGET_MS = 50;

describe('text handling on adversarial 40,000-character messages', () => {
  for (const [handler, handle] of Object.entries(TEXT_HANDLERS)) {
    it(`${handler}: each message within ${BUDGET_MS} ms`, () => {
      const slow: string[] = [];
      for (const [name, text] of Object.entries(ADVERSARIAL_TEXTS)) {
        expect(text).toHaveLength(SLACK_MAX_TEXT);
        const ms = bestCpuMs(() => handle(text));
        if (ms > BUDGET_MS) slow.push(`${name}: ${ms.toFixed(1)} ms`);
      }
      expect(slow).toEqual([]);
    });
  }
});
