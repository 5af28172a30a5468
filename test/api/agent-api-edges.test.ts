// The agent API's edges as an agent meets them over real HTTP (issue 13): a body sent without JSON's content type,
// unknown fields named one by one, a PATCH refused as a whole rather than half applied, and `stale` and the backlog's
// figures on the sweep's own clock.
import { describe, expect, it } from 'vitest';
import { BugReport } from '../../src/db/entities/index.ts';
import { NO_SLACK_CHANNEL } from '../../src/domain/legacy-report.ts';
import { createAgentApi } from '../../src/http/api/agent-api.ts';
import { createApiToken } from '../../src/services/api-tokens.ts';
import { useTestDatabase } from '../support/database.ts';
import { createBug } from '../support/factories.ts';
import { type TestApp, useTestApp } from '../support/test-app.ts';
import { at } from '../support/test-clock.ts';

const db = useTestDatabase();
const t = useTestApp(db);

type Json = Record<string, unknown>;

async function token(name: string, scopes: ('read' | 'write' | 'admin')[], app: TestApp = t): Promise<string> {
  const created = await createApiToken(app.bugsweep.ctx, { name, scopes });
  if (!created.ok) throw new Error(created.message);
  return created.token;
}

async function call(
  method: string,
  path: string,
  options: { token: string; body?: string; headers?: Record<string, string> },
  app: TestApp = t,
) {
  const res = await fetch(`${app.baseUrl}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${options.token}`, ...options.headers },
    ...(options.body !== undefined ? { body: options.body } : {}),
  });
  const text = await res.text();
  await app.settle();
  return { status: res.status, headers: res.headers, json: (text ? JSON.parse(text) : null) as Json };
}

const JSON_TYPE = { 'content-type': 'application/json' };
const report = (title: string) =>
  JSON.stringify({ title, description: `Seen while testing: ${title}`, severity: 'high', source: 'agent' });

