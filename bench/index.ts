// `npm run bench`: every benchmark of issue 17 on generated data and local fakes, one table at the end, the raw
// numbers in bench/results/latest.json, and the table in bench/results/latest.md (README "Benchmarks" quotes it).
// Prints figures; asserts nothing. The 1,000,000-bug dataset is generated once and kept under .bench-cache/.
//   npm run bench -- [large=yes|no] [cards=skip|wait] [readme=yes]
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres } from '../src/db/embedded-postgres.ts';
import { freePort } from '../test/support/free-port.ts';
import { benchIngestion, type IngestionResult, printIngestion } from './ingestion.bench.ts';
import { benchStaleQuery, printStaleQuery, type StaleQueryResult } from './stale-query.bench.ts';
import { benchStartup, printStartup, type StartupResult } from './startup.bench.ts';
import { benchArgs, PROJECT_ROOT, postmasterPid } from './support.ts';
import { benchSweep, printSweep, type SweepBenchResult } from './sweep-slack-limits.bench.ts';

const args = benchArgs();
const machine = {
  cpu: os.cpus()[0]?.model ?? 'unknown',
  cores: os.cpus().length,
  memoryGb: Math.round(os.totalmem() / 2 ** 30),
  os: `${os.type()} ${os.release()}`,
  node: process.version,
  /** Other work on the machine while it ran (1-minute load average at the start): the figures depend on it. */
  loadAverage: os.loadavg()[0]!,
  at: new Date().toISOString(),
};

const section = (title: string) => console.log(`\n== ${title}`);

section('stale query, 50,000 bugs');
const stale = await benchStaleQuery({ bugs: 50_000, messagesPerBug: 40 });
printStaleQuery(stale);
let staleLarge: StaleQueryResult | null = null;
if (args.large !== 'no') {
  section('stale query, 1,000,000 bugs (cached dataset)');
  // Three runs of each query and no planning pass: the baseline alone takes seconds a run at this size.
  staleLarge = await benchStaleQuery({
    bugs: 1_000_000,
    messagesPerBug: 20,
    cache: true,
    runs: 3,
    planningPass: false,
  });
  printStaleQuery(staleLarge);
}

section('ingestion');
const ingestion: IngestionResult = await (async () => {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'bugsweep-bench-ingest-'));
  const server = await startEmbeddedPostgres({ dataDir, port: await freePort(), persistent: false });
  try {
    return await benchIngestion({ ...server, postgresPid: await postmasterPid(path.join(dataDir, 'postgres')) });
  } finally {
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
})();
printIngestion(ingestion);

section("sweep at Slack's limits");
const sweep: SweepBenchResult = await benchSweep({ waitForCards: args.cards === 'wait' });
printSweep(sweep);

section('start-up and footprint');
const startup: StartupResult = await benchStartup();
printStartup(startup);

