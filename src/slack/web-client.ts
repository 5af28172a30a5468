// The one Web API client configuration, for the Bolt app's client and the services' (the notifier, the developer
// directory, the thread reader, the command line): the notifier owns retries and pacing, so a client fails fast
// (no retries, a 429 rejected at once with its Retry-After) and gives up on a call after 15 s; its HTTP is
// node:http with keep-alive (node-http-fetch.ts says why).
import { WebClient, type WebClientOptions } from '@slack/web-api';
import type { Config } from '../config.ts';
import { createNodeHttpFetch } from './node-http-fetch.ts';

/** One per process, so every client shares its keep-alive connections. */
let sharedFetch: WebClientOptions['fetch'];

export function slackClientOptions(config: Config): WebClientOptions {
  sharedFetch ??= createNodeHttpFetch();
  return {
    slackApiUrl: config.slack.apiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: 15_000,
    fetch: sharedFetch,
  };
}

/** A client with slackClientOptions. */
export function createSlackClient(config: Config): WebClient {
  return new WebClient(config.slack.botToken, slackClientOptions(config));
}