describe('the agent API at its edges', () => {
  it('answers a body sent without the JSON content type with a 415 problem, not a 500', async () => {
    const writer = await token('edge-writer', ['write']);
    // What fetch sends for a string body, and what `curl -d` sends when no content type is given.
    for (const headers of [{ 'content-type': 'text/plain' }, { 'content-type': 'application/x-www-form-urlencoded' }]) {
      const res = await call('POST', '/bug-reports', { token: writer, body: report('No JSON type'), headers });
      expect(res.status).toBe(415);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(res.json).toMatchObject({ type: 'urn:bugsweep:problem:unsupported-media-type', status: 415 });
      expect(res.json.detail).toContain('application/json');
    }
    expect(await db.orm.em.fork().count(BugReport, { title: 'No JSON type' })).toBe(0);
  });

  it('refuses a query parameter it does not know, naming it, instead of listing as if it were not there', async () => {
    const reader = await token('edge-query-reader', ['read']);
    const misspelled = await call('GET', '/bug-reports?claimaint=none&status=open&colour=red', { token: reader });
    expect(misspelled.status).toBe(400);
    expect(misspelled.headers.get('content-type')).toBe('application/problem+json');
    expect(misspelled.json).toMatchObject({ type: 'urn:bugsweep:problem:validation', status: 400 });
    expect((misspelled.json.errors as Json[]).map((error) => error.field).sort()).toEqual(['claimaint', 'colour']);
    const filed = await createBug(db.orm.em.fork(), { title: 'Has events' });
    const events = await call('GET', `/bug-reports/${filed.ref}/events?limt=5`, { token: reader });
    expect(events.status).toBe(400);
    expect((events.json.errors as Json[]).map((error) => error.field)).toEqual(['limt']);
    // The parameters it knows still work.
    expect((await call('GET', '/bug-reports?claimant=none&status=open', { token: reader })).status).toBe(200);
    expect((await call('GET', `/bug-reports/${filed.ref}/events?limit=5`, { token: reader })).status).toBe(200);
  });

  it('holds a body that may be left out to JSON too: 415 for another type, 400 for text that does not parse', async () => {
    const admin = await token('edge-optional-admin', ['admin']);
    const plain = { 'content-type': 'text/plain' };
    const sweep = await call('POST', '/sweep/run', { token: admin, body: '{"dry_run":true}', headers: plain });
    expect(sweep.status).toBe(415);
    expect(sweep.json).toMatchObject({ type: 'urn:bugsweep:problem:unsupported-media-type', status: 415 });
    const claimed = await createBug(db.orm.em.fork(), { title: 'Claimed by nobody yet' });
    const release = await call('DELETE', `/bug-reports/${claimed.ref}/claim`, {
      token: admin,
      body: '{"error":"gave up"}',
      headers: plain,
    });
    expect(release.status, JSON.stringify(release.json)).toBe(415);
    const garbled = await call('POST', '/sweep/run', { token: admin, body: '{"dry_run":', headers: JSON_TYPE });
    expect(garbled.status).toBe(400);
    expect(garbled.json).toMatchObject({ type: 'urn:bugsweep:problem:validation', errors: [{ field: 'body' }] });
    // Left out, or sent as JSON, the body still works.
    expect(
      (await call('POST', '/sweep/run', { token: admin, body: '{"dry_run":true}', headers: JSON_TYPE })).status,
    ).toBe(200);
    expect((await call('POST', '/sweep/run', { token: admin })).status).toBe(200);
  });

  it('answers 503 when Slack does not take the report, files nothing, and lets the same Idempotency-Key retry', async () => {
    const writer = await token('edge-unposted', ['write']);
    t.slackApi.enqueue('chat.postMessage', { status: 200, body: { ok: false, error: 'channel_not_found' } });
    const headers = { ...JSON_TYPE, 'idempotency-key': 'slack-down-1' };
    const refused = await call('POST', '/bug-reports', { token: writer, body: report('Slack said no'), headers });
    expect(refused.status).toBe(503);
    expect(refused.headers.get('content-type')).toBe('application/problem+json');
    expect(refused.json).toMatchObject({ type: 'urn:bugsweep:problem:unavailable', status: 503 });
    expect(await db.orm.em.fork().count(BugReport, { title: 'Slack said no' })).toBe(0);

    const retried = await call('POST', '/bug-reports', { token: writer, body: report('Slack said no'), headers });
    expect(retried.status).toBe(201);
    expect(await db.orm.em.fork().count(BugReport, { title: 'Slack said no' })).toBe(1);
  });

  it('names every unknown field of a body as a bad field of its own', async () => {
    const writer = await token('edge-strict', ['write']);
    const bad = await call('POST', '/bug-reports', {
      token: writer,
      body: JSON.stringify({ title: 'Strict', source: 'agent', surprise: 1, other: 2 }),
      headers: JSON_TYPE,
    });
    expect(bad.status).toBe(400);
    expect(bad.json.errors).toEqual(
      expect.arrayContaining([
        { field: 'surprise', expected: expect.any(String) },
        { field: 'other', expected: expect.any(String) },
      ]),
    );
    expect(bad.json.detail).toContain('surprise');

    const filed = (
      await call('POST', '/bug-reports', { token: writer, body: report('Release me'), headers: JSON_TYPE })
    ).json;
    await call('POST', `/bug-reports/${filed.ref}/claim`, { token: writer });
    const release = await call('DELETE', `/bug-reports/${filed.ref}/claim`, {
      token: writer,
      body: JSON.stringify({ error: 'gave up', reason: 'x' }),
      headers: JSON_TYPE,
    });
    expect(release.status).toBe(400);
    expect(release.json.errors).toEqual([{ field: 'reason', expected: expect.any(String) }]);
  });

  it('answers a claim on a claimed bug with 409 naming the claimant, the caller included; a fix waiting is no claim', async () => {
    const first = await token('edge-first', ['write']);
    const second = await token('edge-second', ['write']);
    const bug = (
      await call('POST', '/bug-reports', { token: first, body: report('Claimed twice'), headers: JSON_TYPE })
    ).json;
    expect((await call('POST', `/bug-reports/${bug.ref}/claim`, { token: first })).status).toBe(200);
    const again = await call('POST', `/bug-reports/${bug.ref}/claim`, { token: first });
    expect(again.status).toBe(409);
    expect(again.json).toMatchObject({ type: 'urn:bugsweep:problem:already-claimed', claimant: 'agent:edge-first' });

    // Resolved by its agent, the bug keeps the claimant for the record but waits for a person, not for a claim.
    await call('POST', `/bug-reports/${bug.ref}/resolve`, {
      token: first,
      body: JSON.stringify({ note: 'fixed it' }),
      headers: JSON_TYPE,
    });
    const waiting = await call('POST', `/bug-reports/${bug.ref}/claim`, { token: second });
    expect(waiting.status).toBe(409);
    expect(waiting.json).toMatchObject({ type: 'urn:bugsweep:problem:illegal-transition' });
    expect(waiting.json.detail).toContain('verification');
  });

  it('lists by claimant given as the agent name or as the claimant id its bugs show', async () => {
    const agent = await token('edge-holder', ['write']);
    const bug = (
      await call('POST', '/bug-reports', { token: agent, body: report('Held for listing'), headers: JSON_TYPE })
    ).json;
    const claimed = (await call('POST', `/bug-reports/${bug.ref}/claim`, { token: agent })).json;
    const claimantId = (claimed.claimant as Json).id as string;
    expect(claimantId).toBe('agent:edge-holder');
    for (const claimant of ['edge-holder', claimantId]) {
      const listed = await call('GET', `/bug-reports?claimant=${encodeURIComponent(claimant)}`, { token: agent });
      expect((listed.json.data as Json[]).map((b) => b.ref)).toEqual([bug.ref]);
    }
  });

  it('refuses a PATCH whose status move is illegal without applying its other fields', async () => {
    const reporter = await token('edge-reporter', ['write']);
    const worker = await token('edge-worker', ['write']);
    const bug = (
      await call('POST', '/bug-reports', { token: reporter, body: report('Half patch'), headers: JSON_TYPE })
    ).json;
    const current = await call('GET', `/bug-reports/${bug.ref}`, { token: worker });
    const etag = current.headers.get('etag') ?? '';
    // Only the reporter or an admin may close it: the severity must not change either.
    const refused = await call('PATCH', `/bug-reports/${bug.ref}`, {
      token: worker,
      body: JSON.stringify({ severity: 'low', status: 'closed' }),
      headers: { ...JSON_TYPE, 'if-match': etag },
    });
    expect(refused.status).toBe(409);
    expect(refused.json.allowed).not.toContain('closed');
    const after = await db.orm.em.fork().findOneOrFail(BugReport, { id: Number(bug.id) });
    expect(after).toMatchObject({ severity: 'high', version: current.json.version });

    // The same ETag still works for a move that is allowed.
    const claimed = await call('PATCH', `/bug-reports/${bug.ref}`, {
      token: worker,
      body: JSON.stringify({ severity: 'low', status: 'in_progress' }),
      headers: { ...JSON_TYPE, 'if-match': etag },
    });
    expect(claimed.status).toBe(200);
    expect(claimed.json).toMatchObject({ severity: 'low', status: 'in_progress' });
  });
});

