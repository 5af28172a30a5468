// Each token has a request budget (API_RATE_LIMIT a minute, a tenth of it at once), kept in PostgreSQL so every
// replica spends the same one; beyond it the API answers 429 with Retry-After. Time is the app's clock here.
import { describe, expect, it } from 'vitest';
import { createApiToken } from '../../src/services/api-tokens.ts';
import { useTestDatabase } from '../support/database.ts';
import { useTestApp } from '../support/test-app.ts';

const db = useTestDatabase();
const t = useTestApp(db, { API_RATE_LIMIT: '20' });

async function token(name: string) {
  const created = await createApiToken(t.bugsweep.ctx, { name, scopes: ['read'] });
  if (!created.ok) throw new Error(created.message);
  return created.token;
}

const get = (bearer: string) => fetch(`${t.baseUrl}/api/v1/stats`, { headers: { authorization: `Bearer ${bearer}` } });

describe('the per-token rate limit', () => {
  it('answers 429 with Retry-After beyond the burst, per token, and lets requests through again after the wait', async () => {
    const busy = await token('busy-bot');
    const calm = await token('calm-bot');
    // 20 a minute: a burst of 2, then one every 3 s.
    expect((await get(busy)).status).toBe(200);
    expect((await get(busy)).status).toBe(200);
    const limited = await get(busy);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('content-type')).toBe('application/problem+json');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await get(calm)).status).toBe(200);

    t.clock.advance(3_000);
    expect((await get(busy)).status).toBe(200);
    expect((await get(busy)).status).toBe(429);
  });
});
