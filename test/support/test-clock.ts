// Time in tests: the units, the instant every test app starts at, a clock moved by hand, and Slack timestamps.

export const SECOND = 1_000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** Where every test app's clock starts (test/support/test-app.ts): Tue 24 Nov 2026, 09:00 UTC, on an hourly slot. */
export const START = new Date('2026-11-24T09:00:00Z');

export const at = (iso: string) => new Date(iso);
export const plus = (from: Date, ms: number) => new Date(from.getTime() + ms);

/** A clock tests move by hand. `now` is bound so it can be passed around as a Clock. */
export class TestClock {
  #current: Date;
  constructor(start: Date = START) {
    this.#current = new Date(start);
  }
  now = (): Date => new Date(this.#current);
  set(to: Date | string): void {
    this.#current = new Date(to);
  }
  advance(ms: number): Date {
    this.#current = new Date(this.#current.getTime() + ms);
    return this.now();
  }
}

let momentSeq = 0;
let plainSeq = 1_700_000_000;
/**
 * A Slack message ts. At `moment`: exactly that second, the suffix keeping it unique and below half a millisecond,
 * so the app reads the message's time back as `moment` itself (tsToDate rounds to the millisecond). Without a
 * moment: a ts unique within the test process, for messages whose time does not matter (a bug's thread).
 */
export function slackTs(moment?: Date): string {
  if (!moment) {
    plainSeq += 1;
    return `${plainSeq}.${String(plainSeq % 1_000_000).padStart(6, '0')}`;
  }
  momentSeq = (momentSeq % 499) + 1;
  return `${Math.floor(moment.getTime() / 1000)}.${String(momentSeq).padStart(6, '0')}`;
}
