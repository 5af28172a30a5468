// PostgreSQL advisory locks held for the length of a piece of work, so that of several replicas only one does it
// at a time. A session lock belongs to the connection that took it: both statements run on one pinned
// connection, and the work itself uses other connections from the pool. So at most half the pool is pinned at once:
// with every connection pinned, no holder's work could get one and the whole bot would wait for ever (a dozen
// report modals submitted while Slack was slow to post did that, and every event and /healthz hung with them).
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { type RawBuilder, sql } from 'kysely';

/** Any constants work; they only have to be the same in every replica and differ from one another. */
export const LOCK_KEYS = {
  migrations: 7_316_202_611,
  sweep: 7_316_202_612,
  /** Namespace of the per-submission locks of report modals (keyed by the Slack view id). */
  reportSubmission: 73_162_026,
  /** Namespace of the per-fingerprint locks of duplicate grouping (keyed by the fingerprint). */
  fingerprint: 73_162_027,
  /** Namespace of the per-bug locks of "Open a follow-up" (keyed by the old bug's id). */
  followUp: 73_162_028,
} as const;

/**
 * One lock for the whole system (a number), or one of many in a namespace (a name, such as a Slack view id: it
 * is hashed). PostgreSQL keeps one-key and two-key locks apart, so the two kinds never collide.
 */
export type LockKey = number | { namespace: number; name: string };

function keyArguments(key: LockKey): RawBuilder<unknown> {
  return typeof key === 'number' ? sql`${key}` : sql`${key.namespace}::int, hashtext(${key.name})`;
}

/** Pinned connections per pool: how many more may be taken, and who waits for one. */
type PinGate = { free: number; waiting: (() => void)[] };
const PIN_GATES = new WeakMap<MikroORM, PinGate>();

/** Runs `pin` (which holds one pooled connection until it settles) once fewer than half the pool are so held. */
async function pinning<T>(orm: MikroORM, pin: () => Promise<T>): Promise<T> {
  let gate = PIN_GATES.get(orm);
  if (!gate) {
    gate = { free: Math.max(1, Math.floor((orm.config.get('pool')?.max ?? 10) / 2)), waiting: [] };
    PIN_GATES.set(orm, gate);
  }
  const taken = gate;
  if (taken.free > 0) taken.free -= 1;
  else await new Promise<void>((resolve) => taken.waiting.push(resolve));
  try {
    return await pin();
  } finally {
    const next = taken.waiting.shift();
    if (next) next();
    else taken.free += 1;
  }
}

/** Waits for the lock, runs `fn` while holding it, and lets go even when `fn` throws. */
export async function withSessionAdvisoryLock<T>(orm: MikroORM, key: LockKey, fn: () => Promise<T>): Promise<T> {
  const args = keyArguments(key);
  return pinning(orm, () =>
    orm.em
      .fork()
      .getKysely()
      .connection()
      .execute(async (connection) => {
        await sql`select pg_advisory_lock(${args})`.execute(connection);
        try {
          return await fn();
        } finally {
          await sql`select pg_advisory_unlock(${args})`.execute(connection);
        }
      }),
  );
}

export type TryLockResult<T> = { locked: true; value: T } | { locked: false };

/** Runs `fn` only if nobody holds the lock right now; `{ locked: false }` otherwise, without waiting. */
export async function tryWithSessionAdvisoryLock<T>(
  orm: MikroORM,
  key: LockKey,
  fn: () => Promise<T>,
): Promise<TryLockResult<T>> {
  const args = keyArguments(key);
  // Not behind the gate: a try answers at once (the sweep's run must not queue behind slow report posts). Only the
  // sweep tries, so this pins one connection more than the gate's half at most.
  return orm.em
    .fork()
    .getKysely()
    .connection()
    .execute(async (connection): Promise<TryLockResult<T>> => {
      const taken = await sql<{ locked: boolean }>`select pg_try_advisory_lock(${args}) as locked`.execute(connection);
      if (!taken.rows[0]?.locked) return { locked: false };
      try {
        return { locked: true, value: await fn() };
      } finally {
        await sql`select pg_advisory_unlock(${args})`.execute(connection);
      }
    });
}

/**
 * Takes the lock for the rest of the caller's transaction (pg_advisory_xact_lock): PostgreSQL lets go at commit or
 * rollback, so nothing can leak it. Waits while another transaction holds it.
 */
export async function lockForTransaction(em: EntityManager, key: LockKey): Promise<void> {
  await sql`select pg_advisory_xact_lock(${keyArguments(key)})`.execute(em.getKysely());
}
