// Opening the MikroORM instance, applying migrations one instance at a time, and the health check's database probe.
import { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import { LOCK_KEYS, withSessionAdvisoryLock } from './locks.ts';
import { buildOrmConfig } from './mikro-orm.config.ts';

export type Orm = MikroORM;

export async function openOrm(clientUrl: string): Promise<Orm> {
  return MikroORM.init(buildOrmConfig(clientUrl));
}

/**
 * Applies pending migrations. Two instances starting at once take turns on a session advisory lock
 * held on one pinned connection, so the second finds nothing left to do.
 */
export async function migrateToLatest(orm: Orm, logger?: Logger): Promise<string[]> {
  return withSessionAdvisoryLock(orm, LOCK_KEYS.migrations, async () => {
    const applied = await orm.migrator.up();
    const names = applied.map((m) => m.name);
    if (names.length > 0) logger?.info({ migrations: names }, 'applied database migrations');
    return names;
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
