// Measures the business-hours clock over long spans (a year of Mon-Fri 09:00-17:00 with holidays, in zones with
// daylight saving on both hemispheres) and a typical five-day span. Prints figures; asserts nothing.
//   npx node bench/business-hours.bench.ts
import {
  addBusinessMs,
  businessMsBetween,
  createBusinessCalendar,
  parseBusinessHours,
  subtractBusinessMs,
} from '../src/domain/business-hours.ts';

const RUNS = 200;
const hours = parseBusinessHours('Mon-Fri 09:00-17:00');
if (!hours.ok) throw new Error(hours.error);

const timed = (runs: number, body: (i: number) => void) => {
  const started = performance.now();
  for (let i = 0; i < runs; i++) body(i);
  return (performance.now() - started) / runs;
};

for (const timeZone of ['Europe/Berlin', 'America/New_York', 'Pacific/Auckland', 'Asia/Kolkata']) {
  const calendar = createBusinessCalendar({
    hours: hours.value,
    timeZone,
    holidays: ['2026-04-03', '2026-12-24', '2026-12-25'],
  });
  const from = new Date('2026-01-01T00:00:00Z');
  const to = new Date('2027-01-01T00:00:00Z');
  const year = businessMsBetween(from, to, calendar);
  const between = timed(RUNS, () => businessMsBetween(from, to, calendar));
  const add = timed(RUNS, () => addBusinessMs(from, year, calendar));
  const subtract = timed(RUNS, () => subtractBusinessMs(to, year, calendar));
  const fiveDays = timed(RUNS * 10, (i) => {
    const start = from.getTime() + i * 3_600_000;
    businessMsBetween(new Date(start), new Date(start + 5 * 86_400_000), calendar);
  });
  console.log(
    `${timeZone.padEnd(18)} a year: between ${between.toFixed(2)} ms, add ${add.toFixed(2)} ms, ` +
      `subtract ${subtract.toFixed(2)} ms; five days: ${(fiveDays * 1000).toFixed(0)} µs`,
  );
}
