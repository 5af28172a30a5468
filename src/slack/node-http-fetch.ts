// The Web API client's HTTP, over node:http and node:https with keep-alive agents instead of the global fetch.
// Kept home-made for memory: the global fetch is Node's bundled undici, whose first request loads its HTTP parser
// (compiled WebAssembly) and machinery for the life of the process, about 11 MB of an idle bot's resident memory
// (`npm run bench:startup`). The Web API needs little of fetch: a POST of a form, the status, a few headers, the
// text. Only what the client asks for is done: `redirect: 'error'` refuses a redirect as fetch does, an abort
// signal (the client's timeout) rejects with its reason, and a multipart body (a file upload) goes to the global
// fetch, which encodes FormData.
import http from 'node:http';
import https from 'node:https';
import type { FetchFunction } from '@slack/web-api';

type FetchRequestInit = NonNullable<Parameters<FetchFunction>[1]>;
type FetchResponse = Awaited<ReturnType<FetchFunction>>;
type FetchHeaders = FetchResponse['headers'];

export function createNodeHttpFetch(): FetchFunction {
  const agents = {
    'http:': new http.Agent({ keepAlive: true }),
    'https:': new https.Agent({ keepAlive: true }),
  };
  return (input, init = {}) => {
    if (init.body !== undefined && typeof init.body !== 'string') return globalThis.fetch(input, init);
    const url = new URL(String(input));
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      return Promise.reject(new TypeError(`cannot fetch ${url.protocol} URLs`));
    }
    return request(url, init, url.protocol === 'https:' ? agents['https:'] : agents['http:']);
  };
}

function request(url: URL, init: FetchRequestInit, agent: http.Agent): Promise<FetchResponse> {
  const body = typeof init.body === 'string' ? init.body : undefined;
  const signal = init.signal;
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const transport = url.protocol === 'https:' ? https : http;
    const req = transport.request(url, {
      method: init.method ?? 'GET',
      headers: {
        ...init.headers,
        ...(body === undefined ? {} : { 'content-length': String(Buffer.byteLength(body)) }),
      },
      agent,
    });
    const onAbort = () => {
      reject(signal?.reason);
      req.destroy();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    const done = () => signal?.removeEventListener('abort', onAbort);
    req.once('error', (error) => {
      done();
      reject(error);
    });
    req.once('response', (res) => {
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400 && res.headers.location && init.redirect !== 'manual') {
        // Neither 'error' (the client's) nor 'follow' is worth following here: the Web API does not redirect.
        res.resume();
        done();
        reject(new TypeError(`fetch refused a redirect to ${res.headers.location} (redirect: ${init.redirect})`));
        return;
      }
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.once('error', (error) => {
        done();
        reject(error);
      });
      res.once('end', () => {
        done();
        if (!res.complete) {
          reject(new Error('the connection closed before the whole response arrived'));
          return;
        }
        resolve(responseOf(url, status, res.statusMessage ?? '', res.headers, Buffer.concat(chunks)));
      });
    });
    req.end(body);
  });
}

function responseOf(
  url: URL,
  status: number,
  statusText: string,
  raw: http.IncomingHttpHeaders,
  body: Buffer,
): FetchResponse {
  const headers: FetchHeaders = {
    get: (name) => joined(raw[name.toLowerCase()]),
    *entries() {
      for (const [name, value] of Object.entries(raw)) {
        const text = joined(value);
        if (text !== null) yield [name, text];
      }
    },
  };
  return {
    ok: status >= 200 && status < 300,
    status,
    statusText,
    url: url.href,
    headers,
    arrayBuffer: async () => new Uint8Array(body).buffer,
    json: async () => JSON.parse(body.toString('utf8')),
    text: async () => body.toString('utf8'),
  };
}

function joined(value: string | string[] | undefined): string | null {
  if (value === undefined) return null;
  return typeof value === 'string' ? value : value.join(', ');
}
