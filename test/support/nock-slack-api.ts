// Slack's Web API intercepted by nock, for tests that run the bot's code in-process: the same record of calls,
// scripted replies and default answers as the loopback fake (fake-slack-api.ts), served at Slack's own address
// (https://slack.com/api/, the default SLACK_API_URL), so @slack/web-api's requests never leave the process. A
// `networkError` reply fails the request as a dropped connection would; a reply that is a promise holds the
// answer back, so a client's timeout runs out first. The suite refuses every other request off this machine
// (nock-setup.ts).
import nock from 'nock';
import { afterAll, afterEach } from 'vitest';
import { createSlackApiScript, type FakeSlackApi } from './fake-slack-api.ts';

export const SLACK_API_URL = 'https://slack.com/api/';

/** Intercepts every Web API call until close(); call reset() between tests as with the loopback fake. */
export function interceptSlackApi(): FakeSlackApi {
  const script = createSlackApiScript();
  const { origin, pathname } = new URL(SLACK_API_URL);
  const interceptor = nock(origin)
    .persist()
    .post((path) => path.startsWith(pathname));
  interceptor.reply(async (request: Request) => {
    const method = new URL(request.url).pathname.slice(pathname.length);
    const raw = await request.text();
    const reply = await script.answer(method, raw, request.headers.get('content-type') ?? '');
    if ('networkError' in reply) {
      throw Object.assign(new Error(`socket hang up (${reply.networkError})`), { code: reply.networkError });
    }
    return [reply.status, reply.body, reply.headers ?? {}];
  });
  return {
    ...script.api,
    url: SLACK_API_URL,
    close: async () => {
      nock.removeInterceptor(interceptor);
    },
  };
}

/** Call at the top of a test file: Slack intercepted for the whole file, its record and script reset after each test. */
export function useNockSlackApi(): FakeSlackApi {
  const api = interceptSlackApi();
  afterEach(() => api.reset());
  afterAll(() => api.close());
  return api;
}
