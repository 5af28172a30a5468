// Opens the database the config names (DATABASE_URL, or an embedded PostgreSQL in DATA_DIR) and migrates it.
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import { ensureDatabase, startEmbeddedPostgres } from './embedded-postgres.ts';
import { migrateToLatest, openOrm, type Orm } from './orm.ts';

export type Database = { orm: Orm; close(): Promise<void> };

const EMBEDDED_DATABASE_NAME = 'bugsweep';

export async function openDatabase(config: Config, logger: Logger): Promise<Database> {
  if (config.database.url) {
    const orm = await openOrm(config.database.url);
    await migrateToLatest(orm, logger);
    return { orm, close: () => orm.close() };
  }

  logger.info({ dataDir: config.database.dataDir, port: config.database.embeddedPort }, 'no DATABASE_URL: starting the embedded PostgreSQL');
  const pgLog = logger.child({ component: 'embedded-postgres' });
  const server = await startEmbeddedPostgres({
    dataDir: config.database.dataDir,
    port: config.database.embeddedPort,
    onLog: (line) => pgLog.debug(line.trim()),
  });
  try {
    await ensureDatabase(server, EMBEDDED_DATABASE_NAME);
    const orm = await openOrm(server.urlFor(EMBEDDED_DATABASE_NAME));
    await migrateToLatest(orm, logger);
    return {
      orm,
      async close() {
        await orm.close();
        await server.stop();
      },
    };
  } catch (error) {
    await server.stop();
    throw error;
  }
}
