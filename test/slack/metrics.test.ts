// GET /metrics after real traffic: a report through Slack, its card, a sweep run; the figures moved.
import { describe, expect, it } from 'vitest';
import { BugReport } from '../../src/db/entities/index.ts';
import { runSweep } from '../../src/services/sweep/sweep-runner.ts';
import { useTestDatabase } from '../support/database.ts';
import { createBug } from '../support/factories.ts';
import { sendEvent } from '../support/signed-requests.ts';
import { topLevelMessage } from '../support/slack-events.ts';
import { TEST_USERS, useTestApp } from '../support/test-app.ts';
import { at, HOUR, plus, slackTs } from '../support/test-clock.ts';

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

describe('/metrics under AUTO_CLOSE_POLICY=waiting-on-reporter, with imported bugs', () => {
  const db = useTestDatabase();
  const t = useTestApp(db, {
    AUTO_CLOSE_POLICY: 'waiting-on-reporter',
    AUTO_CLOSE_AFTER: '10d',
    AUTO_CLOSE_WARNING: '2d',
    CLAIM_RELEASE_AFTER: '5d',
    CLAIM_REMINDER: '2d',
  });

  it('counts as due a warning or a release only the bugs the sweep acts on: in a thread, and the reporter’s turn', async () => {
    const em = db.orm.em.fork();
    const quiet = at('2026-11-01T10:00:00Z');
    const waitingOnReporter = await createBug(em, { title: 'Asked the reporter', lastActivityAt: quiet });
    const waitingOnDevelopers = await createBug(em, { title: 'Reporter asked', lastActivityAt: quiet });
    const imported = await createBug(em, { title: 'Imported, no thread', channelId: '', lastActivityAt: quiet });
    await createBug(em, {
      title: 'Imported claim',
      channelId: '',
      status: 'in_progress',
      claimantId: TEST_USERS.developer,
      claimedAt: quiet,
      lastActivityAt: quiet,
    });
    await em.nativeUpdate(BugReport, { id: { $in: [waitingOnReporter.id, imported.id] } }, { turn: 'reporter' });
    await em.nativeUpdate(BugReport, { id: waitingOnDevelopers.id }, { turn: 'developers' });

    const preview = await runSweep(t.bugsweep.ctx, { trigger: 'admin', dryRun: true });
    expect(preview.kind === 'ran' && preview.counts.warned).toBe(1);
    expect(preview.kind === 'ran' && preview.counts.released).toBe(0);

    const text = await (await fetch(`${t.baseUrl}/metrics`)).text();
    expect(sampleOf(text, 'bugsweep_stale_bugs_due_warning')).toBe(1);
    expect(sampleOf(text, 'bugsweep_orphaned_claims')).toBe(0);
  });
});

describe('/metrics Web API calls', () => {
  const db = useTestDatabase();
  const t = useTestApp(db);
  const homeOpened = {
    type: 'app_home_opened',
    user: TEST_USERS.developer,
    tab: 'home',
    event_ts: '1764000000.000100',
  };

  it('counts every Web API call the bot makes, not only the outbox', async () => {
    t.slackApi.enqueue(
      'views.publish',
      { status: 429, headers: { 'retry-after': '1' }, body: { ok: false, error: 'ratelimited' } },
      { status: 200, body: { ok: false, error: 'invalid_blocks' } },
    );
    for (let i = 0; i < 3; i += 1) {
      expect((await sendEvent(t.baseUrl, homeOpened)).status).toBe(200);
      await t.settle();
    }
    expect(t.slackApi.callsTo('views.publish')).toHaveLength(3);

    const text = await (await fetch(`${t.baseUrl}/metrics`)).text();
    expect(sampleOf(text, 'bugsweep_slack_api_calls_total{method="views.publish",outcome="ok"}')).toBe(1);
    expect(sampleOf(text, 'bugsweep_slack_api_calls_total{method="views.publish",outcome="429"}')).toBe(1);
    expect(sampleOf(text, 'bugsweep_slack_api_calls_total{method="views.publish",outcome="invalid_blocks"}')).toBe(1);
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

describe('/metrics SLA-breached gauge', () => {
  const db = useTestDatabase();
  const t = useTestApp(db, { SLA_MEDIUM: '1h' });

  it('counts the open and in-progress bugs past their SLA due time', async () => {
    await sendEvent(
      t.baseUrl,
      topLevelMessage({ user: TEST_USERS.reporter, ts: slackTs(t.clock.now()), text: 'Overdue bug' }),
    );
    await t.settle();
    const bug = await db.orm.em.fork().findOneOrFail(BugReport, { title: 'Overdue bug' });
    expect(bug.slaDueAt).toEqual(plus(t.clock.now(), HOUR));
    t.clock.advance(2 * HOUR);

    const text = await (await fetch(`${t.baseUrl}/metrics`)).text();
    expect(text).toContain('# TYPE bugsweep_sla_breached_bugs gauge');
    expect(sampleOf(text, 'bugsweep_sla_breached_bugs')).toBe(1);
  });
});

describe('/metrics under BUSINESS_HOURS', () => {
  const db = useTestDatabase();
  // Warned after 4 business days (32 business hours), claims released after 2 (16 business hours).
  const t = useTestApp(db, {
    BUSINESS_HOURS: 'Mon-Fri 09:00-17:00',
    AUTO_CLOSE_AFTER: '5d',
    AUTO_CLOSE_WARNING: '1d',
    CLAIM_RELEASE_AFTER: '2d',
    CLAIM_REMINDER: '1d',
  });

  it('counts as due a warning or a release only what the sweep counts on business time', async () => {
    // Now is Tue 24 Nov 09:00 UTC. Quiet since Fri 20 Nov 09:00: 16 business hours, four wall days.
    const em = db.orm.em.fork();
    await createBug(em, { title: 'Quiet since Friday', lastActivityAt: at('2026-11-20T09:00:00Z') });
    // Quiet since Tue 17 Nov 09:00: 40 business hours, past the 32 that warn.
    await createBug(em, { title: 'Quiet since last week', lastActivityAt: at('2026-11-17T09:00:00Z') });
    // Claimed Fri 20 Nov 13:00 (12 business hours), a day and a half of wall time: not orphaned yet.
    await createBug(em, {
      title: 'Claimed Friday',
      status: 'in_progress',
      claimantId: TEST_USERS.developer,
      claimedAt: at('2026-11-20T13:00:00Z'),
      lastActivityAt: at('2026-11-23T16:00:00Z'),
    });

    const preview = await runSweep(t.bugsweep.ctx, { trigger: 'admin', dryRun: true });
    expect(preview.kind === 'ran' && preview.counts.warned).toBe(1);

    const text = await (await fetch(`${t.baseUrl}/metrics`)).text();
    expect(sampleOf(text, 'bugsweep_stale_bugs_due_warning')).toBe(1);
    expect(sampleOf(text, 'bugsweep_orphaned_claims')).toBe(0);
  });
});
