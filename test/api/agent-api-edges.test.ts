// The agent API's edges as an agent meets them over real HTTP (issue 13): a body sent without JSON's content type,
// unknown fields named one by one, and a PATCH refused as a whole rather than half applied.
import { describe, expect, it } from 'vitest';
import { BugReport } from '../../src/db/entities/index.ts';
import { createApiToken } from '../../src/services/api-tokens.ts';
import { useTestDatabase } from '../support/database.ts';
import { useTestApp } from '../support/test-app.ts';

const db = useTestDatabase();
const t = useTestApp(db);

type Json = Record<string, unknown>;

async function token(name: string, scopes: ('read' | 'write' | 'admin')[]): Promise<string> {
  const created = await createApiToken(t.bugsweep.ctx, { name, scopes });
  if (!created.ok) throw new Error(created.message);
  return created.token;
}

async function call(
  method: string,
  path: string,
  options: { token: string; body?: string; headers?: Record<string, string> },
) {
  const res = await fetch(`${t.baseUrl}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${options.token}`, ...options.headers },
    ...(options.body !== undefined ? { body: options.body } : {}),
  });
  const text = await res.text();
  await t.settle();
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
