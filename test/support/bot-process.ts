// The bot as a user starts it, `node bin/bugsweep.mjs`, in a child process with only the environment given.
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

export type BotProcess = { child: ChildProcess; exited: Promise<number | null>; output(): string };

export const PROJECT_ROOT = path.resolve(import.meta.dirname, '../..');

export function startBotProcess(
  env: Record<string, string>,
  script = 'bin/bugsweep.mjs',
  args: string[] = [],
): BotProcess {
  let output = '';
  const child = spawn(process.execPath, [script, ...args], {
    cwd: PROJECT_ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
}
