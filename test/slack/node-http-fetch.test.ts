// The Web API client's HTTP over node:http (src/slack/node-http-fetch.ts), at Slack's address intercepted by nock:
// the WebClient configured as bugsweep configures it gets what it would get from fetch (the answer, its headers,
// a 429's Retry-After, a 5xx, a dropped connection, its timeout), a redirect is refused, and a file upload's
// multipart body still goes out.
import { ErrorCode, WebClient } from '@slack/web-api';
import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { slackClientOptions } from '../../src/bugsweep.ts';
import { createNodeHttpFetch } from '../../src/slack/node-http-fetch.ts';
import { testConfig } from '../support/test-app.ts';

const SLACK = 'https://slack.com';
const client = (timeout?: number) =>
  new WebClient('xoxb-test-token', {
    ...slackClientOptions(testConfig({}, `${SLACK}/api/`)),
    ...(timeout ? { timeout } : {}),
  });

afterEach(() => {
  nock.cleanAll();
});

describe("the Web API client's HTTP", () => {
  it('posts the form with the token and returns the parsed answer with the scopes from its headers', async () => {
    let seen: { body: string; auth: string | undefined; type: string | undefined } | null = null;
    nock(SLACK)
      .post('/api/chat.postMessage')
      .reply(async (request: Request) => {
        seen = {
          body: await request.text(),
          auth: request.headers.get('authorization') ?? undefined,
          type: request.headers.get('content-type') ?? undefined,
        };
        return [200, { ok: true, ts: '1.2' }, { 'x-oauth-scopes': 'chat:write, channels:history' }];
      });
    const result = await client().chat.postMessage({ channel: 'C1', text: 'héllo & <b>' });
    expect(result).toMatchObject({ ok: true, ts: '1.2' });
    expect(result.response_metadata?.scopes).toEqual(['chat:write', 'channels:history']);
    expect(seen).toMatchObject({ auth: 'Bearer xoxb-test-token', type: 'application/x-www-form-urlencoded' });
    expect(new URLSearchParams(seen!.body).get('text')).toBe('héllo & <b>');
  });

  it('rejects a 429 at once with its Retry-After', async () => {
    nock(SLACK).post('/api/chat.update').reply(429, { ok: false, error: 'ratelimited' }, { 'retry-after': '7' });
    await expect(client().chat.update({ channel: 'C1', ts: '1.2', text: 'x' })).rejects.toMatchObject({
      code: ErrorCode.RateLimitedError,
      retryAfter: 7,
    });
  });

  it('reports a 5xx as an HTTP error with its status and body', async () => {
    nock(SLACK).post('/api/chat.postMessage').reply(503, 'down for maintenance');
    await expect(client().chat.postMessage({ channel: 'C1', text: 'x' })).rejects.toMatchObject({
      code: ErrorCode.HTTPError,
      statusCode: 503,
      body: 'down for maintenance',
    });
  });

  it('reports a dropped connection as a request error carrying the cause', async () => {
    nock(SLACK)
      .post('/api/chat.postMessage')
      .replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    await expect(client().chat.postMessage({ channel: 'C1', text: 'x' })).rejects.toMatchObject({
      code: ErrorCode.RequestError,
      original: { code: 'ECONNRESET' },
    });
  });

  it("gives up when the client's timeout runs out, with the timeout as the reason", async () => {
    nock(SLACK).post('/api/chat.postMessage').delay(2_000).reply(200, { ok: true });
    await expect(client(100).chat.postMessage({ channel: 'C1', text: 'x' })).rejects.toMatchObject({
      code: ErrorCode.RequestError,
      original: { name: 'TimeoutError' },
    });
  });

  it('refuses a redirect instead of following it', async () => {
    nock(SLACK).post('/api/auth.test').reply(302, '', { location: 'https://elsewhere.example/' });
    await expect(client().auth.test()).rejects.toMatchObject({
      code: ErrorCode.RequestError,
      original: { message: expect.stringContaining('refused a redirect') },
    });
  });

  it('sends a multipart body (a file upload) through the global fetch', async () => {
    let type: string | undefined;
    nock(SLACK)
      .post('/api/files.upload')
      .reply(async (request: Request) => {
        type = request.headers.get('content-type') ?? undefined;
        return [200, { ok: true }];
      });
    const form = new FormData();
    form.append('file', new Blob(['log line']), 'log.txt');
    const response = await createNodeHttpFetch()(`${SLACK}/api/files.upload`, { method: 'POST', body: form });
    expect(await response.json()).toEqual({ ok: true });
    expect(type).toMatch(/^multipart\/form-data; boundary=/);
  });

  it('lists every response header, a repeated one joined', async () => {
    nock(SLACK)
      .post('/api/auth.test')
      .reply(200, { ok: true }, { 'x-slack-req-id': 'abc', 'set-cookie': ['a=1', 'b=2'] });
    const response = await createNodeHttpFetch()(`${SLACK}/api/auth.test`, { method: 'POST', body: '' });
    expect(response).toMatchObject({ ok: true, status: 200, url: `${SLACK}/api/auth.test` });
    expect(Object.fromEntries(response.headers.entries())).toMatchObject({
      'x-slack-req-id': 'abc',
      'set-cookie': 'a=1, b=2',
    });
    expect(response.headers.get('X-Slack-Req-Id')).toBe('abc');
  });
});
