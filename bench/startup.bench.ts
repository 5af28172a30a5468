// Start-up and footprint (issue 17): the bot as `npm start` runs it, on an embedded PostgreSQL whose data folder is
// initialised and migrated already (a first start does that, unmeasured). Each measured start is timed from spawning
// the process to the first /healthz 200; then, idle for a few seconds, the bot process's resident memory (the
// PostgreSQL processes not counted). Prints figures; asserts nothing.
//   npm run bench:startup -- [starts=3] [idleMs=3000]
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startFakeSlackApi } from '../test/support/fake-slack-api.ts';
import { freePort } from '../test/support/free-port.ts';
import {
  BENCH_SIGNING_SECRET,
  benchArgs,
  percentile,
  processCpuMs,
  rssMb,
  sleep,
  startBot,
  stopBot,
  waitHealthy,
} from './support.ts';

export type StartupResult = {
  starts: number;
  /** Spawn to the first /healthz 200, ms: each start, and their median. */
  startMs: number[];
  startMedianMs: number;
  /** CPU the bot process spent until healthy, ms (PostgreSQL's not counted): robust where other work shares the cores. */
  startCpuMs: number[];
  startCpuMedianMs: number;
  /** The bot process's resident memory after idling, MB: each start, and their median. */
  idleRssMb: number[];
  idleRssMedianMb: number;
};

export async function benchStartup(options: { starts?: number; idleMs?: number } = {}): Promise<StartupResult> {
  const starts = options.starts ?? 3;
  const idleMs = options.idleMs ?? 3000;
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'bugsweep-bench-start-'));
  const slack = await startFakeSlackApi();
  const env = {
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    SLACK_BOT_TOKEN: 'xoxb-bench',
    SLACK_SIGNING_SECRET: BENCH_SIGNING_SECRET,
    SLACK_API_URL: slack.url,
    DATA_DIR: dataDir,
    PORT: String(await freePort()),
    EMBEDDED_POSTGRES_PORT: String(await freePort()),
    BUG_CHANNELS: 'CBENCH',
    DEVELOPER_USERS: 'UDEV1',
  };
  const port = Number(env.PORT);
  try {
    // The first start initialises the data folder and migrates: not what is measured.
    const first = startBot(env);
    await waitHealthy(port, first.bot, first.startedAt, 120_000);
    await stopBot(first.bot);

    const startMs: number[] = [];
    const startCpuMs: number[] = [];
    const idleRssMb: number[] = [];
    for (let i = 0; i < starts; i += 1) {
      const { bot, startedAt } = startBot(env);
      try {
        startMs.push(await waitHealthy(port, bot, startedAt));
        startCpuMs.push(await processCpuMs(bot.child.pid!));
        await sleep(idleMs);
        idleRssMb.push(await rssMb(bot.child.pid!));
      } finally {
        await stopBot(bot);
      }
    }
    return {
      starts,
      startMs,
      startMedianMs: percentile(startMs, 50),
      startCpuMs,
      startCpuMedianMs: percentile(startCpuMs, 50),
      idleRssMb,
      idleRssMedianMb: percentile(idleRssMb, 50),
    };
  } finally {
    await slack.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

export function printStartup(result: StartupResult): void {
  const row = (what: string, value: string) => console.log(`${what.padEnd(44)} ${value}`);
  console.log(`start-up: ${result.starts} starts on an initialised embedded PostgreSQL`);
  row(
    'spawn to /healthz 200 (median)',
    `${result.startMedianMs.toFixed(0)} ms (${result.startMs.map((ms) => ms.toFixed(0)).join(', ')})`,
  );
  row(
    'CPU of the bot process until healthy (median)',
    `${result.startCpuMedianMs.toFixed(0)} ms (${result.startCpuMs.map((ms) => ms.toFixed(0)).join(', ')})`,
  );
  row(
    'idle RSS of the bot process (median)',
    `${result.idleRssMedianMb.toFixed(0)} MB (${result.idleRssMb.map((mb) => mb.toFixed(0)).join(', ')})`,
  );
}

if (import.meta.main) {
  const args = benchArgs();
  printStartup(
    await benchStartup({
      ...(args.starts ? { starts: Number(args.starts) } : {}),
      ...(args.idleMs ? { idleMs: Number(args.idleMs) } : {}),
    }),
  );
}
