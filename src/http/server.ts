// bugsweep's one HTTP server on PORT, in both Slack modes: /slack/events (HTTP mode), /healthz, and whatever
// else is mounted (the agent API, metrics, MCP). Every body is capped at 1 MB before it is read.
// POST /slack/events, the one route that carries every Slack event, is served straight from node:http: it needs
// none of the router, and building a Fetch Request and Response per event cost more than the rest of its answer.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import { type Context, type Env, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { methodNotAllowed } from 'hono/method-not-allowed';
import type { Logger } from '../logger.ts';
import { PROBLEM_CONTENT_TYPE, problem, problemResponse } from './problem.ts';

export const MAX_BODY_BYTES = 1024 * 1024;

/** What answers /slack/events in HTTP mode (src/slack/http-receiver.ts): given the raw request, never throws. */
export type SlackRequestHandler = {
  handle(request: {
    headers: { get(name: string): string | null };
    rawBody: string;
  }): Promise<{ status: number; body?: string; contentType?: string }>;
};

/** What /healthz reports besides the database; the Socket Mode connection, when there is one. */
export type HealthPart = { name: string; healthy: () => boolean; describe: () => string };

export type HttpServerDeps = {
  logger: Logger;
  databaseReachable: () => Promise<boolean>;
  slack?: SlackRequestHandler;
  parts?: HealthPart[];
  /** Further routes (the agent API, metrics, MCP), mounted at the root. */
  mount?: (app: Hono) => void;
};

export type HttpServer = {
  app: Hono;
  /** Listens on PORT (0: any free port) and returns the port bound. */
  listen(port: number): Promise<number>;
  /** Stops accepting connections and closes the idle ones; requests in flight finish. */
  close(): Promise<void>;
};

/** Under a second, so the 503 reaches a probe that waits one second (Kubernetes' default timeout) before it gives up. */
const HEALTH_TIMEOUT_MS = 750;

export function createHttpServer(deps: HttpServerDeps): HttpServer {
  const app = new Hono();
  app.use(
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: () => problemResponse(problem('tooLarge', 413, 'Bodies are limited to 1 MB.')),
    }),
  );

  app.get('/healthz', async (c) => {
    // A hung database must not hang the load balancer's probe: no answer in time counts as down.
    const database = await Promise.race([
      deps.databaseReachable().catch(() => false),
      new Promise<false>((resolve) => setTimeout(() => resolve(false), HEALTH_TIMEOUT_MS).unref()),
    ]);
    const parts = deps.parts ?? [];
    const unhealthy = [...(database ? [] : ['database']), ...parts.filter((p) => !p.healthy()).map((p) => p.name)];
    return c.json(
      {
        status: unhealthy.length === 0 ? 'ok' : 'unavailable',
        database: database ? 'reachable' : 'unreachable',
        ...Object.fromEntries(parts.map((p) => [p.name, p.describe()])),
      },
      unhealthy.length === 0 ? 200 : 503,
    );
  });

  deps.mount?.(app);

  answerUnrouted(app);
  app.onError((error) => {
    deps.logger.error({ err: error }, 'HTTP handler failed');
    return problemResponse(problem('internal', 500, 'The request failed on our side; it is logged.'));
  });

  let server: Server | null = null;
  return {
    app,
    listen(port) {
      const listener = getRequestListener(app.fetch);
      const slack = deps.slack;
      const created = createServer((req, res) => {
        if (slack && req.method === 'POST' && pathOf(req.url) === SLACK_EVENTS_PATH) {
          void answerSlack(slack, req, res, deps.logger);
        } else void listener(req, res);
      });
      server = created;
      return new Promise((resolve, reject) => {
        created.once('error', reject);
        created.listen(port, () => resolve((created.address() as AddressInfo).port));
      });
    },
    async close() {
      const closing = server;
      if (!closing) return;
      server = null;
      await new Promise<void>((resolve) => {
        closing.close(() => resolve());
        closing.closeIdleConnections();
      });
    },
  };
}

const SLACK_EVENTS_PATH = '/slack/events';

function pathOf(url: string | undefined): string {
  const query = url?.indexOf('?') ?? -1;
  return query === -1 ? (url ?? '') : (url ?? '').slice(0, query);
}

/** POST /slack/events: the body read up to 1 MB (413 beyond, as every route), then the receiver's answer. */
async function answerSlack(
  receiver: SlackRequestHandler,
  req: IncomingMessage,
  res: ServerResponse,
  logger: Logger,
): Promise<void> {
  try {
    const rawBody = await readCapped(req);
    if (rawBody === null) {
      const body = JSON.stringify(problem('tooLarge', 413, 'Bodies are limited to 1 MB.'));
      res.writeHead(413, { 'content-type': PROBLEM_CONTENT_TYPE }).end(body);
      return;
    }
    const headers = req.headers;
    const answer = await receiver.handle({
      headers: { get: (name) => oneHeader(headers[name.toLowerCase()]) },
      rawBody,
    });
    res.writeHead(answer.status, answer.contentType ? { 'content-type': answer.contentType } : {});
    res.end(answer.body);
  } catch (error) {
    logger.error({ err: error }, 'HTTP handler failed');
    if (!res.headersSent) {
      const body = JSON.stringify(problem('internal', 500, 'The request failed on our side; it is logged.'));
      res.writeHead(500, { 'content-type': PROBLEM_CONTENT_TYPE });
      res.end(body);
    } else res.destroy();
  }
}

/**
 * The body as text, or null once it is over MAX_BODY_BYTES (said so up front, or found while reading) or the client
 * went away. Nothing past the limit is kept.
 */
function readCapped(req: IncomingMessage): Promise<string | null> {
  if (Number(req.headers['content-length'] ?? 0) > MAX_BODY_BYTES) return Promise.resolve(null);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) {
        chunks.push(chunk);
        return;
      }
      // The rest is read and dropped, not kept, so the client sees the 413 rather than a reset connection.
      req.off('data', onData);
      req.resume();
      resolve(null);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.once('error', reject);
    req.once('close', () => resolve(null));
  });
}

function oneHeader(value: string | string[] | undefined): string | null {
  if (value === undefined) return null;
  return typeof value === 'string' ? value : value.join(', ');
}

/** What no route takes, after every route is added: 405 with Allow where the path has other methods, else 404. */
function answerUnrouted(app: Hono): void {
  app.use(
    methodNotAllowed({
      app,
      onMethodNotAllowed: (c, methods) =>
        problemResponse(
          problem('methodNotAllowed', 405, `${c.req.method} is not allowed here; use ${methods.join(', ')}.`),
          {
            allow: methods.join(', '),
          },
        ),
    }),
  );
  app.notFound((c) => problemResponse(problem('notFound', 404, `There is nothing at ${c.req.path}.`)));
}

/**
 * Mounts at `path` routes whose code is loaded by the first request under it, not at start (the agent API with
 * its OpenAPI machinery): an idle bot does not hold what it never served. They answer exactly as if mounted with
 * `app.route(path, …)`, 404 and 405 included. A failed load fails that request and is retried by the next.
 */
export function mountOnFirstRequest<E extends Env>(app: Hono, path: string, load: () => Promise<Hono<E>>): void {
  let loading: Promise<Hono> | null = null;
  const handler = async (c: Context) => {
    loading ??= load().then((routes) => {
      const inner = new Hono();
      inner.route(path, routes);
      answerUnrouted(inner);
      return inner;
    });
    loading.catch(() => {
      loading = null;
    });
    return (await loading).fetch(c.req.raw);
  };
  app.all(path, handler);
  app.all(`${path}/*`, handler);
}
