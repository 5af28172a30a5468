// Opens the database the config names (DATABASE_URL, or an embedded PostgreSQL in DATA_DIR) and migrates it.
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import { ensureDatabase, findRunningEmbeddedPostgres, startEmbeddedPostgres } from './embedded-postgres.ts';
import { migrateToLatest, type Orm, openOrm } from './orm.ts';

export type Database = { orm: Orm; close(): Promise<void> };

const EMBEDDED_DATABASE_NAME = 'bugsweep';

export async function openDatabase(config: Config, logger: Logger): Promise<Database> {
  if (config.database.url) return openMigrated(config.database.url, logger);

  const embedded = { dataDir: config.database.dataDir, port: config.database.embeddedPort };
  const running = await findRunningEmbeddedPostgres(embedded, EMBEDDED_DATABASE_NAME);
  if (running) {
    // Another process owns the server (usually the bot, while an operator uses the command line).
    logger.info({ dataDir: embedded.dataDir }, 'using the embedded PostgreSQL already running in DATA_DIR');
    return openMigrated(running, logger);
  }

  logger.info(embedded, 'no DATABASE_URL: starting the embedded PostgreSQL');
  const pgLog = logger.child({ component: 'embedded-postgres' });
  const server = await startEmbeddedPostgres({ ...embedded, onLog: (line) => pgLog.debug(line.trim()) });
  try {
    await ensureDatabase(server, EMBEDDED_DATABASE_NAME);
    const database = await openMigrated(server.urlFor(EMBEDDED_DATABASE_NAME), logger);
    return {
      orm: database.orm,
      async close() {
        await database.close();
        await server.stop();
      },
    };
  } catch (error) {
    await server.stop();
    throw error;
  }
}

async function openMigrated(url: string, logger: Logger): Promise<Database> {
  const orm = await openOrm(url);
  try {
    await migrateToLatest(orm, logger);
  } catch (error) {
    await orm.close();
    throw error;
  }
  return { orm, close: () => orm.close() };
}
