// The one Web API client configuration, for the Bolt app's client and the services' (the notifier, the developer
// directory, the thread reader, the command line): the notifier owns retries and pacing, so a client fails fast
// (no retries, a 429 rejected at once with its Retry-After) and gives up on a call after 15 s; its HTTP is
// node:http with keep-alive (node-http-fetch.ts says why). The services' client reports each call to /metrics.
import { type WebAPICallResult, WebClient, type WebClientOptions } from '@slack/web-api';
import type { Config } from '../config.ts';
import { callOutcome } from '../domain/slack-errors.ts';
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

/** Told of every call a client makes: its method and outcome (`ok`, or callOutcome's label); for /metrics. */
export type WebApiCallObserver = (method: string, outcome: string) => void;

/**
 * A WebClient that reports each call. Its method helpers (`chat.postMessage`…) are bound to `apiCall` when it is
 * built, so the override here is what every call goes through.
 */
class ObservedWebClient extends WebClient {
  readonly #observe: WebApiCallObserver;
  constructor(token: string, options: WebClientOptions, observe: WebApiCallObserver) {
    super(token, options);
    this.#observe = observe;
  }
  override async apiCall(method: string, options?: Record<string, unknown>): Promise<WebAPICallResult> {
    try {
      const result = await super.apiCall(method, options);
      this.#observe(method, 'ok');
      return result;
    } catch (error) {
      this.#observe(method, callOutcome(error));
      throw error;
    }
  }
}

/** A client with slackClientOptions; with `observe`, told of each call. */
export function createSlackClient(config: Config, observe?: WebApiCallObserver): WebClient {
  const options = slackClientOptions(config);
  return observe
    ? new ObservedWebClient(config.slack.botToken, options, observe)
    : new WebClient(config.slack.botToken, options);
}
