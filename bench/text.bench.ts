// CPU time of every way bugsweep reads a message's text, on adversarial 40,000-character messages (Slack's maximum)
// and on an ordinary report of the same length for comparison. Prints figures; asserts nothing (the budget is
// asserted in test/unit/adversarial-text.test.ts).
//   npm run bench:text -- [runs=5]
import { ADVERSARIAL_TEXTS, SLACK_MAX_TEXT, TEXT_HANDLERS } from '../test/support/adversarial-text.ts';
import { bestCpuMs } from '../test/support/cpu-time.ts';

const args = Object.fromEntries(process.argv.slice(2).map((arg) => arg.split('=') as [string, string]));
const RUNS = Number(args.runs ?? 5);

const ordinary =
  'Checkout fails with TypeError: cannot read properties of undefined (reading "total")\n' +
  'trace_id=4bf92f3577b34da6 request-id: req-77aa on release 9f8e7d6c, see <https://logs.example.com/q|the logs>\n';
const texts = {
  'ordinary report': ordinary.repeat(Math.ceil(SLACK_MAX_TEXT / ordinary.length)).slice(0, SLACK_MAX_TEXT),
};
Object.assign(texts, ADVERSARIAL_TEXTS);

console.log(`best CPU ms of ${RUNS} runs per 40,000-character message (budget 50 ms)`);
const worst: Record<string, [number, string]> = {};
for (const [name, text] of Object.entries(texts)) {
  const row: Record<string, string> = {};
  for (const [handler, handle] of Object.entries(TEXT_HANDLERS)) {
    const ms = bestCpuMs(() => handle(text), RUNS);
    row[handler] = ms.toFixed(1);
    if (!worst[handler] || worst[handler][0] < ms) worst[handler] = [ms, name];
  }
  console.log(name.padEnd(22), JSON.stringify(row));
}
console.log('\nworst per handler:');
for (const [handler, [ms, name]] of Object.entries(worst))
  console.log(`  ${handler.padEnd(28)} ${ms.toFixed(1)} ms (${name})`);
