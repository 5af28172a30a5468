// /healthz tells a load balancer the truth: 503 while the database cannot be reached, 200 again once it can; and
// /metrics keeps serving the process's figures meanwhile, without the ones it reads from PostgreSQL.
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
const clock = new TestClock(START);

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
    clock: clock.now,
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

  it('answers 503 in under a second while the database hangs, so a probe that waits one second gets it', async () => {
    proxy.stall();
    try {
      const started = performance.now();
      expect((await health()).status).toBe(503);
      expect(performance.now() - started).toBeLessThan(1_000);
    } finally {
      proxy.resume();
    }
    await expect.poll(async () => (await health()).status, { timeout: 10_000 }).toBe(200);
  });
});

describe('/metrics while the database is down', () => {
  async function scrape() {
    const started = performance.now();
    const res = await fetch(`${baseUrl}/metrics`, { signal: AbortSignal.timeout(10_000) });
    return { status: res.status, text: await res.text(), ms: performance.now() - started };
  }

  it('serves the process metrics without the PostgreSQL gauges, at once when refused and within seconds when hung', async () => {
    await proxy.cut();
    try {
      const refused = await scrape();
      expect(refused.status).toBe(200);
      expect(refused.text).toContain('bugsweep_process_cpu_user_seconds_total');
      expect(refused.text).toContain('bugsweep_slack_events_received_total');
      expect(refused.text).not.toContain('bugsweep_outbox_pending');
    } finally {
      await proxy.restore();
    }
    await expect.poll(async () => (await scrape()).text, { timeout: 10_000 }).toContain('bugsweep_outbox_pending 0');

    proxy.stall();
    try {
      // The cached figures are read again after 5 s.
      clock.advance(6_000);
      const hung = await scrape();
      expect(hung.status).toBe(200);
      expect(hung.text).toContain('bugsweep_process_cpu_user_seconds_total');
      expect(hung.text).not.toContain('bugsweep_outbox_pending');
      // The read gives up at 2 s; the margin is for a loaded machine, far short of Prometheus' 10 s scrape timeout.
      expect(hung.ms).toBeLessThan(5_000);
    } finally {
      proxy.resume();
    }
    await expect.poll(async () => (await scrape()).text, { timeout: 10_000 }).toContain('bugsweep_outbox_pending 0');
  });
});
