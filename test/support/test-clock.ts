/** A clock tests move by hand. `now` is bound so it can be passed around as a Clock. */
export class TestClock {
  #current: Date;
  constructor(start: Date) {
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
