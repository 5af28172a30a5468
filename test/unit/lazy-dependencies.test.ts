// Dependencies that load only when used (src/lazy-dependencies.ts): in a fresh Node, as bin/bugsweep.mjs starts the
// bot (the stand-ins first, then sources that import the libraries), loading Bolt and building an HTTP-mode App
// leaves @slack/socket-mode and its undici unloaded, and a Socket Mode App gets the real client; prom-client's
// default metrics are collected without @opentelemetry/api.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../support/bot-process.ts';

const run = promisify(execFile);

/** Runs `source` in a fresh Node with the stand-ins loaded first, as bin/bugsweep.mjs does; its last line as JSON. */
async function withStandIns(source: string): Promise<unknown> {
  const { stdout } = await run(
    process.execPath,
    ['--import', './src/lazy-dependencies.ts', '--input-type=module', '--eval', source],
    { cwd: PROJECT_ROOT, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' } },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}');
}

/** What a fresh Node reports after the stand-in and then a module importing Bolt statically, as the bot loads them. */
async function inFreshNode(socketMode: boolean): Promise<unknown> {
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
  return withStandIns(source);
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

describe("prom-client's OpenTelemetry API", () => {
  it('is not loaded to collect the default metrics', async () => {
    const source = [
      "import { createRequire } from 'node:module';",
      "import { collectDefaultMetrics, Registry } from 'prom-client';",
      'const registry = new Registry();',
      "collectDefaultMetrics({ register: registry, prefix: 'bugsweep_' });",
      'const text = await registry.metrics();',
      "const cache = Object.keys(createRequire(process.cwd() + '/package.json').cache);",
      "const otel = cache.filter((id) => id.includes('/@opentelemetry/api/build/'));",
      "console.log(JSON.stringify({ otel, cpu: text.includes('bugsweep_process_cpu_seconds_total') }));",
    ].join('\n');
    expect(await withStandIns(source)).toEqual({ otel: [], cpu: true });
  });
});
