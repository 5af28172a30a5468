import { MikroORM } from '@mikro-orm/postgresql';
import { sql } from 'kysely';
import type { Logger } from 'pino';
import { buildOrmConfig } from './mikro-orm.config.ts';

// Any constant works; it only has to be the same in every replica.
const MIGRATION_LOCK_KEY = 7_316_202_611;

export type Orm = MikroORM;

export async function openOrm(clientUrl: string): Promise<Orm> {
  return MikroORM.init(buildOrmConfig(clientUrl));
}

/**
 * Applies pending migrations. Two instances starting at once take turns on a session advisory lock
 * held on one pinned connection, so the second finds nothing left to do.
 */
export async function migrateToLatest(orm: Orm, logger?: Logger): Promise<string[]> {
  const kysely = orm.em.fork().getKysely();
  return kysely.connection().execute(async (connection) => {
    await sql`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`.execute(connection);
    try {
      const applied = await orm.migrator.up();
      const names = applied.map((m) => m.name);
      if (names.length > 0) logger?.info({ migrations: names }, 'applied database migrations');
      return names;
    } finally {
      await sql`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`.execute(connection);
    }
  });
}

/** True when the database answers a trivial query. */
export async function isDatabaseReachable(orm: Orm): Promise<boolean> {
  try {
    await orm.em.fork().getConnection().execute('select 1');
    return true;
  } catch {
    return false;
  }
}
