// /healthz tells a load balancer the truth: 503 while the database cannot be reached, 200 again once it can.
// The outage is real: bugsweep's own ORM talks to PostgreSQL through a TCP proxy the test cuts and restores.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Bugsweep, createBugsweep } from '../../src/bugsweep.ts';
import { type Orm, openOrm } from '../../src/db/orm.ts';
import { createLogger } from '../../src/logger.ts';
import { useTestDatabase } from '../support/database.ts';
import { FAKE_BOT, type FakeSlackApi, startFakeSlackApi } from '../support/fake-slack-api.ts';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.ts';
import { testConfig } from '../support/test-app.ts';
import { START, TestClock } from '../support/test-clock.ts';

const db = useTestDatabase();

let api: FakeSlackApi;
let proxy: TcpProxy;
let orm: Orm;
let bugsweep: Bugsweep;
let baseUrl: string;

beforeAll(async () => {
  api = await startFakeSlackApi();
  const target = new URL(db.url);
  proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port) });
  // Its own connection pool, through the proxy: cutting it takes the database away from this app only.
  orm = await openOrm(proxy.proxiedUrl(db.url));
  bugsweep = await createBugsweep({
    config: testConfig({}, api.url),
    orm,
    logger: createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent', pretty: false }),
    clock: new TestClock(START).now,
    identity: { botId: FAKE_BOT.botId, botUserId: FAKE_BOT.botUserId, workspaceUrl: FAKE_BOT.workspaceUrl },
    notifier: { channelIntervalMs: 0, tier3IntervalMs: 0, tier4IntervalMs: 0 },
    runSchedule: false,
  });
  const port = await bugsweep.start();
  baseUrl = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  await proxy?.restore();
  await bugsweep?.stop();
  await orm?.close(true);
  await proxy?.close();
  await api?.close();
});

async function health() {
  const res = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(10_000) });
  return {
    status: res.status,
    contentType: res.headers.get('content-type'),
    body: (await res.json()) as Record<string, unknown>,
  };
}

describe('/healthz', () => {
  it('answers 200 while the database answers', async () => {
    expect(await health()).toEqual({
      status: 200,
      contentType: 'application/json',
      body: { status: 'ok', database: 'reachable' },
    });
  });

  it('answers 503 unavailable while the database is unreachable, and 200 again once it is back', async () => {
    await proxy.cut();
    const down = {
      status: 503,
      contentType: 'application/json',
      body: { status: 'unavailable', database: 'unreachable' },
    };
    expect(await health()).toEqual(down);
    // Still serving, still honest.
    expect(await health()).toEqual(down);

    await proxy.restore();
    expect(await health()).toEqual({
      status: 200,
      contentType: 'application/json',
      body: { status: 'ok', database: 'reachable' },
    });
    expect(api.calls).toHaveLength(0);
  });

  it('answers 503 within a second when the database hangs instead of refusing, and 200 once it answers again', async () => {
    proxy.stall();
    try {
      const started = performance.now();
      const hung = await health();
      const waited = performance.now() - started;
      expect(hung).toMatchObject({ status: 503, body: { status: 'unavailable', database: 'unreachable' } });
      // The check gives up at 1 s; the margin is for a loaded machine, far short of a probe's usual timeout.
      expect(waited).toBeLessThan(3_000);
    } finally {
      proxy.resume();
    }
    await expect.poll(async () => (await health()).status, { timeout: 10_000 }).toBe(200);
  });
});
