// GET /metrics after real traffic: a report through Slack, its card, a sweep run; the figures moved.
import { describe, expect, it } from 'vitest';
import { runSweep } from '../../src/services/sweep/sweep-runner.ts';
import { useTestDatabase } from '../support/database.ts';
import { sendEvent } from '../support/signed-requests.ts';
import { topLevelMessage } from '../support/slack-events.ts';
import { TEST_USERS, useTestApp } from '../support/test-app.ts';
import { slackTs } from '../support/test-clock.ts';

function sampleOf(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : Number.NaN;
}

describe('/metrics', () => {
  const db = useTestDatabase();
  const t = useTestApp(db);

  it('serves Prometheus text whose counters and gauges move with real traffic', async () => {
    await sendEvent(
      t.baseUrl,
      topLevelMessage({ user: TEST_USERS.reporter, ts: slackTs(t.clock.now()), text: 'Metrics bug' }),
    );
    await t.settle();
    await runSweep(t.bugsweep.ctx, { trigger: 'admin' });

    const res = await fetch(`${t.baseUrl}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(sampleOf(text, 'bugsweep_slack_events_received_total{type="message"}')).toBe(1);
    expect(sampleOf(text, 'bugsweep_slack_event_handling_seconds_count{type="message"}')).toBe(1);
    expect(sampleOf(text, 'bugsweep_bugs{status="open",severity="medium"}')).toBe(1);
    expect(sampleOf(text, 'bugsweep_notices_total{purpose="card",result="sent"}')).toBe(1);
    expect(
      sampleOf(text, 'bugsweep_slack_api_calls_total{method="chat.postMessage",outcome="ok"}'),
    ).toBeGreaterThanOrEqual(1);
    expect(sampleOf(text, 'bugsweep_sweep_runs_total{trigger="admin",outcome="completed"}')).toBe(1);
    expect(sampleOf(text, 'bugsweep_sweep_duration_seconds_count')).toBe(1);
    expect(sampleOf(text, 'bugsweep_outbox_pending')).toBe(0);
    expect(text).toContain('bugsweep_process_cpu_user_seconds_total');
  });

  it('counts events of types it does not know as `other`: signed garbage cannot add label sets', async () => {
    for (let i = 0; i < 5; i += 1) expect((await sendEvent(t.baseUrl, { type: `made_up_${i}` })).status).toBe(200);
    const text = await (await fetch(`${t.baseUrl}/metrics`)).text();
    expect(text).not.toContain('made_up');
    expect(sampleOf(text, 'bugsweep_slack_events_received_total{type="other"}')).toBe(5);
  });
});

describe('/metrics with METRICS_TOKEN', () => {
  const db = useTestDatabase();
  const t = useTestApp(db, { METRICS_TOKEN: 'scrape-secret' });

  it('answers 401 without the bearer token and 200 with it', async () => {
    expect((await fetch(`${t.baseUrl}/metrics`)).status).toBe(401);
    expect((await fetch(`${t.baseUrl}/metrics`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    const ok = await fetch(`${t.baseUrl}/metrics`, { headers: { authorization: 'Bearer scrape-secret' } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('bugsweep_bugs');
  });
});