type Row = [what: string, figure: string, goal: string];
const fixed = (n: number | null | undefined, digits = 0) => (n === null || n === undefined ? 'n/a' : n.toFixed(digits));
const staleRows = (result: StaleQueryResult): Row[] => [
  [
    `stale query, ${result.bugs.toLocaleString('en')} bugs / ${result.conversationRows.toLocaleString('en')} rows`,
    `${fixed(result.oursMedianMs, 2)} ms (baseline ${fixed(result.baselineMedianMs, 1)} ms, ${fixed(result.speedup)}×)`,
    '',
  ],
  [
    'findIdleBugs first / deep page',
    `${fixed(result.firstPageMs, 2)} / ${fixed(result.deepPageMs, 2)} ms`,
    'deep = first',
  ],
];
const ingestRows = (run: IngestionResult['hot'], name: string): Row[] => [
  [`ingestion, ${name}: accepted`, `${fixed(run.acceptedPerSec)} events/s`, '≥ 1,000'],
  [
    `ingestion, ${name}: ack p50 / p95 / p99`,
    `${fixed(run.ackP50Ms, 1)} / ${fixed(run.ackP95Ms, 1)} / ${fixed(run.ackP99Ms, 1)} ms`,
    'p99 ≤ 20 ms',
  ],
  [
    `ingestion, ${name}: stored`,
    `${fixed(run.storedPerSec)} replies/s = ${fixed(run.ratioToBare, 2)} of bare INSERTs`,
    '≥ 0.3',
  ],
  [`ingestion, ${name}: lost / doubled`, `${run.missing} / ${run.doubled}`, '0 / 0'],
  [
    `ingestion, ${name}: CPU per event, bot / database`,
    `${fixed(run.botCpuMsPerEvent, 2)} / ${fixed(run.dbCpuMsPerEvent, 2)} ms`,
    '',
  ],
];
const rows: Row[] = [
  ...staleRows(stale),
  ...(staleLarge ? staleRows(staleLarge) : []),
  [
    'ingestion: bare single-row INSERTs',
    `${fixed(ingestion.bareInsertsPerSec)} rows/s (database CPU ${fixed(ingestion.bareDbCpuMsPerInsert, 2)} ms each)`,
    '',
  ],
  ...ingestRows(ingestion.hot, 'one hot thread'),
  ...ingestRows(ingestion.spread, '100 threads'),
  [
    `sweep, ${sweep.bugs} closes over ${sweep.channels} channels: time ÷ floor`,
    `${fixed(sweep.timeOverFloor, 2)} (${fixed(sweep.closesDoneMs)} ms, floor ${sweep.floorMs} ms)`,
    '≤ 1.1',
  ],
  ['sweep: answered 429', `${sweep.answered429} of ${sweep.calls} (${fixed(sweep.percent429, 2)} %)`, '≤ 1 %'],
  ['sweep: notices doubled / missing', `${sweep.doubled} / ${sweep.missing}`, '0 / 0'],
  ...(sweep.cardsDoneMs !== null
    ? ([
        ['sweep: every card final after', `${sweep.cardsDoneMs} ms (${sweep.cardsNotFinal} not final)`, 'all final'],
      ] as Row[])
    : []),
  [
    'start: spawn to /healthz 200 (median)',
    `${fixed(startup.startMedianMs)} ms (bot CPU ${fixed(startup.startCpuMedianMs)} ms)`,
    '≤ 2,000 ms',
  ],
  ['idle RSS of the bot process (median)', `${fixed(startup.idleRssMedianMb)} MB`, '≤ 120 MB'],
];

const widths = [0, 1, 2].map((i) =>
  Math.max(...rows.map((row) => row[i]!.length), ['what', 'figure', 'goal'][i]!.length),
);
section('summary');
console.log(
  `${machine.cores} × ${machine.cpu}, ${machine.memoryGb} GB, ${machine.os}, Node ${machine.node}, load ${machine.loadAverage.toFixed(1)}`,
);
for (const row of [['what', 'figure', 'goal'] as Row, ...rows])
  console.log(row.map((cell, i) => cell.padEnd(widths[i]!)).join('  '));

const markdown = [
  `Measured ${machine.at.slice(0, 10)} on ${machine.cores} × ${machine.cpu}, ${machine.memoryGb} GB, ${machine.os}, ` +
    `Node ${machine.node}; 1-minute load average ${machine.loadAverage.toFixed(1)} at the start (other work shared the machine).`,
  '',
  // Padded as Biome formats Markdown tables, so `npm test` (biome check) accepts the written files as they are.
  ...markdownTable([['what', 'figure', 'goal'], ...rows]),
  '',
].join('\n');
function markdownTable(table: string[][]): string[] {
  const width = (i: number) => Math.max(3, ...table.map((row) => [...row[i]!].length));
  const pad = (cell: string, i: number) => cell + ' '.repeat(width(i) - [...cell].length);
  const line = (row: string[]) => `| ${row.map(pad).join(' | ')} |`;
  return [line(table[0]!), line(table[0]!.map((_, i) => '-'.repeat(width(i)))), ...table.slice(1).map(line)];
}

const resultsDir = path.join(PROJECT_ROOT, 'bench', 'results');
await mkdir(resultsDir, { recursive: true });
await writeFile(
  path.join(resultsDir, 'latest.json'),
  `${JSON.stringify({ machine, stale, staleLarge, ingestion, sweep, startup }, null, 2)}\n`,
);
await writeFile(path.join(resultsDir, 'latest.md'), markdown);
if (args.readme === 'yes') {
  const readmePath = path.join(PROJECT_ROOT, 'README.md');
  const readme = await readFile(readmePath, 'utf8');
  const start = '<!-- bench:start -->';
  const end = '<!-- bench:end -->';
  if (readme.includes(start) && readme.includes(end)) {
    const before = readme.slice(0, readme.indexOf(start) + start.length);
    const after = readme.slice(readme.indexOf(end));
    await writeFile(readmePath, `${before}\n${markdown}${after}`);
  }
}
console.log(`\nraw numbers: bench/results/latest.json; table: bench/results/latest.md`);