describe('the OpenAPI document', () => {
  it('lists every route the API answers, read from the router rather than from a list kept by hand', async () => {
    const doc = (await (await fetch(`${t.baseUrl}/api/v1/openapi.json`)).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`),
    );
    const answered = createAgentApi(t.bugsweep.ctx)
      // Middleware is ALL; the document does not list itself.
      .routes.filter((route) => route.method !== 'ALL' && route.path !== '/openapi.json')
      .map((route) => `${route.method} ${route.path.replace(/:(\w+)/g, '{$1}')}`);
    expect(answered.length).toBeGreaterThan(10);
    expect([...new Set(answered)].sort()).toEqual([...new Set(documented)].sort());
  });

  it('declares the headers the API reads and sends: If-Match, Idempotency-Key, ETag, Retry-After, WWW-Authenticate', async () => {
    const doc = (await (await fetch(`${t.baseUrl}/api/v1/openapi.json`)).json()) as {
      paths: Record<string, Record<string, OpenApiOperation>>;
    };
    const headerParams = (op: OpenApiOperation | undefined) =>
      // Header names are case-insensitive: the document spells them as Node hands them over.
      (op?.parameters ?? []).filter((p) => p.in === 'header').map((p) => p.name.toLowerCase());
    const paths = doc.paths;
    expect(headerParams(paths['/bug-reports/{ref}']?.patch)).toContain('if-match');
    expect(headerParams(paths['/bug-reports']?.post)).toContain('idempotency-key');
    expect(Object.keys(paths['/bug-reports/{ref}']?.get?.responses['200']?.headers ?? {})).toContain('ETag');
    expect(Object.keys(paths['/bug-reports/{ref}']?.patch?.responses['200']?.headers ?? {})).toContain('ETag');
    for (const [path, operations] of Object.entries(paths)) {
      for (const [method, op] of Object.entries(operations)) {
        const where = `${method} ${path}`;
        expect(Object.keys(op.responses['401']?.headers ?? {}), where).toContain('WWW-Authenticate');
        expect(Object.keys(op.responses['429']?.headers ?? {}), where).toContain('Retry-After');
        if (op.requestBody) expect(Object.keys(op.responses), where).toContain('415');
      }
    }
  });
});

type OpenApiOperation = {
  parameters?: { in: string; name: string }[];
  requestBody?: unknown;
  responses: Record<string, { headers?: Record<string, unknown> }>;
};

describe('stale and the backlog figures under BUSINESS_HOURS', () => {
  const bizDb = useTestDatabase();
  // A quiet bug is due its warning after 4 business days (32 business hours); a claim is released after 7 (56 hours).
  const biz = useTestApp(bizDb, {
    BUSINESS_HOURS: 'Mon-Fri 09:00-17:00',
    AUTO_CLOSE_AFTER: '5d',
    AUTO_CLOSE_WARNING: '1d',
    CLAIM_RELEASE_AFTER: '7d',
    // Bugs three people reacted to, or two more said they see too, are never warned or closed.
    ENGAGEMENT_EXEMPT: 'reactions>=3, reporters>=3',
  });

  it('lists as stale and counts what the sweep would act on: on business time, in Slack, not exempt by engagement', async () => {
    const reader = await token('biz-reader', ['read'], biz);
    const em = () => bizDb.orm.em.fork();
    // Now is Tue 24 Nov 09:00 UTC. Quiet since Fri 20 Nov 09:00: four wall days, but only 16 business hours.
    await createBug(em(), { title: 'Quiet since Friday', lastActivityAt: at('2026-11-20T09:00:00Z') });
    // Quiet since Tue 17 Nov 09:00: 40 business hours.
    const due = await createBug(em(), { title: 'Quiet since last week', lastActivityAt: at('2026-11-17T09:00:00Z') });
    // Just as quiet, but exempt by engagement.
    const liked = await createBug(em(), { title: 'Liked', lastActivityAt: at('2026-11-17T09:00:00Z') });
    const shared = await createBug(em(), { title: 'Shared', lastActivityAt: at('2026-11-17T09:00:00Z') });
    await em().nativeUpdate(BugReport, { id: liked.id }, { reactors: 3 });
    await em().nativeUpdate(BugReport, { id: shared.id }, { affectedReporters: 2 });
    // Imported without a Slack thread: the sweep never warns it.
    await createBug(em(), {
      title: 'Imported long ago',
      channelId: NO_SLACK_CHANNEL,
      threadTs: '',
      lastActivityAt: at('2026-10-01T09:00:00Z'),
    });
    // Claimed and quiet since Mon 16 Nov 09:00 (and otherwise active): eight wall days, 48 business hours.
    await createBug(em(), {
      title: 'Claimed a week ago',
      status: 'in_progress',
      claimantId: 'UDEVELOPER',
      claimedAt: at('2026-11-16T09:00:00Z'),
      lastActivityAt: at('2026-11-24T08:00:00Z'),
    });

    const stale = await call('GET', '/bug-reports?stale=true', { token: reader }, biz);
    expect(stale.status).toBe(200);
    expect((stale.json.data as Json[]).map((bug) => bug.ref)).toEqual([due.ref]);
    const stats = await call('GET', '/stats', { token: reader }, biz);
    expect(stats.json).toMatchObject({ stale_soon: 1, orphaned_claims: 0 });
  });
});
