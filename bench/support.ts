// What the benchmarks share: an embedded PostgreSQL, the bot as a user starts it (a child process), requests signed
// as Slack signs them over kept-alive connections, percentiles and the resident memory of a process.
import { readdir, readFile } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { type BotProcess, START_NODE_FLAGS, startBotProcess } from '../test/support/bot-process.ts';
import { signature } from '../test/support/signed-requests.ts';

export const BENCH_SIGNING_SECRET = 'bench-signing-secret-0123456789abcdef';

/** The p-th percentile (0..100) of the values, nearest rank. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

/** Resident set size of a process in MB (Linux /proc), or NaN where it cannot be read. */
export async function rssMb(pid: number): Promise<number> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1]);
    return kb / 1024;
  } catch {
    return Number.NaN;
  }
}

/** Runs `work` for every item with at most `concurrency` in flight. */
export async function inParallel<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const item = items[next]!;
        next += 1;
        await work(item);
      }
    }),
  );
}

/** Posts Events API deliveries to /slack/events, signed, over at most `sockets` kept-alive connections. */
export function createSignedSender(port: number, sockets: number, secret = BENCH_SIGNING_SECRET) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: sockets });
  let seq = 0;
  return {
    /** Resolves with the HTTP status once the bot has answered. */
    sendEvent(event: Record<string, unknown>): Promise<number> {
      seq += 1;
      const now = Math.floor(Date.now() / 1000);
      const body = JSON.stringify({
        token: 'legacy-verification-token',
        team_id: 'TBENCH',
        api_app_id: 'ABENCH',
        event,
        type: 'event_callback',
        event_id: `EvBENCH${seq}`,
        event_time: now,
        authorizations: [{ team_id: 'TBENCH', user_id: 'UBOT', is_bot: true, is_enterprise_install: false }],
        is_ext_shared_channel: false,
      });
      return new Promise((resolve, reject) => {
        const req = http.request(
          {
            host: '127.0.0.1',
            port,
            path: '/slack/events',
            method: 'POST',
            agent,
            headers: {
              'content-type': 'application/json',
              'content-length': Buffer.byteLength(body),
              'x-slack-request-timestamp': String(now),
              'x-slack-signature': signature(secret, now, body),
            },
          },
          (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
          },
        );
        req.on('error', reject);
        req.end(body);
      });
    },
    close: () => agent.destroy(),
  };
}

/** Polls GET /healthz every 10 ms until it answers 200; the milliseconds that took from `since`. */
export async function waitHealthy(port: number, bot: BotProcess, since: number, timeoutMs = 60_000): Promise<number> {
  const deadline = since + timeoutMs;
  while (performance.now() < deadline) {
    if (bot.child.exitCode !== null) throw new Error(`the bot exited early:\n${bot.output()}`);
    const status = await new Promise<number>((resolve) => {
      const req = http.get({ host: '127.0.0.1', port, path: '/healthz' }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', () => resolve(0));
    });
    if (status === 200) return performance.now() - since;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`the bot never answered /healthz:\n${bot.output()}`);
}

/** The bot as `npm start` runs it, with only this environment. */
export function startBot(env: Record<string, string>, nodeFlags?: string[]): { bot: BotProcess; startedAt: number } {
  const startedAt = performance.now();
  return { bot: startBotProcess(env, undefined, [], nodeFlags ? { nodeFlags } : {}), startedAt };
}

export async function stopBot(bot: BotProcess): Promise<number | null> {
  if (bot.child.exitCode === null) bot.child.kill('SIGTERM');
  return bot.exited;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** CLI arguments written key=value. */
export function benchArgs(argv = process.argv.slice(2)): Record<string, string> {
  return Object.fromEntries(argv.filter((arg) => arg.includes('=')).map((arg) => arg.split('=') as [string, string]));
}

/** CPU time (user + system, ms) one process has spent, its children not counted, from /proc; NaN off Linux. */
export async function processCpuMs(pid: number): Promise<number> {
  try {
    const text = await readFile(`/proc/${pid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return Number.NaN;
  }
}

/** CPU time (user + system, ms) a process and its descendants alive now have spent, from /proc; NaN off Linux. */
export async function treeCpuMs(rootPid: number): Promise<number> {
  try {
    const stats = new Map<number, { ppid: number; ms: number }>();
    for (const entry of await readdir('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const text = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
      // The command name is in parentheses and may hold spaces: fields are counted after its closing one.
      const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
      if (fields.length < 15) continue;
      const ticks = Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
      stats.set(Number(entry), { ppid: Number(fields[1]), ms: (ticks * 1000) / CLOCK_TICKS });
    }
    let total = 0;
    const inTree = (pid: number): boolean => {
      for (let at: number | undefined = pid; at; at = stats.get(at)?.ppid) if (at === rootPid) return true;
      return false;
    };
    for (const [pid, stat] of stats) if (inTree(pid)) total += stat.ms;
    return total;
  } catch {
    return Number.NaN;
  }
}
/** USER_HZ: the unit of CPU times in /proc/<pid>/stat, 100 on Linux. */
const CLOCK_TICKS = 100;

/** The postmaster's process id of an embedded PostgreSQL (first line of postmaster.pid in its data folder). */
export async function postmasterPid(databaseDir: string): Promise<number> {
  return Number((await readFile(path.join(databaseDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
}
export { PROJECT_ROOT } from '../test/support/bot-process.ts';
export { START_NODE_FLAGS };
