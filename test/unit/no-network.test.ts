// No test can reach Slack: nock-setup.ts (a setupFiles entry of vitest.config.ts) refuses every request that
// leaves this machine, whether it goes through fetch (what @slack/web-api 8 uses), node:https or the WebClient
// itself, while loopback (the bot's own server, the loopback fake) stays reachable.
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { LogLevel, WebClient } from '@slack/web-api';
import { describe, expect, it } from 'vitest';
import { withoutInterception } from '../support/network.ts';

const REFUSED = { name: 'NetConnectNotAllowedError', message: expect.stringContaining('slack.com') };

describe('the network in tests', () => {
  it('refuses a fetch to https://slack.com', async () => {
    const error = await fetch('https://slack.com/api/auth.test', { method: 'POST' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as TypeError).cause).toMatchObject(REFUSED);
  });

  it("refuses the Web API client's call to Slack before anything is sent", async () => {
    const client = new WebClient('xoxb-not-a-token', { retryConfig: { retries: 0 }, logLevel: LogLevel.ERROR });
    const error = await client.auth.test().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'slack_webapi_request_error' });
    expect((error as { original: Error }).original.cause).toMatchObject(REFUSED);
  });

  it('refuses node:https to slack.com', async () => {
    const error = await new Promise<unknown>((resolve) => {
      const request = https.request('https://slack.com/api/auth.test', { method: 'POST' }, () => resolve(null));
      request.on('error', resolve);
      request.end();
    });
    expect(error).toMatchObject(REFUSED);
  });

  it('refuses again after a test ran with the interception off (withoutInterception)', async () => {
    await withoutInterception(async () => {});
    const error = await fetch('https://slack.com/api/auth.test', { method: 'POST' }).catch((e: unknown) => e);
    expect((error as TypeError).cause).toMatchObject(REFUSED);
  });

  it('lets loopback through', async () => {
    const server = http.createServer((_req, res) => res.end('local'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe('local');
      expect(await (await fetch(`http://localhost:${port}/`)).text()).toBe('local');
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
