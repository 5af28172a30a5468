// API tokens (api_tokens) and retried POSTs (api_idempotency_keys). A token's secret is stored only as a hash;
// its request budget is a GCRA cell in the row, so every replica spends the same budget.
import type { EntityManager } from '@mikro-orm/postgresql';
import { sql } from 'kysely';
import type { ApiScope } from '../../domain/api-scopes.ts';

export type StoredToken = {
  name: string;
  secretHash: Buffer;
  scopes: ApiScope[];
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
};

type TokenRow = {
  name: string;
  secret_hash: Buffer;
  scopes: ApiScope[];
  // Raw SQL through MikroORM's driver returns timestamps as text.
  created_at: Date | string;
  last_used_at: Date | string | null;
  revoked_at: Date | string | null;
};

const dateOf = (value: Date | string | null): Date | null => (value === null ? null : new Date(value));

const toToken = (row: TokenRow): StoredToken => ({
  name: row.name,
  secretHash: row.secret_hash,
  scopes: row.scopes,
  createdAt: new Date(row.created_at),
  lastUsedAt: dateOf(row.last_used_at),
  revokedAt: dateOf(row.revoked_at),
});

/** False when a token of that name exists (revoked ones too: a name is never reused, so audit trails stay clear). */
export async function insertToken(
  em: EntityManager,
  token: { name: string; secretHash: Buffer; scopes: readonly ApiScope[]; at: Date },
): Promise<boolean> {
  const result = await sql<{ name: string }>`
    insert into api_tokens (name, secret_hash, scopes, created_at)
    values (${token.name}, ${token.secretHash}, ${sql.val([...token.scopes])}::text[], ${token.at})
    on conflict (name) do nothing
    returning name`.execute(em.getKysely());
  return result.rows.length > 0;
}

export async function listTokens(em: EntityManager): Promise<StoredToken[]> {
  const result = await sql<TokenRow>`
    select name, secret_hash, scopes, created_at, last_used_at, revoked_at from api_tokens order by name`.execute(
    em.getKysely(),
  );
  return result.rows.map(toToken);
}

export async function findActiveToken(em: EntityManager, name: string): Promise<StoredToken | null> {
  const result = await sql<TokenRow>`
    select name, secret_hash, scopes, created_at, last_used_at, revoked_at from api_tokens
    where name = ${name} and revoked_at is null`.execute(em.getKysely());
  const row = result.rows[0];
  return row ? toToken(row) : null;
}

export async function revokeToken(em: EntityManager, name: string, at: Date): Promise<boolean> {
  const result = await sql<{ name: string }>`
    update api_tokens set revoked_at = ${at} where name = ${name} and revoked_at is null returning name`.execute(
    em.getKysely(),
  );
  return result.rows.length > 0;
}

/**
 * One request of a token's budget (GCRA: `burst` back to back, then one per interval), with its last use. Returns
 * null when the request may go, or how long (ms) until the next one may.
 */
export async function spendTokenBudget(
  em: EntityManager,
  name: string,
  now: Date,
  intervalMs: number,
  burst: number,
): Promise<number | null> {
  const toleranceMs = Math.max(0, burst - 1) * intervalMs;
  const result = await sql<{ allowed: boolean; wait_ms: number }>`
    with cell as (
      select name, greatest(coalesce(rate_tat, ${now}::timestamptz), ${now}::timestamptz) as tat
      from api_tokens where name = ${name} for update
    )
    update api_tokens t set
      last_used_at = ${now},
      rate_tat = case when cell.tat - ${toleranceMs} * interval '1 millisecond' <= ${now}::timestamptz
                      then cell.tat + ${intervalMs} * interval '1 millisecond' else t.rate_tat end
    from cell where t.name = cell.name
    returning cell.tat - ${toleranceMs} * interval '1 millisecond' <= ${now}::timestamptz as allowed,
      extract(epoch from (cell.tat - ${toleranceMs} * interval '1 millisecond' - ${now}::timestamptz)) * 1000 as wait_ms`.execute(
    em.getKysely(),
  );
  const row = result.rows[0];
  if (!row || row.allowed) return null;
  return Math.max(1, Math.ceil(Number(row.wait_ms)));
}

export type IdempotencyClaim =
  | { kind: 'first' }
  | { kind: 'replay'; status: number; response: unknown }
  | { kind: 'in_flight' }
  | { kind: 'mismatch' };

/** The first request with this key claims it (the primary key decides between replicas); later ones replay. */
export async function claimIdempotencyKey(
  em: EntityManager,
  entry: { tokenName: string; key: string; requestHash: string; at: Date },
): Promise<IdempotencyClaim> {
  const kysely = em.getKysely();
  const inserted = await sql<{ key: string }>`
    insert into api_idempotency_keys (token_name, key, request_hash, created_at)
    values (${entry.tokenName}, ${entry.key}, ${entry.requestHash}, ${entry.at})
    on conflict do nothing returning key`.execute(kysely);
  if (inserted.rows.length > 0) return { kind: 'first' };
  const found = await sql<{ request_hash: string; status: number | null; response: unknown }>`
    select request_hash, status, response from api_idempotency_keys
    where token_name = ${entry.tokenName} and key = ${entry.key}`.execute(kysely);
  const row = found.rows[0];
  if (!row) return { kind: 'in_flight' };
  if (row.request_hash !== entry.requestHash) return { kind: 'mismatch' };
  if (row.status === null) return { kind: 'in_flight' };
  return { kind: 'replay', status: row.status, response: row.response };
}

export async function completeIdempotencyKey(
  em: EntityManager,
  entry: { tokenName: string; key: string; status: number; response: unknown },
): Promise<void> {
  await sql`
    update api_idempotency_keys set status = ${entry.status}, response = ${JSON.stringify(entry.response)}::jsonb
    where token_name = ${entry.tokenName} and key = ${entry.key}`.execute(em.getKysely());
}

/** A request that failed before answering gives its key back, so the retry can do the work. */
export async function releaseIdempotencyKey(
  em: EntityManager,
  entry: { tokenName: string; key: string },
): Promise<void> {
  await sql`
    delete from api_idempotency_keys where token_name = ${entry.tokenName} and key = ${entry.key} and status is null`.execute(
    em.getKysely(),
  );
}
