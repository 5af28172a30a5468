import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/database.ts';
import { postSigned } from '../support/signed-requests.ts';
import { useTestApp } from '../support/test-app.ts';

const db = useTestDatabase();
const t = useTestApp(db);

describe('the HTTP app', () => {
  it('answers /healthz with 200 while the database is reachable', async () => {
    const res = await fetch(`${t.baseUrl}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok' });
  });

  it('answers Slack url_verification when signed', async () => {
    const body = JSON.stringify({ token: 'x', challenge: 'challenge-123', type: 'url_verification' });
    const res = await postSigned(t.baseUrl, body, 'application/json');
    expect(res.status).toBe(200);
    expect(res.text).toContain('challenge-123');
  });

  it('rejects a request whose signature was tampered with', async () => {
    const body = JSON.stringify({ token: 'x', challenge: 'c', type: 'url_verification' });
    const res = await postSigned(t.baseUrl, body, 'application/json', { tamper: true });
    expect(res.status).toBe(401);
  });
});
