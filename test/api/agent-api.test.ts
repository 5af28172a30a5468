// The agent API over real HTTP into the running app on a real PostgreSQL, Slack faked at its edge: every route,
// its errors, and what an agent's work looks like in Slack (thread posts, cards, audit events).
import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { BugEvent, BugReport } from '../../src/db/entities/index.ts';
import { ACTIONS } from '../../src/messages/ids.ts';
import { createApiToken, revokeApiToken } from '../../src/services/api-tokens.ts';
import { runSweep } from '../../src/services/sweep/sweep-runner.ts';
import { textsOf } from '../support/block-kit.ts';
import { useTestDatabase } from '../support/database.ts';
import { buttonPress } from '../support/interaction-payloads.ts';
import { sendInteraction } from '../support/signed-requests.ts';
import { TEST_CHANNEL, TEST_USERS, useTestApp } from '../support/test-app.ts';

const db = useTestDatabase();
const t = useTestApp(db);

type Json = Record<string, unknown> & { [key: string]: any };

async function token(name: string, scopes: ('read' | 'write' | 'admin')[]): Promise<string> {
  const created = await createApiToken(t.bugsweep.ctx, { name, scopes });
  if (!created.ok) throw new Error(created.message);
  return created.token;
}

async function call(
  method: string,
  path: string,
  options: { token?: string | null; body?: unknown; headers?: Record<string, string> } = {},
) {
  const res = await fetch(`${t.baseUrl}/api/v1${path}`, {
    method,
    headers: {
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...options.headers,
    },
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
  });
  const text = await res.text();
  await t.settle();
  return { status: res.status, headers: res.headers, json: (text ? JSON.parse(text) : null) as Json, text };
}

let writer: string;
let reader: string;
let admin: string;
let other: string;

const report = (title: string, extra: Record<string, unknown> = {}) => ({
  title,
  // Each its own text: the same error text twice would be grouped as a duplicate (issue 14).
  description: `Seen while testing: ${title}`,
  severity: 'high',
  source: 'agent',
  ...extra,
});

