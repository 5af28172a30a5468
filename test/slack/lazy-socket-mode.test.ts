// Socket Mode's client loads only when Socket Mode is used (src/slack/lazy-socket-mode.ts): in a fresh Node, as
// bin/bugsweep.mjs starts the bot (the stand-in first, then sources that import Bolt), loading Bolt and building
// an HTTP-mode App leaves @slack/socket-mode and its undici unloaded; a Socket Mode App gets the real client.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../support/bot-process.ts';

const run = promisify(execFile);

/** What a fresh Node reports after the stand-in and then a module importing Bolt statically, as the bot loads them. */
async function inFreshNode(socketMode: boolean): Promise<{ loaded: string[]; client: string | null }> {
  const app = socketMode
    ? "new App({ token: 'xoxb-t', appToken: 'xapp-1-t', socketMode: true, tokenVerificationEnabled: false })"
    : "new App({ token: 'xoxb-t', signingSecret: 's', tokenVerificationEnabled: false })";
  const source = [
    "import { createRequire } from 'node:module';",
    "import { App } from '@slack/bolt';",
    `const app = ${app};`,
    "const cache = Object.keys(createRequire(process.cwd() + '/package.json').cache);",
    "const loaded = ['/@slack/socket-mode/dist/src/SocketModeClient.js', '/undici/index.js'].filter((end) => cache.some((id) => id.endsWith(end)));",
    'const client = app.receiver.client?.constructor.name ?? null;',
    'console.log(JSON.stringify({ loaded, client }));',
  ].join('\n');
  const { stdout } = await run(
    process.execPath,
    ['--import', './src/slack/lazy-socket-mode.ts', '--input-type=module', '--eval', source],
    { cwd: PROJECT_ROOT, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' } },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}');
}

describe("Socket Mode's client", () => {
  it('is not loaded by an HTTP-mode bot', async () => {
    expect(await inFreshNode(false)).toEqual({ loaded: [], client: null });
  });

  it('is the real one, with its undici, in Socket Mode', async () => {
    expect(await inFreshNode(true)).toEqual({
      loaded: ['/@slack/socket-mode/dist/src/SocketModeClient.js', '/undici/index.js'],
      client: 'SocketModeClient',
    });
  });
});
