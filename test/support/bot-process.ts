// The bot as a user starts it, `node bin/bugsweep.mjs` (or `npm start`), in a child process with only the
// environment given.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export type BotProcess = { child: ChildProcess; exited: Promise<number | null>; output(): string };

export const PROJECT_ROOT = path.resolve(import.meta.dirname, '../..');

/** The flags `npm start` gives node before the script (package.json), so a child starts as `npm start` starts it. */
export const START_NODE_FLAGS: string[] = (() => {
  const scripts = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')).scripts as {
    start: string;
  };
  const words = scripts.start.split(/\s+/);
  return words.slice(words.indexOf('node') + 1, words.indexOf('bin/bugsweep.mjs'));
})();

/**
 * Node's compile cache for every child, as bin/bugsweep.mjs turns it on for the bot: the command-line scripts
 * (`node src/cli/….ts`) then skip type-stripping and compiling the sources on every run after the first.
 */
const COMPILE_CACHE = { NODE_COMPILE_CACHE: path.join(os.tmpdir(), 'bugsweep-test-compile-cache') };

export function startBotProcess(
  env: Record<string, string>,
  script = 'bin/bugsweep.mjs',
  args: string[] = [],
  options: { cwd?: string; node?: string; nodeFlags?: string[] } = {},
): BotProcess {
  return track(
    spawn(options.node ?? process.execPath, [...(options.nodeFlags ?? START_NODE_FLAGS), script, ...args], {
      cwd: options.cwd ?? PROJECT_ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...COMPILE_CACHE, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
}

/**
 * `npm start` as a user (or a container's PID 1) runs it, in a process group of its own: `child` is npm, so a
 * signal sent to `child` reaches npm alone, and `killGroup` ends whatever npm left behind.
 */
export function startBotWithNpm(env: Record<string, string>, cwd = PROJECT_ROOT): BotProcess & { killGroup(): void } {
  const child = spawn('npm', ['start', '--silent'], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  return {
    ...track(child),
    killGroup() {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // the group is gone already
      }
    },
  };
}

function track(child: ChildProcess): BotProcess {
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
}

/** Polls the child's /healthz until it answers 200 (a minute at most: the machine is shared); fails at once if the
 * child exits first. */
export async function waitUntilHealthy(bot: BotProcess, baseUrl: string): Promise<void> {
  for (let attempt = 0; attempt < 600; attempt += 1) {
    if (bot.child.exitCode !== null) throw new Error(`bot exited early:\n${bot.output()}`);
    try {
      if ((await fetch(`${baseUrl}/healthz`)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100)); // polling a child process, not waiting on our own clock
  }
  throw new Error(`bot never answered /healthz:\n${bot.output()}`);
}
