// The bot from production dependencies only, the way the container gets and runs it (this machine cannot build
// images): the files the Dockerfile copies go to a temporary folder, the install stage's own RUN command
// (`npm ci --omit=dev`, then the `node` package dropped, as the image has its Node) runs there, and the bot starts as
// the image's CMD starts it, on this Node with nothing of the project's own node_modules reachable. Healthy by the
// image's HEALTHCHECK command, the operator CLI works, SIGTERM stops it with exit 0: so nothing the running bot needs
// hides in devDependencies.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BotProcess, PROJECT_ROOT, startBotProcess, waitUntilHealthy } from '../support/bot-process.ts';
import { copyOf, execForm, instructionsOf, readDockerfile } from '../support/dockerfile.ts';
import { type FakeSlackApi, startFakeSlackApi } from '../support/fake-slack-api.ts';
import { freePort } from '../support/free-port.ts';
import { BASE_TEST_ENV } from '../support/test-app.ts';

let slackApi: FakeSlackApi;
let appDir: string;
let dataDir: string;
let bot: BotProcess | undefined;

beforeAll(async () => {
  slackApi = await startFakeSlackApi();
  appDir = await mkdtemp(path.join(os.tmpdir(), 'bugsweep-production-'));
  // As root the embedded PostgreSQL runs its binaries as the "postgres" user, who must be able to reach them.
  await chmod(appDir, 0o755);
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'bugsweep-production-data-'));
});
afterAll(async () => {
  if (bot && bot.child.exitCode === null) {
    bot.child.kill('SIGKILL');
    await bot.exited;
  }
  await slackApi.close();
  await rm(appDir, { recursive: true, force: true });
  await rm(dataDir, { recursive: true, force: true });
});

/** PATH without this checkout's node_modules/.bin, so nothing installed for development can stand in. */
const PATH = (process.env.PATH ?? '')
  .split(path.delimiter)
  .filter((entry) => !entry.startsWith(PROJECT_ROOT))
  .join(path.delimiter);

function run(
  command: string,
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: appDir, env: { HOME: process.env.HOME ?? '', ...env }, stdio: 'pipe' });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('close', (code) => resolve({ code, output })); // after its output, unlike 'exit'
  });
}

describe('the bot on production dependencies only', () => {
  it('installs with the Dockerfile’s npm ci --omit=dev, starts as its CMD, is healthy, runs the CLI and stops on SIGTERM', {
    timeout: 300_000,
  }, async () => {
    const dockerfile = readDockerfile();
    for (const stage of dockerfile.stages) {
      for (const copy of instructionsOf(stage, 'COPY').map(copyOf)) {
        if (copy.from !== null) continue; // the install stage's node_modules: installed in place below
        for (const source of copy.sources) {
          const target = copy.destination.endsWith('/')
            ? path.join(copy.destination, path.basename(source))
            : copy.destination;
          await cp(path.join(PROJECT_ROOT, source), path.join(appDir, target), { recursive: true });
        }
      }
    }
    const installStage = dockerfile.stages.find((stage) =>
      instructionsOf(stage, 'RUN').some((command) => command.includes('npm ci')),
    )!;
    for (const command of instructionsOf(installStage, 'RUN')) {
      // From npm's cache when it has the packages (it does after the checkout's own install), else the registry.
      const install = await run('sh', ['-c', command], {
        PATH: process.env.PATH ?? '',
        npm_config_prefer_offline: 'true',
      });
      expect(install.code, install.output).toBe(0);
    }

    const lock = JSON.parse(await readFile(path.join(appDir, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { dev?: boolean }>;
    };
    const devOnly = Object.entries(lock.packages).filter(([key, entry]) => key && entry.dev);
    expect(devOnly.map(([key]) => key)).toEqual(
      expect.arrayContaining(['node_modules/vitest', 'node_modules/typescript']),
    );
    expect(devOnly.filter(([key]) => existsSync(path.join(appDir, key))).map(([key]) => key)).toEqual([]);
    expect(existsSync(path.join(appDir, 'node_modules/@slack/bolt'))).toBe(true);
    expect(existsSync(path.join(appDir, 'test'))).toBe(false);

    const finalStage = dockerfile.stages.at(-1)!;
    const [node, ...args] = execForm(instructionsOf(finalStage, 'CMD')[0]!)!;
    expect(node).toBe('node');
    const port = await freePort();
    const env = {
      ...BASE_TEST_ENV,
      PATH,
      NODE_ENV: 'production',
      LOG_LEVEL: 'info',
      SLACK_API_URL: slackApi.url,
      DATA_DIR: dataDir,
      PORT: String(port),
      EMBEDDED_POSTGRES_PORT: String(await freePort()),
    };
    bot = startBotProcess(env, args[0], args.slice(1), { cwd: appDir });

    const healthcheck = instructionsOf(finalStage, 'HEALTHCHECK')[0]!;
    const [, ...check] = execForm(healthcheck.slice(healthcheck.indexOf('CMD ') + 'CMD '.length))!;
    // Waits with fetch, not by starting the check's own Node every 200 ms (which slowed the bot's start on a shared
    // machine); then the HEALTHCHECK command itself must pass, and keeps trying a while if it does not at once.
    await waitUntilHealthy(bot, `http://127.0.0.1:${port}`);
    let health = await run(process.execPath, check, { PATH, PORT: String(port) });
    for (let attempt = 0; health.code !== 0 && attempt < 600; attempt += 1) {
      if (bot.child.exitCode !== null) throw new Error(`bot exited early:\n${bot.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 200)); // polling a child process, not our own clock
      health = await run(process.execPath, check, { PATH, PORT: String(port) });
    }
    expect(health.code, bot.output()).toBe(0);
    expect(health.output).toMatch(/^200 /);

    const preview = await run(process.execPath, ['src/cli/sweep-cli.ts', 'preview'], env);
    expect(preview.code, preview.output).toBe(0);

    bot.child.kill('SIGTERM');
    expect(await bot.exited, bot.output()).toBe(0);
    expect(bot.output()).toContain('bugsweep stopped');
    const after = await run(process.execPath, check, { PATH, PORT: String(port) });
    expect(after.code, after.output).toBe(1);
    expect(after.output).toContain('no answer');
  });
});