describe('the agent API', () => {
  it('refuses requests without a valid token (401, WWW-Authenticate) or without the scope (403)', async () => {
    writer = await token('remediation-bot', ['read', 'write']);
    reader = await token('reader-bot', ['read']);
    admin = await token('admin-bot', ['admin']);
    other = await token('other-bot', ['write']);

    const none = await call('GET', '/bug-reports');
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(none.headers.get('content-type')).toBe('application/problem+json');
    expect(none.json).toMatchObject({ type: 'urn:bugsweep:problem:unauthorized', status: 401 });
    const tampered = `${writer.slice(0, -1)}${writer.endsWith('0') ? '1' : '0'}`;
    expect((await call('GET', '/bug-reports', { token: tampered })).status).toBe(401);
    expect((await call('GET', '/bug-reports', { token: 'bsw_nobody_' + 'a'.repeat(64) })).status).toBe(401);

    const forbidden = await call('POST', '/bug-reports', { token: reader, body: report('Reader cannot file') });
    expect(forbidden.status).toBe(403);
    expect(forbidden.json.detail).toContain('write');

    const revoked = await token('revoked-bot', ['read']);
    expect((await call('GET', '/stats', { token: revoked })).status).toBe(200);
    expect(await revokeApiToken(t.bugsweep.ctx, 'revoked-bot')).toBe(true);
    expect((await call('GET', '/stats', { token: revoked })).status).toBe(401);
  });

  it('files a report posted to the first bug channel with its card, once per Idempotency-Key', async () => {
    t.slackApi.reset();
    const first = await call('POST', '/bug-reports', {
      token: writer,
      body: report('Checkout crashes on empty cart', { trace_id: 'trace-abc-123', category: 'checkout' }),
      headers: { 'idempotency-key': 'retry-me-1' },
    });
    expect(first.status).toBe(201);
    expect(first.json).toMatchObject({
      ref: expect.stringMatching(/^BUG-\d+$/),
      status: 'open',
      severity: 'high',
      source: 'agent',
      category: 'checkout',
      reporter: 'agent:remediation-bot',
      telemetry: { trace_id: 'trace-abc-123' },
    });
    expect(first.json).toHaveProperty('sla_due_at');
    const posts = t.slackApi.callsTo('chat.postMessage');
    expect(posts[0]?.body.channel).toBe(TEST_CHANNEL);
    expect(String(posts[0]?.body.text)).toContain('agent *remediation-bot*');
    // The card follows in the new thread.
    expect(posts.some((p) => p.body.thread_ts && JSON.stringify(p.body.blocks).includes(first.json.ref))).toBe(true);

    const retry = await call('POST', '/bug-reports', {
      token: writer,
      body: report('Checkout crashes on empty cart', { trace_id: 'trace-abc-123', category: 'checkout' }),
      headers: { 'idempotency-key': 'retry-me-1' },
    });
    expect(retry.status).toBe(201);
    expect(retry.json.id).toBe(first.json.id);
    expect(await db.orm.em.fork().count(BugReport, { title: 'Checkout crashes on empty cart' })).toBe(1);

    const reused = await call('POST', '/bug-reports', {
      token: writer,
      body: report('Something else'),
      headers: { 'idempotency-key': 'retry-me-1' },
    });
    expect(reused.status).toBe(422);

    const event = await db.orm.em.fork().findOneOrFail(BugEvent, { bugId: first.json.id, eventType: 'bug.created' });
    expect(event.actorKind).toBe('agent');
  });

  it('answers a bad body with problem+json naming every bad field', async () => {
    const bad = await call('POST', '/bug-reports', {
      token: writer,
      body: { title: '', severity: 'urgent', source: 'human', surprise: 1 },
    });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toBe('application/problem+json');
    const fields = (bad.json.errors as { field: string }[]).map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['title', 'severity', 'source']));
    expect(bad.text).not.toMatch(/at .*\.ts:\d+/);
    const notJson = await fetch(`${t.baseUrl}/api/v1/bug-reports`, {
      method: 'POST',
      headers: { authorization: `Bearer ${writer}`, 'content-type': 'application/json' },
      body: '{"title":',
    });
    expect(notJson.status).toBe(400);
  });

  it('lists with filters and a stable cursor, and fetches one bug with its thread, events and ETag', async () => {
    for (const n of [1, 2, 3])
      await call('POST', '/bug-reports', {
        token: writer,
        body: report(`Listed ${n}`, { severity: 'low', release_sha: 'rel-77' }),
      });
    const page1 = await call('GET', '/bug-reports?release_sha=rel-77&limit=2', { token: reader });
    expect(page1.status).toBe(200);
    expect(page1.json.data.map((b: Json) => b.title)).toEqual(['Listed 3', 'Listed 2']);
    const page2 = await call('GET', `/bug-reports?release_sha=rel-77&limit=2&cursor=${page1.json.next_cursor}`, {
      token: reader,
    });
    expect(page2.json.data.map((b: Json) => b.title)).toEqual(['Listed 1']);
    expect(page2.json.next_cursor).toBeNull();
    const byStatus = await call('GET', '/bug-reports?status=open&status=in_progress&severity=low&claimant=none', {
      token: reader,
    });
    expect(byStatus.json.data).toHaveLength(3);
    expect((await call('GET', '/bug-reports?trace_id=trace-abc-123', { token: reader })).json.data).toHaveLength(1);
    expect((await call('GET', '/bug-reports?cursor=garbage', { token: reader })).status).toBe(400);
    expect((await call('GET', '/bug-reports?limit=500', { token: reader })).status).toBe(400);

    const ref = page1.json.data[0].ref as string;
    const one = await call('GET', `/bug-reports/${ref}`, { token: reader });
    expect(one.status).toBe(200);
    expect(one.headers.get('etag')).toBe(`"${one.json.version}"`);
    expect(one.json.conversation[0]).toMatchObject({
      sender_type: 'reporter',
      sender: 'agent:remediation-bot',
      deleted: false,
    });
    expect(one.json.events[0]).toMatchObject({ type: 'bug.created', actor_kind: 'agent' });
    expect((await call('GET', `/bug-reports/${String(one.json.id)}`, { token: reader })).json.ref).toBe(ref);
    expect((await call('GET', '/bug-reports/BUG-999999', { token: reader })).status).toBe(404);
  });

  it('claims as the agent (shown on the card), refuses a second claimant with 409 naming the first, and releases', async () => {
    const bug = (await call('POST', '/bug-reports', { token: writer, body: report('Claim me') })).json;
    t.slackApi.reset();
    const claimed = await call('POST', `/bug-reports/${bug.ref}/claim`, { token: writer });
    expect(claimed.status).toBe(200);
    expect(claimed.json).toMatchObject({ status: 'in_progress', claimant: { kind: 'agent', name: 'remediation-bot' } });
    const thread = t.slackApi.callsTo('chat.postMessage').map((c) => String(c.body.text));
    expect(thread.some((text) => text.includes('agent *remediation-bot* claimed'))).toBe(true);
    const card = t.slackApi.callsTo('chat.update').at(-1);
    expect(textsOf(Array.isArray(card?.body.blocks) ? card.body.blocks : [])).toContain(
      '*Claimed by*\nagent *remediation-bot*',
    );

    // Two agents pressing claim at the same moment: exactly one wins, the other is told who has it.
    const raced = (await call('POST', '/bug-reports', { token: writer, body: report('Claim race') })).json;
    const race = await Promise.all([
      call('POST', `/bug-reports/${raced.ref}/claim`, { token: writer }),
      call('POST', `/bug-reports/${raced.ref}/claim`, { token: other }),
    ]);
    expect(race.map((r) => r.status).sort()).toEqual([200, 409]);

    const second = await call('POST', `/bug-reports/${bug.ref}/claim`, { token: other });
    expect(second.status).toBe(409);
    expect(second.json).toMatchObject({
      type: 'urn:bugsweep:problem:already-claimed',
      claimant: 'agent:remediation-bot',
    });
    expect(second.json.detail).toContain('remediation-bot');

    const notMine = await call('DELETE', `/bug-reports/${bug.ref}/claim`, { token: other });
    expect(notMine.status).toBe(403);
    const released = await call('DELETE', `/bug-reports/${bug.ref}/claim`, { token: writer });
    expect(released.status).toBe(200);
    expect(released.json).toMatchObject({ status: 'open', claimant: null });
  });

  it('changes a bug with PATCH only against its current version: 428 without If-Match, 412 stale, 409 illegal', async () => {
    // Filed by another agent: the writer is not its reporter, so it may not withdraw (close) it.
    const bug = (await call('POST', '/bug-reports', { token: other, body: report('Patch me') })).json;
    const current = await call('GET', `/bug-reports/${bug.ref}`, { token: writer });
    const etag = current.headers.get('etag') ?? '';

    expect(
      (await call('PATCH', `/bug-reports/${bug.ref}`, { token: writer, body: { severity: 'critical' } })).status,
    ).toBe(428);
    const changed = await call('PATCH', `/bug-reports/${bug.ref}`, {
      token: writer,
      body: { severity: 'critical', category: 'payments' },
      headers: { 'if-match': etag },
    });
    expect(changed.status).toBe(200);
    expect(changed.json).toMatchObject({ severity: 'critical', category: 'payments' });
    expect(changed.headers.get('etag')).not.toBe(etag);

    const stale = await call('PATCH', `/bug-reports/${bug.ref}`, {
      token: writer,
      body: { severity: 'low' },
      headers: { 'if-match': etag },
    });
    expect(stale.status).toBe(412);

    const fresh = changed.headers.get('etag') ?? '';
    const illegal = await call('PATCH', `/bug-reports/${bug.ref}`, {
      token: writer,
      body: { status: 'closed' },
      headers: { 'if-match': fresh },
    });
    expect(illegal.status).toBe(409);
    expect(illegal.json.allowed).toEqual(expect.arrayContaining(['in_progress', 'awaiting_verification']));
    expect(illegal.json.allowed).not.toContain('closed');

    const events = await db.orm.em.fork().find(BugEvent, { bugId: bug.id, eventType: 'bug.severity_changed' });
    expect(events[0]).toMatchObject({
      actorKind: 'agent',
      actorId: 'agent:remediation-bot',
      metadata: { from: 'high', to: 'critical' },
    });
  });

  it("resolves an agent's fix into awaiting_verification; the reporter's Verify on the card resolves it", async () => {
    const ts = `${Math.floor(t.clock.now().getTime() / 1000)}.000100`;
    const bug = await (async () => {
      const filed = (await call('POST', '/bug-reports', { token: writer, body: report('Fix me') })).json;
      await call('POST', `/bug-reports/${filed.ref}/claim`, { token: writer });
      return filed;
    })();
    const badLink = await call('POST', `/bug-reports/${bug.ref}/resolve`, {
      token: writer,
      body: { note: 'x', commit_sha: 'nothex!' },
    });
    expect(badLink.status).toBe(400);
    expect(badLink.json.errors[0].field).toBe('commit_sha');

    t.slackApi.reset();
    const resolved = await call('POST', `/bug-reports/${bug.ref}/resolve`, {
      token: writer,
      body: { note: 'Guarded the empty cart', commit_sha: '1a2b3c4d' },
    });
    expect(resolved.status).toBe(200);
    expect(resolved.json).toMatchObject({
      status: 'awaiting_verification',
      resolution: { note: 'Guarded the empty cart', link: '1a2b3c4d' },
    });
    const notice = t.slackApi
      .callsTo('chat.postMessage')
      .map((c) => String(c.body.text))
      .join('\n');
    expect(notice).toContain('waiting for verification');
    expect(notice).toContain('Guarded the empty cart');
    const card = t.slackApi.callsTo('chat.update').at(-1);
    expect(JSON.stringify(card?.body.blocks)).toContain(ACTIONS.verify);

    const stored = await db.orm.em.fork().findOneOrFail(BugReport, { id: bug.id });
    const press = await sendInteraction(
      t.baseUrl,
      buttonPress({
        userId: TEST_USERS.developer,
        actionId: ACTIONS.verify,
        value: String(bug.id),
        channelId: stored.channelId,
        messageTs: stored.cardTs ?? ts,
        threadTs: stored.threadTs,
      }),
    );
    expect(press.status).toBe(200);
    await t.settle();
    const after = await call('GET', `/bug-reports/${bug.ref}`, { token: reader });
    expect(after.json.status).toBe('resolved');
    expect(after.json.events.map((e: Json) => e.type)).toContain('bug.verified');

    const direct = (await call('POST', '/bug-reports', { token: admin, body: report('Admin fixes directly') })).json;
    const adminResolve = await call('POST', `/bug-reports/${direct.ref}/resolve`, {
      token: admin,
      body: { note: 'done', pull_request_url: 'https://github.com/o/r/pull/9' },
    });
    expect(adminResolve.json.status).toBe('resolved');
  });

  it('has the sweep warn about an unverified fix in its own words and then close it as resolved (unverified)', async () => {
    const filed = (await call('POST', '/bug-reports', { token: writer, body: report('Nobody verifies me') })).json;
    await call('POST', `/bug-reports/${filed.ref}/resolve`, { token: writer, body: { note: 'bumped the timeout' } });
    const day = 86_400_000;
    // The bug's clock starts at its Slack post (the fake's ts): count from there.
    const stored = await db.orm.em.fork().findOneOrFail(BugReport, { id: filed.id });
    t.clock.set(
      new Date(stored.lastActivityAt.getTime() + t.config.autoCloseAfterMs - t.config.autoCloseWarningMs + day / 24),
    );
    t.slackApi.reset();
    await runSweep(t.bugsweep.ctx, { trigger: 'admin' });
    await t.settle();
    const warned = t.slackApi
      .callsTo('chat.postMessage')
      .map((c) => String(c.body.text))
      .join('\n');
    expect(warned).toContain('waited for verification');
    expect(warned).toContain('closed as resolved');

    t.clock.advance(t.config.autoCloseWarningMs + day / 24);
    await runSweep(t.bugsweep.ctx, { trigger: 'admin' });
    await t.settle();
    const after = await db.orm.em.fork().findOneOrFail(BugReport, { id: filed.id });
    expect(after).toMatchObject({ status: 'resolved', closeReason: 'unverified' });
    expect(
      t.slackApi
        .callsTo('chat.postMessage')
        .map((c) => String(c.body.text))
        .join('\n'),
    ).toContain('nobody said it was still broken');
  });

  it('stores notes as events, posts them when asked, and pages the audit trail', async () => {
    const bug = (await call('POST', '/bug-reports', { token: writer, body: report('Note me') })).json;
    t.slackApi.reset();
    const quiet = await call('POST', `/bug-reports/${bug.ref}/notes`, {
      token: writer,
      body: { text: 'tried restarting', data: { run: 7 } },
    });
    expect(quiet.status).toBe(201);
    expect(t.slackApi.callsTo('chat.postMessage')).toHaveLength(0);
    const posted = await call('POST', `/bug-reports/${bug.ref}/notes`, {
      token: writer,
      body: { text: 'root cause found', post: true },
    });
    expect(posted.status).toBe(201);
    expect(String(t.slackApi.callsTo('chat.postMessage')[0]?.body.text)).toContain('root cause found');

    const page1 = await call('GET', `/bug-reports/${bug.ref}/events?limit=2`, { token: reader });
    expect(page1.json.data.map((e: Json) => e.type)).toEqual(['bug.created', 'bug.note_added']);
    expect(page1.json.data[1]).toMatchObject({
      actor_kind: 'agent',
      metadata: { text: 'tried restarting', data: { run: 7 } },
    });
    const page2 = await call('GET', `/bug-reports/${bug.ref}/events?limit=2&cursor=${page1.json.next_cursor}`, {
      token: reader,
    });
    expect(page2.json.data.map((e: Json) => e.type)).toEqual(['bug.note_added']);
  });

  it('hands out work most severe first, never the same bug to two agents at once, and cools down a bug an agent gave up on', async () => {
    // Everything filed so far is taken out of the queue so this test sees only its own bugs.
    await db.orm.em.fork().nativeUpdate(BugReport, {}, { automationOptOut: true });
    const low = (await call('POST', '/bug-reports', { token: writer, body: report('Queue low', { severity: 'low' }) }))
      .json;
    const critical = (
      await call('POST', '/bug-reports', { token: writer, body: report('Queue critical', { severity: 'critical' }) })
    ).json;

    const [a, b, c] = await Promise.all([
      call('POST', '/work/next', { token: writer }),
      call('POST', '/work/next', { token: other }),
      call('POST', '/work/next', { token: admin }),
    ]);
    const handed = [a, b, c].filter((r) => r.status === 200).map((r) => r.json.ref);
    expect([...handed].sort()).toEqual([critical.ref, low.ref].sort());
    expect([a, b, c].filter((r) => r.status === 204)).toHaveLength(1);
    const winner = [a, b, c].find((r) => r.json?.ref === critical.ref);
    expect(winner?.json.claimant.kind).toBe('agent');

    const holder = winner === a ? writer : winner === b ? other : admin;
    const gaveUp = await call('DELETE', `/bug-reports/${critical.ref}/claim`, {
      token: holder,
      body: { error: 'tests fail on main' },
    });
    expect(gaveUp.status).toBe(200);
    expect(gaveUp.json.agent_attempts).toBe(1);
    expect((await call('POST', '/work/next', { token: writer })).status).toBe(204);
    const events = await db.orm.em.fork().find(BugEvent, { bugId: critical.id, eventType: 'agent.gave_up' });
    expect(events[0]?.metadata).toMatchObject({ error: 'tests fail on main', attempts: 1 });
  });

  it('gives the figures of the backlog, and runs the sweep for admins only', async () => {
    const stats = await call('GET', '/stats', { token: reader });
    expect(stats.status).toBe(200);
    expect(stats.json.by_status.open).toBeGreaterThan(0);
    expect(stats.json).toHaveProperty('work_queue_depth');
    expect((await call('POST', '/sweep/run', { token: writer, body: { dry_run: true } })).status).toBe(403);
    const run = await call('POST', '/sweep/run', { token: admin, body: { dry_run: true } });
    expect(run.status).toBe(200);
    expect(run.json).toMatchObject({ ran: true, dry_run: true });
  });

  it('serves a valid OpenAPI 3.1 document listing every route it answers', async () => {
    const res = await fetch(`${t.baseUrl}/api/v1/openapi.json`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as Json;
    expect(doc.openapi).toBe('3.1.0');
    const result = await new Validator().validate(doc);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(documented.sort()).toEqual(
      [
        'GET /bug-reports',
        'POST /bug-reports',
        'GET /bug-reports/{ref}',
        'PATCH /bug-reports/{ref}',
        'GET /bug-reports/{ref}/events',
        'POST /bug-reports/{ref}/claim',
        'DELETE /bug-reports/{ref}/claim',
        'POST /bug-reports/{ref}/resolve',
        'POST /bug-reports/{ref}/notes',
        'POST /work/next',
        'GET /stats',
        'POST /sweep/run',
      ].sort(),
    );
  });

  // Last: the refused big body leaves its connection closed under the client.
  it('answers unknown routes 404, wrong methods 405 and big bodies 413, all as problems', async () => {
    expect((await call('GET', '/nope', { token: reader })).status).toBe(404);
    const wrong = await call('PUT', '/stats', { token: reader });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toContain('GET');
    const big = await fetch(`${t.baseUrl}/api/v1/bug-reports`, {
      method: 'POST',
      headers: { authorization: `Bearer ${writer}`, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'big', description: 'x'.repeat(1_100_000), source: 'agent' }),
    }).catch(() => null);
    // Refused before it is read: fetch may see the 413 or the connection closed under it.
    if (big) expect(big.status).toBe(413);
    expect(await db.orm.em.fork().count(BugReport, { title: 'big' })).toBe(0);
  });
});
