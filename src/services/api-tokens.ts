// API tokens for agents. The secret is shown once at creation; PostgreSQL keeps only its SHA-256 (the secret is 256
// random bits, so a slow hash adds nothing), compared in constant time. A token reads `bsw_<name>_<secret>`: the
// name finds the row, the secret proves it.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { AppContext } from '../app-context.ts';
import * as tokens from '../db/repositories/api-token.repository.ts';
import { type ApiScope, TOKEN_NAME_PATTERN } from '../domain/api-scopes.ts';

const PREFIX = 'bsw_';

export type AgentIdentity = { name: string; scopes: readonly ApiScope[] };

export type TokenSummary = Omit<tokens.StoredToken, 'secretHash'>;

export type CreatedToken =
  | { ok: true; name: string; token: string; scopes: readonly ApiScope[] }
  | { ok: false; message: string };

const hashOf = (secret: string) => createHash('sha256').update(secret).digest();

export async function createApiToken(
  ctx: AppContext,
  request: { name: string; scopes: readonly ApiScope[] },
): Promise<CreatedToken> {
  if (!TOKEN_NAME_PATTERN.test(request.name)) {
    return {
      ok: false,
      message: `"${request.name}" is not a token name: use lower-case letters, digits, dots and dashes (at most 63).`,
    };
  }
  if (request.scopes.length === 0)
    return { ok: false, message: 'A token needs at least one scope: read, write or admin.' };
  const secret = randomBytes(32).toString('hex');
  const created = await tokens.insertToken(ctx.orm.em.fork(), {
    name: request.name,
    secretHash: hashOf(secret),
    scopes: [...new Set(request.scopes)],
    at: ctx.clock(),
  });
  if (!created)
    return { ok: false, message: `A token named "${request.name}" exists already (names are never reused).` };
  return { ok: true, name: request.name, token: `${PREFIX}${request.name}_${secret}`, scopes: request.scopes };
}

export async function listApiTokens(ctx: AppContext): Promise<TokenSummary[]> {
  return (await tokens.listTokens(ctx.orm.em.fork())).map(({ secretHash: _hash, ...summary }) => summary);
}

export async function revokeApiToken(ctx: AppContext, name: string): Promise<boolean> {
  return tokens.revokeToken(ctx.orm.em.fork(), name, ctx.clock());
}

export type Authentication =
  | { ok: true; agent: AgentIdentity }
  | { ok: false; reason: 'unauthenticated' }
  | { ok: false; reason: 'rate_limited'; retryAfterMs: number };

/** The agent a bearer token belongs to, spending one request of its budget; unknown, malformed and revoked alike fail. */
export async function authenticate(ctx: AppContext, bearer: string | null): Promise<Authentication> {
  const parsed = bearer ? parseToken(bearer) : null;
  if (!parsed) return { ok: false, reason: 'unauthenticated' };
  const em = ctx.orm.em.fork();
  const stored = await tokens.findActiveToken(em, parsed.name);
  const presented = hashOf(parsed.secret);
  if (!stored || !timingSafeEqual(stored.secretHash, presented)) return { ok: false, reason: 'unauthenticated' };
  const perMinute = ctx.config.agents.rateLimitPerMinute;
  const intervalMs = 60_000 / perMinute;
  // A tenth of a minute's budget may come at once; beyond it, one request per interval.
  const burst = Math.max(1, Math.floor(perMinute / 10));
  const waitMs = await tokens.spendTokenBudget(em, stored.name, ctx.clock(), intervalMs, burst);
  if (waitMs !== null) return { ok: false, reason: 'rate_limited', retryAfterMs: waitMs };
  return { ok: true, agent: { name: stored.name, scopes: stored.scopes } };
}

function parseToken(token: string): { name: string; secret: string } | null {
  if (!token.startsWith(PREFIX)) return null;
  const rest = token.slice(PREFIX.length);
  const split = rest.lastIndexOf('_');
  if (split <= 0) return null;
  const name = rest.slice(0, split);
  const secret = rest.slice(split + 1);
  if (!TOKEN_NAME_PATTERN.test(name) || !/^[0-9a-f]{64}$/.test(secret)) return null;
  return { name, secret };
}
